import { patched, proxyActivities } from '@temporalio/workflow';
import type { BulkSafetyActivities } from '../activities/bulk-safety-activities';
import { taskQueues } from '../lifecycle/task-queues';
import { bulkPatches } from './bulk-patches';

/** The configuration read: on the workflow queue (no Staffbase request), retried until a worker answers. */
const serviceConfig = proxyActivities<BulkSafetyActivities>({
  startToCloseTimeout: '10 seconds',
  taskQueue: taskQueues.lifecycle,
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** The thresholds a bulk run applies. */
export interface BulkLimits {
  /** Above this many users the run waits for a confirmation; undefined: never (runs from before it). */
  confirmAbove: number | undefined;
  /** More users failed for good than this stop the run. */
  maxFailures: number;
}

/** Whether this run takes the worker's thresholds (patch `bulk-service-thresholds`); call once, at its start. */
export function usesServiceThresholds(): boolean {
  return patched(bulkPatches.serviceThresholds);
}

/** The lower of two limits; undefined when neither is set. */
function lowerOf(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  return b === undefined ? a : Math.min(a, b);
}

/**
 * The run's thresholds. Since the patch: the lower of the worker's (read now, through an activity, so
 * replay is stable) and the input's, so whoever started the run could only lower them. Before: the
 * input's, as those runs started with (no `maxFailures`: no limit).
 */
export async function bulkLimitsOf(
  operation: 'population-logout' | 'cleanup',
  input: { confirmAbove?: number; maxFailures?: number },
  serviceThresholds: boolean,
): Promise<BulkLimits> {
  if (!serviceThresholds) {
    return { confirmAbove: input.confirmAbove, maxFailures: input.maxFailures ?? Number.POSITIVE_INFINITY };
  }
  const worker = await serviceConfig.bulkSafetyLimits();
  const workerConfirmAbove =
    operation === 'population-logout' ? worker.logoutConfirmAbove : worker.cleanupConfirmAbove;
  return {
    confirmAbove: lowerOf(input.confirmAbove, workerConfirmAbove),
    maxFailures: lowerOf(input.maxFailures, worker.maxFailures) ?? worker.maxFailures,
  };
}
