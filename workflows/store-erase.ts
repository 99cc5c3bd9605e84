/**
 * The store-erase Schedule's run (worker/store-erase-schedule.ts, daily): one activity on the workflow
 * queue empties the name and email in the store's person index of everyone whose account was deleted
 * more than `afterDays` (STORE_ERASE_AFTER_DAYS) days ago, and is audited (`store-erased`, the count).
 * A new workflow: no patches. Workflows never import the store; the activity reaches it.
 */
import { proxyActivities } from '@temporalio/workflow';
import type {
  StoreEraseActivities,
  StoreEraseInput,
  StoreEraseResult,
} from '../activities/store-erase-activities';
import { taskQueues } from '../lifecycle/task-queues';

// The store only: on the workflow queue, off the Staffbase budget. A store that is down for a while
// (a database restart) is waited out; the next day's run would catch up anyway.
const store = proxyActivities<StoreEraseActivities>({
  taskQueue: taskQueues.lifecycle,
  startToCloseTimeout: '10 minutes',
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    maximumAttempts: 20,
  },
});

export async function storeErase(input: StoreEraseInput): Promise<StoreEraseResult> {
  return store.eraseDeletedPeopleNames(input);
}
