/**
 * Delivering lifecycle events to subscribers (docs/events.md), on their own task queue
 * (`lifecycle-events`): never the Staffbase queue or its budget. One HTTP request per activity
 * attempt; Temporal retries a failing one with backoff, the dispatcher parks it when retries run out.
 * The subscriber's secret comes from this worker's configuration by subscriber id: it is never in a
 * workflow input, a history or a log line.
 */
import { ApplicationFailure, log } from '@temporalio/activity';
import {
  type EventSubscriber,
  type LifecycleEventsConfig,
  webhookSecretKey,
} from '../config/lifecycle-events';
import { cloudEvent, signedWebhookHeaders } from '../lifecycle/lifecycle-event-message';
import type { EventKey, LifecycleStore } from '../store';
import { countInActivity, lifecycleCounters } from './lifecycle-metrics';

/** One delivery's HTTP request: a subscriber that has not answered by then is retried. */
export const LIFECYCLE_EVENT_REQUEST_TIMEOUT_MS = 10_000;

export type LifecycleEventDelivery = 'delivered' | 'already-delivered' | 'not-pending';

export interface LifecycleEventHeads {
  heads: EventKey[];
  /** LIFECYCLE_EVENT_MAX_RETRY_HOURS of this worker: how long a delivery is retried. */
  maxRetryHours: number;
}

const noStore = () =>
  ApplicationFailure.nonRetryable('This worker runs without a store: no lifecycle events', 'NoStore');

/** The failure's type only (never a message that might quote a response or an address). */
const failureKind = (error: unknown): string => {
  if (error instanceof ApplicationFailure) return error.type ?? 'ApplicationFailure';
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : cause instanceof Error ? cause.name : 'unknown';
};

async function post(subscriber: EventSubscriber, eventId: string, body: string): Promise<number> {
  const key = webhookSecretKey(subscriber.secret);
  if (!key) throw ApplicationFailure.nonRetryable('The subscriber secret is not whsec_…', 'BadSecret');
  const headers = signedWebhookHeaders(key, eventId, Math.floor(Date.now() / 1000), body);
  try {
    const response = await fetch(subscriber.url, {
      method: 'POST',
      headers,
      body,
      // A redirect could carry the event elsewhere: a subscriber gives its final address.
      redirect: 'manual',
      signal: AbortSignal.timeout(LIFECYCLE_EVENT_REQUEST_TIMEOUT_MS),
    });
    await response.body?.cancel();
    return response.status;
  } catch (error) {
    throw ApplicationFailure.retryable(
      `The subscriber could not be reached (${failureKind(error)})`,
      'SubscriberUnreachable',
    );
  }
}

export function createLifecycleEventActivities(
  store: LifecycleStore | undefined,
  config: LifecycleEventsConfig | undefined,
) {
  const subscriber = (id: string) => config?.subscribers.find((candidate) => candidate.id === id);
  return {
    /** The next deliverable heads (per person and subscriber, the first not delivered), oldest first. */
    async lifecycleEventHeads(input: { except: EventKey[]; limit: number }): Promise<LifecycleEventHeads> {
      if (!store) throw noStore();
      const rows = await store.events.deliverableHeads(input);
      return {
        heads: rows.map((row) => ({ subscriberId: row.subscriberId, eventId: row.eventId })),
        maxRetryHours: config?.maxRetryHours ?? 24,
      };
    },

    /** One POST of one event to one subscriber; a 2xx marks it delivered, anything else fails the attempt. */
    async deliverLifecycleEvent(key: EventKey): Promise<LifecycleEventDelivery> {
      if (!store) throw noStore();
      const row = await store.events.event(key);
      if (!row || row.status === 'parked') return 'not-pending';
      if (row.status === 'delivered') return 'already-delivered';
      const target = subscriber(key.subscriberId);
      if (!target) {
        throw ApplicationFailure.nonRetryable(
          `No subscriber ${key.subscriberId} in LIFECYCLE_EVENT_SUBSCRIBERS`,
          'SubscriberNotConfigured',
        );
      }
      const person = target.includePersonalData ? await store.people.person(row.externalID) : undefined;
      const body = JSON.stringify(
        cloudEvent({
          id: row.eventId,
          lifecycle: row.lifecycle,
          milestone: row.milestone,
          externalID: row.externalID,
          runId: row.runId,
          sequence: row.sequence,
          at: row.at,
          ...(target.includePersonalData && {
            personalData: {
              firstName: person?.firstName ?? null,
              lastName: person?.lastName ?? null,
              email: person?.email ?? null,
            },
          }),
        }),
      );
      const status = await post(target, row.eventId, body);
      if (status < 200 || status > 299) {
        throw ApplicationFailure.retryable(
          `The subscriber answered ${status}`,
          `SubscriberAnswered${status}`,
        );
      }
      await store.events.markDelivered(key, new Date().toISOString());
      return 'delivered';
    },

    /** Retries ran out: the delivery waits in needs-attention (and holds that person's later events). */
    async parkLifecycleEvent(input: EventKey & { failure: string }): Promise<'parked' | 'not-pending'> {
      if (!store) throw noStore();
      const result = await store.events.park(
        { subscriberId: input.subscriberId, eventId: input.eventId },
        new Date().toISOString(),
        input.failure,
      );
      if (result === 'parked') {
        countInActivity(lifecycleCounters.lifecycleEventsParked, { subscriber: input.subscriberId });
        log.warn('A lifecycle event delivery kept failing: parked in needs-attention', {
          subscriber: input.subscriberId,
          eventId: input.eventId,
          failure: input.failure,
        });
      }
      return result;
    },
  };
}

export type LifecycleEventActivities = ReturnType<typeof createLifecycleEventActivities>;
