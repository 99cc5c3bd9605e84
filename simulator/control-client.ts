/**
 * A typed client for the simulator's `/_simulator` routes, for tests and demos. It plays the user's
 * side (accepting the invitation, logging in) and reads what the simulated tenant saw and sent.
 */
import {
  type CallRecord,
  type EffectRecord,
  type FaultSpec,
  type FaultState,
  type MailRecord,
  type RateLimitSettings,
  type RecoveryRecord,
  type SimulatedUserRecord,
  type StaffbaseErrorBody,
  type UserSeed,
} from './types';
import { type ShapeState } from './shapes';
import { type EmittedEvent, type EventSettings } from './events';

export type { ShapeState, ShapeVariant } from './shapes';
export type { EmittedEvent, EventSettings } from './events';
export type {
  CallRecord,
  EffectRecord,
  FaultSpec,
  FaultState,
  MailRecord,
  RateLimitSettings,
  RecoveryRecord,
  SimulatedUserRecord,
  UserSeed,
} from './types';

/** A control call the simulator refused, e.g. a login of a deactivated user (409). */
export class SimulatorControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'SimulatorControlError';
  }
}

export class SimulatorControl {
  private readonly controlUrl: string;

  /** `baseUrl` is the simulator's root, e.g. http://127.0.0.1:4010 (not the /api URL). */
  constructor(baseUrl: string) {
    this.controlUrl = `${baseUrl.replace(/\/+$/, '')}/_simulator`;
  }

  /** The user accepts the invitation: pending → activated. */
  async activate(idOrExternalId: string): Promise<void> {
    await this.call('POST', `/users/${encodeURIComponent(idOrExternalId)}/activate`);
  }

  /** The user logs in (one more session); throws SimulatorControlError 409 for deactivated users. */
  async login(idOrExternalId: string): Promise<void> {
    await this.call('POST', `/users/${encodeURIComponent(idOrExternalId)}/sessions`);
  }

  /** The full record with the simulator's counters, or undefined when there is no such user. */
  async user(idOrExternalId: string): Promise<SimulatedUserRecord | undefined> {
    try {
      return await this.call<SimulatedUserRecord>('GET', `/users/${encodeURIComponent(idOrExternalId)}`);
    } catch (error) {
      if (error instanceof SimulatorControlError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** An administrator (de)activates the user by hand in Studio; answers the record. */
  async setStatusByHand(
    idOrExternalId: string,
    status: 'activated' | 'deactivated',
  ): Promise<SimulatedUserRecord> {
    return this.call<SimulatedUserRecord>('PUT', `/users/${encodeURIComponent(idOrExternalId)}/status`, {
      status,
    });
  }

  /** An administrator deletes the user by hand in Studio. */
  async deleteByHand(idOrExternalId: string): Promise<void> {
    await this.call('DELETE', `/users/${encodeURIComponent(idOrExternalId)}`);
  }

  /** Every user, whatever the status. */
  async users(): Promise<SimulatedUserRecord[]> {
    return (await this.call<{ users: SimulatedUserRecord[] }>('GET', '/users')).users;
  }

  /** Puts a user in directly, with any status, creation type or dates. */
  async seedUser(seed: UserSeed): Promise<SimulatedUserRecord> {
    return this.call<SimulatedUserRecord>('POST', '/users', seed);
  }

  async log(): Promise<CallRecord[]> {
    return (await this.call<{ calls: CallRecord[] }>('GET', '/log')).calls;
  }

  /** `/api` calls received since the start or the last reset, beyond the log's bound too. */
  async callCount(): Promise<number> {
    return (await this.call<{ received: number }>('GET', '/log/count')).received;
  }

  /** What the tenant did to accounts (creates, status changes, deletes, logouts), oldest first. */
  async effects(): Promise<EffectRecord[]> {
    return (await this.call<{ effects: EffectRecord[] }>('GET', '/effects')).effects;
  }

  async outbox(): Promise<MailRecord[]> {
    return (await this.call<{ mails: MailRecord[] }>('GET', '/outbox')).mails;
  }

  async recoveries(): Promise<RecoveryRecord[]> {
    return (await this.call<{ recoveries: RecoveryRecord[] }>('GET', '/recoveries')).recoveries;
  }

  /** Replaces every fault; `[]` turns faults off. A `seed` makes rate-based faults repeatable. */
  async setFaults(faults: FaultSpec[], options: { seed?: number } = {}): Promise<void> {
    await this.call('PUT', '/faults', { faults, ...options });
  }

  async faults(): Promise<FaultState[]> {
    return (await this.call<{ faults: FaultState[] }>('GET', '/faults')).faults;
  }

  /** null turns the rate limit off. */
  async setRateLimit(settings: RateLimitSettings | null): Promise<void> {
    await this.call('PUT', '/rate-limit', { rateLimit: settings });
  }

  /**
   * Answers in these response shapes from now on: a profile name (`'all-variants'`, `'default'`, …) or
   * variants (simulator/shapes.ts). Answers the shapes now in force.
   */
  async setShapes(shapes: string | readonly string[]): Promise<ShapeState> {
    return this.call<ShapeState>('PUT', '/shapes', { shapes });
  }

  async shapes(): Promise<ShapeState> {
    return this.call<ShapeState>('GET', '/shapes');
  }

  /**
   * Studio's webhooks (simulator/events.ts): activations and Studio changes are POSTed to `url` with
   * the secret from now on, a `dropRate` share of them dropped; null turns them off.
   */
  async setEvents(settings: EventSettings | null): Promise<void> {
    await this.call('PUT', '/events', { events: settings });
  }

  /** The events emitted so far (oldest first) and how each delivery went. */
  async events(): Promise<EmittedEvent[]> {
    return (await this.call<{ events: EmittedEvent[] }>('GET', '/events')).events;
  }

  /** Rotates the API token: requests with any other token are answered 401 from now on. */
  async setAcceptedToken(token: string): Promise<void> {
    await this.call('PUT', '/token', { token });
  }

  /**
   * Removes users, calls, mails, recoveries and faults; the rate limit and the response shapes go back
   * to their start values, and so does the accepted token.
   */
  async reset(): Promise<void> {
    await this.call('POST', '/reset');
  }

  private async call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.controlUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const message = (json as Partial<StaffbaseErrorBody> | undefined)?.message ?? text;
      throw new SimulatorControlError(
        response.status,
        `${method} /_simulator${path} → ${response.status}: ${message}`,
        json,
      );
    }
    return json as T;
  }
}
