/**
 * The lifecycle event dispatcher's id and its wake-up signal (workflows/lifecycle-event-dispatcher.ts),
 * apart from the workflow so that activities (the person index's write, which queues events) and
 * clients (a retry of a parked delivery) can reach it.
 */
import { defineSignal } from '@temporalio/workflow';

export const LIFECYCLE_EVENT_DISPATCHER_ID = 'lifecycle-event-dispatcher';

/** Look for new events now: the person index's write sends it when it queued some, a retry too. */
export const lifecycleEventsWakeSignal = defineSignal('lifecycleEventsWake');
