/**
 * The activation sweep (run by the `activation-sweep` Schedule, every ACTIVATION_SWEEP_INTERVAL_MINUTES):
 * finds the onboardings waiting for an activation, asks Staffbase which of them are activated in
 * batches (one list request per batch, in the bulk lane), and signals those runs `activated`. So a
 * waiting person costs a fiftieth of a request per interval instead of one status check each; every
 * onboarding keeps a rare status check of its own (statusCheckIntervalMinutes) as the fallback.
 */
import {
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  patched,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';
import type { ActivationSweepActivities } from '../activities/activation-sweep-activities';
import { priorityLanes } from '../lifecycle/priority-lanes';
import { taskQueues } from '../lifecycle/task-queues';
import { lifecycleWorkflowId } from '../lifecycle/workflow-ids';
import { activationSweepPatches } from './activation-sweep-patches';
import { staffbaseActivityOptions } from './activity-options';
import { onboardingActivatedSignal } from './onboarding-messages';

/** externalIDs per Staffbase request: the issue's ≥ 50, well inside one 100-user page. */
export const DEFAULT_ACTIVATION_SWEEP_BATCH_SIZE = 50;
/** Waiting runs per visibility page: 20 batches, one continue-as-new check per page. */
const WAITING_PAGE_SIZE = 1_000;
/** A sweep over tens of thousands of waiting runs continues as new well before history limits. */
const historyEventLimit = 10_000;

export interface ActivationSweepInput {
  batchSize?: number;
  /** Set by continue-as-new: the visibility page to go on with, and the counts so far. */
  carryOver?: {
    pageToken: string;
    totals: ActivationSweepTotals;
    /** The tenant refused the batch's `or` earlier in this pass: ask per person from the start. */
    orRefused?: boolean;
  };
}

export interface ActivationSweepTotals {
  /** Waiting onboardings looked at. */
  waiting: number;
  /** Staffbase requests made (one per batch; one per person where the batch's `or` is refused). */
  requests: number;
  /** Runs signalled `activated`. */
  signalled: number;
}

const staffbase = proxyActivities<
  Pick<ActivationSweepActivities, 'findActivatedAmong' | 'checkActivatedAmong' | 'isActivated'>
>({
  ...staffbaseActivityOptions,
  taskQueue: taskQueues.staffbaseApi,
  priority: { priorityKey: priorityLanes.bulk },
});

// Temporal only (visibility): on the workflow queue, off the Staffbase budget.
const temporal = proxyActivities<Pick<ActivationSweepActivities, 'findWaitingOnboardings'>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function activationSweep(input: ActivationSweepInput = {}): Promise<ActivationSweepTotals> {
  const batchSize = input.batchSize ?? DEFAULT_ACTIVATION_SWEEP_BATCH_SIZE;
  const totals: ActivationSweepTotals = input.carryOver?.totals ?? { waiting: 0, requests: 0, signalled: 0 };
  let pageToken = input.carryOver?.pageToken;
  const sweep = {
    orFallback: patched(activationSweepPatches.orFallback),
    orRefused: !!input.carryOver?.orRefused,
  };
  do {
    const page = await temporal.findWaitingOnboardings({
      pageSize: WAITING_PAGE_SIZE,
      ...(pageToken && { pageToken }),
    });
    totals.waiting += page.externalIDs.length;
    for (let start = 0; start < page.externalIDs.length; start += batchSize) {
      const batch = page.externalIDs.slice(start, start + batchSize);
      const activated = sweep.orFallback
        ? await activatedAmong(batch, sweep, totals)
        : await staffbase.findActivatedAmong(batch);
      if (!sweep.orFallback) totals.requests += 1;
      await Promise.all(activated.map(signalActivated));
      totals.signalled += activated.length;
    }
    pageToken = page.nextPageToken;
    const info = workflowInfo();
    if (pageToken && (info.continueAsNewSuggested || info.historyLength >= historyEventLimit)) {
      await continueAsNew<typeof activationSweep>({
        batchSize,
        carryOver: { pageToken, totals, ...(sweep.orRefused && { orRefused: true }) },
      });
    }
  } while (pageToken);
  log.info('Activation sweep done', { ...totals });
  return totals;
}

/**
 * The batch's activated externalIDs: one request for all, or, once the tenant refused the batch's
 * `or` in this pass, one request per person (concurrently; the queue's rate limit paces them).
 */
async function activatedAmong(
  batch: string[],
  sweep: { orRefused: boolean },
  totals: ActivationSweepTotals,
): Promise<string[]> {
  if (!sweep.orRefused) {
    const answer = await staffbase.checkActivatedAmong(batch);
    totals.requests += 1;
    if (answer.result === 'activated') return answer.externalIDs;
    sweep.orRefused = true;
    log.warn('Activation sweep: the tenant refused the batch filter, so it looks up one person at a time', {
      batch: batch.length,
    });
  }
  const unique = [...new Set(batch)];
  const answers = await Promise.all(unique.map((externalID) => staffbase.isActivated(externalID)));
  totals.requests += unique.length;
  return unique.filter((_, index) => answers[index]);
}

/** Signals the person's current onboarding run; one that closed meanwhile needs nothing more. */
async function signalActivated(externalID: string): Promise<void> {
  try {
    await getExternalWorkflowHandle(lifecycleWorkflowId('onboarding', externalID)).signal(
      onboardingActivatedSignal,
      { source: 'activation-sweep' },
    );
  } catch (error) {
    log.info('Activated onboarding closed before the sweep signalled it', { externalID, error });
  }
}
