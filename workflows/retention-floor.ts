import { proxyActivities } from '@temporalio/workflow';
import type { RetentionFloorActivities } from '../activities/retention-floor-activities';
import { taskQueues } from '../lifecycle/task-queues';

/**
 * The worker's retention floor and the audit of raises to it (offboarding patch `retention-floor`):
 * configuration only, so on the workflow queue, off the tenant's rate limit.
 */
export const retentionFloor = proxyActivities<RetentionFloorActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  taskQueue: taskQueues.lifecycle,
});
