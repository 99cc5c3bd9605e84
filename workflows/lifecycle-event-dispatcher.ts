/**
 * The lifecycle event dispatcher (docs/events.md): one long-running workflow (id
 * LIFECYCLE_EVENT_DISPATCHER_ID) that hands each deliverable outbox row to one delivery activity on the
 * `lifecycle-events` queue. Only a stream's head (per person and subscriber, the first event not
 * delivered) is ever deliverable, so events arrive in order and a failing delivery holds the later
 * ones of that person for that subscriber while other streams go on. Temporal retries a delivery with
 * backoff for LIFECYCLE_EVENT_MAX_RETRY_HOURS; then it is parked (needs-attention) until retried.
 * Carries only event ids and subscriber ids: no secret, no personal data.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  TimeoutFailure,
  workflowInfo,
} from '@temporalio/workflow';
import type { LifecycleEventActivities } from '../activities/lifecycle-event-activities';
import { taskQueues } from '../lifecycle/task-queues';
import { LIFECYCLE_EVENT_DISPATCHER_ID, lifecycleEventsWakeSignal } from './lifecycle-event-messages';

export { LIFECYCLE_EVENT_DISPATCHER_ID, lifecycleEventsWakeSignal };

/**
 * Since the person index's write wakes the dispatcher when it queues events, the timer is only a safety
 * net (a lost wake-up, a retry due): idle, the dispatcher reads the outbox once a minute, not every 2 s.
 */
const wokenByWritesPatch = 'event-dispatcher-woken-by-writes';
const IDLE_POLL_MS = 60_000;
const IDLE_POLL_MS_BEFORE_WAKE_UPS = 2_000;

export interface LifecycleEventDispatcherInput {
  /**
   * How often the outbox is read when nothing wakes the dispatcher (default 60 s; 2 s for runs started
   * before the person index's write woke it).
   */
  pollIntervalMs?: number;
  /** Deliveries in flight at once, across streams (default 20). */
  maxConcurrent?: number;
}

/** A fresh run after this many history events, once nothing is in flight. */
const CONTINUE_AS_NEW_AFTER_EVENTS = 4_000;
/** …and regardless past this (an in-flight delivery is then delivered again: at least once). */
const CONTINUE_AS_NEW_HARD_LIMIT = 20_000;

const outbox = proxyActivities<LifecycleEventActivities>({
  taskQueue: taskQueues.lifecycleEvents,
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** Why retries ran out, for the console: the last failure's type, never a message. */
function parkReason(error: unknown): string {
  let cause: unknown = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof TimeoutFailure) {
    const last = cause.cause;
    cause = last ?? cause;
    if (!(last instanceof ApplicationFailure)) return 'retries ran out (timeout)';
  }
  if (cause instanceof ApplicationFailure) return `retries ran out: ${cause.type ?? 'failure'}`;
  return `retries ran out: ${cause instanceof Error ? cause.name : 'unknown'}`;
}

export async function lifecycleEventDispatcher(input: LifecycleEventDispatcherInput = {}): Promise<void> {
  const pollIntervalMs =
    input.pollIntervalMs ?? (patched(wokenByWritesPatch) ? IDLE_POLL_MS : IDLE_POLL_MS_BEFORE_WAKE_UPS);
  const maxConcurrent = input.maxConcurrent ?? 20;
  const inFlight = new Map<string, { subscriberId: string; eventId: string }>();
  let wake = false;
  setHandler(lifecycleEventsWakeSignal, () => {
    wake = true;
  });

  const deliver = async (key: { subscriberId: string; eventId: string }, maxRetryHours: number) => {
    const delivery = proxyActivities<LifecycleEventActivities>({
      taskQueue: taskQueues.lifecycleEvents,
      startToCloseTimeout: '30 seconds',
      scheduleToCloseTimeout: `${maxRetryHours} hours`,
      retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes' },
    });
    try {
      await delivery.deliverLifecycleEvent(key);
    } catch (error) {
      await outbox.parkLifecycleEvent({ ...key, failure: parkReason(error) });
    }
  };

  for (;;) {
    // Reset before the read: a delivery that settles during it wakes the next wait at once.
    wake = false;
    const room = maxConcurrent - inFlight.size;
    if (room > 0) {
      const { heads, maxRetryHours } = await outbox.lifecycleEventHeads({
        except: [...inFlight.values()],
        limit: room,
      });
      for (const key of heads) {
        const id = `${key.subscriberId}\n${key.eventId}`;
        inFlight.set(id, key);
        void deliver(key, maxRetryHours).finally(() => {
          inFlight.delete(id);
          // The stream's next event is deliverable now.
          wake = true;
        });
      }
    }
    const { historyLength } = workflowInfo();
    if (
      (historyLength > CONTINUE_AS_NEW_AFTER_EVENTS && inFlight.size === 0) ||
      historyLength > CONTINUE_AS_NEW_HARD_LIMIT
    ) {
      await continueAsNew<typeof lifecycleEventDispatcher>(input);
    }
    await condition(() => wake, pollIntervalMs);
  }
}
