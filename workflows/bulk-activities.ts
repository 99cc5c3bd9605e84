import { proxyActivities } from '@temporalio/workflow';
import type { RetiredActivities } from '../activities';
import type { SupportActivities } from '../activities/support-activities';
import { type PriorityLane, actLaneAfterRead, priorityLanes } from '../lifecycle/priority-lanes';
import { taskQueues } from '../lifecycle/task-queues';
import { staffbaseActivityOptions } from './activity-options';

/**
 * The Staffbase activities of the bulk runs (population logout, clean-ups).
 *
 * They heartbeat every 2 s while their call runs (activities/bulk-heartbeat.ts): a task lost when a
 * worker stops (handed out by the server, never run) is retried after 10 s, not after the one-minute
 * start-to-close timeout, so a deploy in the middle of a large run costs seconds.
 */
function bulkActivitiesIn(lane: PriorityLane) {
  // `deleteUserInStatus`: retired, for clean-ups recorded before `cleanup-one-request-steps`.
  return proxyActivities<SupportActivities & Pick<RetiredActivities, 'deleteUserInStatus'>>({
    ...staffbaseActivityOptions,
    heartbeatTimeout: '10 seconds',
    taskQueue: taskQueues.staffbaseApi,
    // A priority is no command of its own, so runs in flight replay unchanged.
    priority: { priorityKey: priorityLanes[lane] },
  });
}

/** Background work: behind every single-person step on the shared rate limit. */
export const bulkStaffbase = bulkActivitiesIn('bulk');

/**
 * The deletions of the bulk runs: a lane ahead of the reads they follow, so a DELETE does not wait
 * behind the bulk backlog its read waited behind and goes out while that read is fresh.
 */
export const bulkActs = bulkActivitiesIn(actLaneAfterRead('bulk'));
