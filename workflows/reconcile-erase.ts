/**
 * The reconcile-erase Schedule's run (worker/reconcile-erase-schedule.ts, daily): one activity on the
 * workflow queue deletes the snapshot rows (names, emails) of every reconciliation plan that ended more
 * than `keepDays` (RECONCILE_KEEP_DAYS) days ago, keeping the plans, and is audited
 * (`reconcile-snapshots-erased`, the count). A new workflow: no patches. Workflows never import the
 * store; the activity reaches it.
 */
import { proxyActivities } from '@temporalio/workflow';
import type {
  ReconcileEraseActivities,
  ReconcileEraseInput,
  ReconcileEraseResult,
} from '../activities/reconcile-erase-activities';
import { taskQueues } from '../lifecycle/task-queues';

// The store only: on the workflow queue, off the Staffbase budget. A store that is down for a while is
// waited out; the next day's run would catch up anyway.
const store = proxyActivities<ReconcileEraseActivities>({
  taskQueue: taskQueues.lifecycle,
  startToCloseTimeout: '10 minutes',
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    maximumAttempts: 20,
  },
});

export async function reconcileErase(input: ReconcileEraseInput): Promise<ReconcileEraseResult> {
  return store.eraseReconcileSnapshots(input);
}
