import { type ActivityOptions, proxyActivities } from '@temporalio/workflow';
import type { LifecycleCoordinationActivities } from '../activities/lifecycle-coordination-activities';
import { priorityLanes } from '../lifecycle/priority-lanes';
import { taskQueues } from '../lifecycle/task-queues';

/**
 * The activities by which one lifecycle of a person settles the other (they talk to Temporal only).
 * The wait can be long (the other run may be deleting under a rate limit); heartbeats notice a
 * crashed worker within seconds instead.
 */
const coordinationOptions: ActivityOptions = {
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/** Before patch `coordination-off-rate-limit`: on the Staffbase queue, in the urgent lane. */
export const coordinationOnStaffbaseQueue = proxyActivities<LifecycleCoordinationActivities>({
  ...coordinationOptions,
  taskQueue: taskQueues.staffbaseApi,
  priority: { priorityKey: priorityLanes.urgent },
});

/**
 * Since patch `coordination-off-rate-limit`: on the workflow queue. It sends no Staffbase request, so
 * it must not spend the tenant's budget — at the limit it halved the creations per second.
 */
export const coordinationOffRateLimit = proxyActivities<LifecycleCoordinationActivities>({
  ...coordinationOptions,
  taskQueue: taskQueues.lifecycle,
});
