/**
 * The store-erase Schedule's workflow (issue 29): one activity on the workflow queue against the
 * recorder's throwaway store. The history's shape (start, one activity, completion) does not depend on
 * how many people were due, so an empty store records it as well as a full one.
 */
import { taskQueues } from '../../lifecycle/task-queues';
import type { storeErase } from '../../workflows/store-erase';
import { uniqueSuffix } from '../../test/helpers/people';
import { type Scenario, closed } from './scenario';

export const storeEraseScenarios: Record<string, Scenario> = {
  /** A daily run with STORE_ERASE_AFTER_DAYS=30. */
  'store-erase-daily': async (stack) => {
    const workflowId = `store-erase-replay-${uniqueSuffix()}`;
    await stack.env.client.workflow.start<typeof storeErase>('storeErase', {
      taskQueue: taskQueues.lifecycle,
      workflowId,
      args: [{ afterDays: 30 }],
    });
    return closed(stack, workflowId);
  },
};
