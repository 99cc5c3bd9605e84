import { proxyActivities } from '@temporalio/workflow';
import type { SupportActivities } from '../activities/support-activities';
import { priorityLanes } from '../lifecycle/priority-lanes';
import { taskQueues } from '../lifecycle/task-queues';
import { staffbaseActivityOptions } from './activity-options';

/**
 * The Staffbase activities of the bulk runs (population logout, clean-ups), in the bulk lane.
 *
 * They heartbeat every 2 s while their call runs (activities/bulk-heartbeat.ts): a task lost when a
 * worker stops (handed out by the server, never run) is retried after 10 s, not after the one-minute
 * start-to-close timeout, so a deploy in the middle of a large run costs seconds.
 */
export const bulkStaffbase = proxyActivities<SupportActivities>({
  ...staffbaseActivityOptions,
  heartbeatTimeout: '10 seconds',
  taskQueue: taskQueues.staffbaseApi,
  // Background work: behind every single-person step on the shared rate limit. A priority is no
  // command of its own, so runs in flight replay unchanged.
  priority: { priorityKey: priorityLanes.bulk },
});
