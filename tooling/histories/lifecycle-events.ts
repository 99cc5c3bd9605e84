/**
 * The lifecycle event dispatcher (docs/events.md): it reads the outbox, hands a head to a delivery
 * activity, and parks it when the delivery fails for good (here: a subscriber this worker does not
 * know, so no HTTP is needed), then waits for more. Dev server: the dispatcher polls on a timer, which
 * the time-skipping server would fast-forward without end. Terminated once the delivery is parked.
 */
import { waitFor } from '../../test/helpers/waiting';
import { lifecycleEventId } from '../../lifecycle/lifecycle-event-message';
import { ensureLifecycleEventDispatcher } from '../../worker/lifecycle-event-dispatcher-start';
import {
  LIFECYCLE_EVENT_DISPATCHER_ID,
  lifecycleEventsWakeSignal,
} from '../../workflows/lifecycle-event-dispatcher';
import { uniqueSuffix } from '../../test/helpers/people';
import { type LifecycleStore } from '../../store';
import { type Scenario } from './scenario';

export const lifecycleEventDevServerScenarios = new Set([
  'lifecycle-event-dispatcher-parks',
  'lifecycle-event-dispatcher-woken',
]);

/** An `activated` event for a subscriber this worker does not know: its delivery is parked. */
async function queueUndeliverableEvent(store: LifecycleStore, prefix: string, at: string): Promise<string> {
  const externalID = `${prefix}-${uniqueSuffix()}`;
  const runId = `run-${externalID}`;
  await store.people.recordMilestone({
    externalID,
    runId,
    kind: 'activated',
    at,
    event: {
      eventId: lifecycleEventId(runId, 'activated', at),
      lifecycle: 'onboarding',
      milestone: 'activated',
      subscriberIds: ['not-configured'],
    },
  });
  return externalID;
}

export const lifecycleEventScenarios: Record<string, Scenario> = {
  'lifecycle-event-dispatcher-parks': async (stack) => {
    const store = stack.store;
    if (!store) throw new Error('the dispatcher scenario needs the stack’s store');
    const externalID = await queueUndeliverableEvent(store, 'dispatched', '2026-12-07T10:00:00.000Z');
    await ensureLifecycleEventDispatcher(stack.env.client, { pollIntervalMs: 250 });
    await waitFor(
      () => store.events.parked(),
      (parked) => parked.some((event) => event.externalID === externalID),
      { what: 'the parked delivery', timeoutMs: 20_000 },
    );
    const handle = stack.env.client.workflow.getHandle(LIFECYCLE_EVENT_DISPATCHER_ID);
    const { runId: dispatcherRunId } = await handle.describe();
    await handle.terminate('scenario recorded');
    return { workflowId: LIFECYCLE_EVENT_DISPATCHER_ID, runId: dispatcherRunId };
  },
  /**
   * As production starts it (patch `event-dispatcher-woken-by-writes`: idle, a read a minute): the
   * first read finds nothing; an event queued later is read at once when the wake-up signal comes, as
   * the person index's write sends it, and parked.
   */
  'lifecycle-event-dispatcher-woken': async (stack) => {
    const store = stack.store;
    if (!store) throw new Error('the dispatcher scenario needs the stack’s store');
    await ensureLifecycleEventDispatcher(stack.env.client);
    const handle = stack.env.client.workflow.getHandle(LIFECYCLE_EVENT_DISPATCHER_ID);
    await waitFor(
      async () => (await handle.fetchHistory()).events?.length ?? 0,
      (events) => events >= 10,
      { what: 'the first read of the outbox', timeoutMs: 20_000 },
    );
    const externalID = await queueUndeliverableEvent(store, 'woken', '2026-12-08T10:00:00.000Z');
    await handle.signal(lifecycleEventsWakeSignal);
    await waitFor(
      () => store.events.parked(),
      (parked) => parked.some((event) => event.externalID === externalID),
      { what: 'the parked delivery, long before the minute’s poll', timeoutMs: 20_000 },
    );
    const { runId: dispatcherRunId } = await handle.describe();
    await handle.terminate('scenario recorded');
    return { workflowId: LIFECYCLE_EVENT_DISPATCHER_ID, runId: dispatcherRunId };
  },
};
