import { ActivityFailure, ApplicationFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { SupportActivities } from '../activities/support-activities';
import { priorityLanes } from '../lifecycle/priority-lanes';
import { taskQueues } from '../lifecycle/task-queues';
import { staffbaseActivityOptions } from './activity-options';
import type { BulkFailure } from './support-messages';

/** Helpers shared by the bulk runs (population logout, clean-ups). Deterministic, no I/O. */

/**
 * Bulk activities heartbeat every 2 s while their call runs (`bulkHeartbeatIntervalMs`): a task lost
 * when a worker stops (handed out by the server, never run) is retried after 10 s, not after the
 * one-minute start-to-close timeout, so a deploy in the middle of a large run costs seconds.
 */
export const supportActivities = proxyActivities<SupportActivities>({
  ...staffbaseActivityOptions,
  heartbeatTimeout: '10 seconds',
  taskQueue: taskQueues.staffbaseApi,
  // Background work: behind every single-person step on the shared rate limit. A priority is no
  // command of its own, so runs in flight replay unchanged.
  priority: { priorityKey: priorityLanes.bulk },
});

/**
 * A run also continues as new above this many history events, whatever `pagesPerRun` says (a page
 * of 1,000 users writes ~6,000 events), or when the server suggests it.
 */
export const bulkHistoryEventLimit = 10_000;

/** Failures kept for the query and the outcome; the counters count them all. */
export const keptFailures = 20;

export function shouldContinueAsNew(pagesThisRun: number, pagesPerRun: number): boolean {
  const info = workflowInfo();
  return (
    pagesThisRun >= pagesPerRun || info.continueAsNewSuggested || info.historyLength >= bulkHistoryEventLimit
  );
}

/**
 * Runs `each` over `items`, at most `parallelism` at a time, stopping between chunks when `stop()`
 * says so. Every call is an activity on the rate-limited queue, so parallelism only fills the
 * worker's budget; it never exceeds the rate limit.
 */
export async function inChunks<T>(
  items: readonly T[],
  parallelism: number,
  each: (item: T) => Promise<void>,
  stop: () => boolean,
): Promise<void> {
  for (let start = 0; start < items.length; start += parallelism) {
    if (stop()) return;
    await Promise.all(items.slice(start, start + parallelism).map(each));
  }
}

/** Why an activity failed for good, in the words of the error that ended it. */
export function failureReason(error: unknown): string {
  if (error instanceof ActivityFailure && error.cause) {
    const cause = error.cause;
    return cause instanceof ApplicationFailure && cause.type
      ? `${cause.type}: ${cause.message}`
      : cause.message;
  }
  return error instanceof Error ? error.message : String(error);
}

export function keepFailure(failures: BulkFailure[], failure: BulkFailure): void {
  if (failures.length < keptFailures) failures.push(failure);
}
