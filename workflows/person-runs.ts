import { proxyActivities } from '@temporalio/workflow';
import type { PersonRunsActivities } from '../activities/person-runs-activities';
import { taskQueues } from '../lifecycle/task-queues';

/**
 * Which open runs of a person hold their account (activities/person-runs-activities.ts). It asks
 * Temporal only, so it runs on the workflow queue: never behind, nor spending, the Staffbase budget.
 */
export const personRuns = proxyActivities<PersonRunsActivities>({
  taskQueue: taskQueues.lifecycle,
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});
