/**
 * The reconcile-erase Schedule's workflow (issue 30): one activity on the workflow queue against the
 * recorder's throwaway store. The history's shape (start, one activity, completion) does not depend on
 * how many snapshots were due, so an empty store records it as well as a full one.
 */
import { taskQueues } from '../../lifecycle/task-queues';
import type { reconcileErase } from '../../workflows/reconcile-erase';
import { uniqueSuffix } from '../../test/helpers/people';
import { type Scenario, closed } from './scenario';

export const reconcileEraseScenarios: Record<string, Scenario> = {
  /** A daily run with RECONCILE_KEEP_DAYS=30. */
  'reconcile-erase-daily': async (stack) => {
    const workflowId = `reconcile-erase-replay-${uniqueSuffix()}`;
    await stack.env.client.workflow.start<typeof reconcileErase>('reconcileErase', {
      taskQueue: taskQueues.lifecycle,
      workflowId,
      args: [{ keepDays: 30 }],
    });
    return closed(stack, workflowId);
  },
};
