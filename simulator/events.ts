/**
 * Staffbase's outbound webhooks, simulated: what happens to an account outside the User API (the
 * user accepting the invitation, an administrator changing or deleting the account in Studio) is
 * POSTed as an event to a configured URL with a shared secret, as Studio would. The payload is the
 * simulator's own [choice] (Staffbase's is not public; see simulator/README.md):
 * `{ id, type, createdAt, data: { id: <Staffbase user id> } }`, with `type` `user.changed` (activation,
 * deactivation, reactivation) or `user.deleted`. Changes made through the API send nothing.
 * A drop rate makes a share of events vanish (a webhook Studio never delivered); delivery is at most
 * once, not retried, and never delays the change itself.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { type EffectRecord } from './types';

export interface EventSettings {
  /** Where events go, e.g. http://127.0.0.1:8080/v1/staffbase/events. */
  url: string;
  /** Sent as `Authorization: Bearer <secret>` (or in `header`, with `scheme`). */
  secret: string;
  /** 0 (default) to 1: the share of events dropped instead of sent. */
  dropRate?: number;
  header?: string;
  /** `''`: the header carries the bare secret. Default `Bearer`. */
  scheme?: string;
}

export const eventSettingsSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  secret: z.string().min(1),
  dropRate: z.number().min(0).max(1).optional(),
  header: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/)
    .optional(),
  scheme: z
    .string()
    .regex(/^[A-Za-z0-9-]*$/)
    .optional(),
});

/** One event the simulator emitted, as tests read it (never the secret). */
export interface EmittedEvent {
  id: string;
  type: 'user.changed' | 'user.deleted';
  userId: string;
  /** What caused it (the effect's kind). */
  cause: EffectRecord['kind'];
  createdAt: string;
  /** `dropped`: by the drop rate; `failed`: the receiver could not be reached or did not answer 2xx. */
  delivery: 'pending' | 'delivered' | 'dropped' | 'failed';
  status?: number;
}

const eventTypeOf = (effect: EffectRecord): EmittedEvent['type'] | undefined => {
  // Only what happens outside the API: the user's activation and Studio's changes.
  if (effect.via === 'api') return undefined;
  if (effect.kind === 'deleted') return 'user.deleted';
  if (effect.kind === 'activated' || effect.kind === 'deactivated' || effect.kind === 'reactivated') {
    return 'user.changed';
  }
  return undefined;
};

/** Bounded: a long-running simulator keeps the most recent events only. */
const maxRemembered = 1_000;

export class EventEmitter {
  private settings: EventSettings | undefined;
  private emitted: EmittedEvent[] = [];
  private readonly deliveries = new Set<Promise<void>>();

  constructor(private readonly initial: EventSettings | undefined) {
    this.settings = initial;
  }

  configure(settings: EventSettings | undefined): void {
    this.settings = settings;
  }

  /** The settings without the secret. */
  current(): Omit<EventSettings, 'secret'> | null {
    if (!this.settings) return null;
    const { secret: _secret, ...shown } = this.settings;
    return shown;
  }

  list(): EmittedEvent[] {
    return this.emitted.map((event) => ({ ...event }));
  }

  /** Called for every effect the tenant recorded. */
  onEffect(effect: EffectRecord): void {
    const settings = this.settings;
    const type = eventTypeOf(effect);
    if (!settings || !type) return;
    const event: EmittedEvent = {
      id: randomUUID(),
      type,
      userId: effect.userId,
      cause: effect.kind,
      createdAt: effect.time,
      delivery: 'pending',
    };
    this.emitted.push(event);
    if (this.emitted.length > maxRemembered) this.emitted.shift();
    if (Math.random() < (settings.dropRate ?? 0)) {
      event.delivery = 'dropped';
      return;
    }
    const delivery = this.deliver(settings, event).finally(() => this.deliveries.delete(delivery));
    this.deliveries.add(delivery);
  }

  /** Resolves when every delivery under way has ended (tests, close). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.deliveries]);
  }

  reset(): void {
    this.settings = this.initial;
    this.emitted = [];
  }

  private async deliver(settings: EventSettings, event: EmittedEvent): Promise<void> {
    const scheme = settings.scheme ?? 'Bearer';
    try {
      const response = await fetch(settings.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [settings.header ?? 'authorization']: scheme ? `${scheme} ${settings.secret}` : settings.secret,
        },
        body: JSON.stringify({
          id: event.id,
          type: event.type,
          createdAt: event.createdAt,
          data: { id: event.userId },
        }),
        signal: AbortSignal.timeout(10_000),
      });
      event.status = response.status;
      event.delivery = response.ok ? 'delivered' : 'failed';
      await response.body?.cancel();
    } catch {
      event.delivery = 'failed';
    }
  }
}
