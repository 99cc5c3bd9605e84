/**
 * The look-up batcher: one long-lived run per namespace (ID `bulk-lookup-batcher`) that bulk
 * offboardings reach with signal-with-start. It gathers their requests — until it has
 * `timing.maxPeople`, or nobody new asked for `quietMs`, or `maxGatherMs` after the first — sends one
 * list request for them in the bulk lane (activities/batched-lookup-activities.ts) and signals each
 * waiting run its answer. A failed batch tells its runs to look up alone; a run that hears nothing
 * for a while asks (query `lookupPending`) whether its request is still held, and looks up alone if not. Idle for `idleMs`, it ends (the next request starts it
 * again); it continues as new every few thousand events, carrying the requests not yet answered.
 */
import {
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { BatchedLookupActivities, BatchedAccountsRead } from '../activities/batched-lookup-activities';
import type { LookupBatcherActivities } from '../activities/lookup-batcher-activities';
import {
  type BatchedLookupAnswer,
  type BatchedLookupRequest,
  batchedLookupAnswerTimeoutMs,
  batchedLookupReadTimeoutMs,
} from '../lifecycle/batched-lookup';
import { priorityLanes } from '../lifecycle/priority-lanes';
import { taskQueues } from '../lifecycle/task-queues';
import { staffbaseActivityOptions } from './activity-options';
import {
  type LookupBatcherInput,
  batchedLookupRequestedSignal,
  lookupPendingQuery,
} from './lookup-batcher-messages';

const staffbase = proxyActivities<BatchedLookupActivities>({
  ...staffbaseActivityOptions,
  taskQueue: taskQueues.staffbaseApi,
  priority: { priorityKey: priorityLanes.bulk },
  // Past it (queued behind urgent work and retried included), its leavers are better off alone.
  scheduleToCloseTimeout: batchedLookupReadTimeoutMs,
});

const temporal = proxyActivities<LookupBatcherActivities>({
  taskQueue: taskQueues.lifecycle,
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
  scheduleToCloseTimeout: batchedLookupAnswerTimeoutMs,
});

/** Continue as new past this many events (each batch of 50 costs some 200: signals, tasks, activities). */
const defaultContinueAfterEvents = 4_000;

export async function offboardingLookupBatcher(input: LookupBatcherInput): Promise<void> {
  const { timing } = input;
  const waiting: BatchedLookupRequest[] = [...input.waiting];
  setHandler(batchedLookupRequestedSignal, (request) => {
    if (!waiting.some((known) => known.workflowId === request.workflowId)) waiting.push(request);
  });
  let inFlight: readonly BatchedLookupRequest[] = [];
  const holds = (workflowId: string) => (request: BatchedLookupRequest) => request.workflowId === workflowId;
  setHandler(
    lookupPendingQuery,
    (workflowId) => waiting.some(holds(workflowId)) || inFlight.some(holds(workflowId)),
  );

  for (;;) {
    if (waiting.length === 0 && !(await condition(() => waiting.length > 0, timing.idleMs))) return;
    await gather(waiting, timing);
    const batch = waiting.splice(0, timing.maxPeople);
    inFlight = batch;
    await answer(batch, await lookUp(batch));
    inFlight = [];
    const info = workflowInfo();
    const continueAfter = timing.continueAfterEvents ?? defaultContinueAfterEvents;
    if (info.continueAsNewSuggested || info.historyLength > continueAfter) {
      await continueAsNew<typeof offboardingLookupBatcher>({ timing, waiting });
    }
  }
}

/** Waits for more requests: until full, quiet for `quietMs`, or `maxGatherMs` after the wait began. */
async function gather(waiting: readonly BatchedLookupRequest[], timing: LookupBatcherInput['timing']) {
  const gatherEndsAt = Date.now() + timing.maxGatherMs;
  for (;;) {
    const seen = waiting.length;
    const left = gatherEndsAt - Date.now();
    if (seen >= timing.maxPeople || left <= 0) return;
    const full = await condition(() => waiting.length >= timing.maxPeople, Math.min(timing.quietMs, left));
    if (full || waiting.length === seen) return;
  }
}

/** The batch's one list request; a failed one leaves every person to their own look-up. */
async function lookUp(batch: readonly BatchedLookupRequest[]): Promise<BatchedAccountsRead | undefined> {
  try {
    return await staffbase.findAccountsByExternalIds(batch.map((request) => request.externalID));
  } catch (error) {
    log.warn('A batched look-up failed: its leavers look up one by one', {
      batch: batch.length,
      error: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
}

async function answer(batch: readonly BatchedLookupRequest[], read: BatchedAccountsRead | undefined) {
  const deliveries = batch.map(({ externalID, workflowId }) => {
    const found = read?.answers[externalID];
    const answer: BatchedLookupAnswer =
      read && found
        ? { externalID, answer: found, readAt: read.readAt }
        : { externalID, answer: { result: 'look-up-alone' } };
    return { workflowId, answer };
  });
  try {
    await temporal.deliverBatchedLookupAnswers(deliveries);
  } catch (error) {
    // The runs that heard nothing look up alone after their timeout.
    log.warn('Batched look-up answers were not delivered', {
      batch: batch.length,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
