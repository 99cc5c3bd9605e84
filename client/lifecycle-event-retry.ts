/**
 * Parked lifecycle event deliveries (docs/events.md): the list the console's needs-attention view, the
 * HR API and the CLI show, and the retry that puts them back in the dispatcher's hands. Subscriber ids
 * and event ids only: never a subscriber's URL or secret.
 */
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import type { LifecycleEventRow, LifecycleStore } from '../store';
import {
  LIFECYCLE_EVENT_DISPATCHER_ID,
  lifecycleEventsWakeSignal,
} from '../workflows/lifecycle-event-dispatcher';

export interface ParkedLifecycleEvent {
  subscriberId: string;
  eventId: string;
  externalID: string;
  lifecycle: string;
  milestone: string;
  sequence: number;
  at: string;
  parkedAt: string | null;
  failure: string | null;
}

const parkedView = (row: LifecycleEventRow): ParkedLifecycleEvent => ({
  subscriberId: row.subscriberId,
  eventId: row.eventId,
  externalID: row.externalID,
  lifecycle: row.lifecycle,
  milestone: row.milestone,
  sequence: row.sequence,
  at: row.at,
  parkedAt: row.parkedAt,
  failure: row.failure,
});

export async function parkedLifecycleEvents(store: LifecycleStore): Promise<ParkedLifecycleEvent[]> {
  return (await store.events.parked()).map(parkedView);
}

export interface LifecycleEventRetryFilter {
  subscriberId?: string;
  eventId?: string;
}

/**
 * Parked deliveries (all, one subscriber's, or one event) back to pending, and the dispatcher woken to
 * deliver them now (without it running they wait for it). `retried`: how many went back.
 */
export async function retryParkedLifecycleEvents(
  store: LifecycleStore,
  client: Client,
  filter: LifecycleEventRetryFilter,
): Promise<{ retried: number; dispatcher: 'woken' | 'not-running' }> {
  const retried = await store.events.retryParked(filter);
  try {
    await client.workflow.getHandle(LIFECYCLE_EVENT_DISPATCHER_ID).signal(lifecycleEventsWakeSignal);
    return { retried, dispatcher: 'woken' };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return { retried, dispatcher: 'not-running' };
    throw error;
  }
}
