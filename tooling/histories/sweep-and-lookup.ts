/**
 * Scenarios of issue #19 for the workflows that had no history yet: the activation sweep and the
 * import preflight's directory look-up. The sweep finds the waiting onboardings by a visibility query,
 * which the time-skipping server does not serve: it records on the dev server (`devServerScenarios`).
 */
import { startOnboarding } from '../../client/lifecycle-runs';
import { directoryLookupWorkflowPrefix } from '../../client/csv/run-preflight';
import { taskQueues } from '../../lifecycle/task-queues';
import { lifecycleWorkflowId } from '../../lifecycle/workflow-ids';
import type { activationSweep } from '../../workflows/activation-sweep';
import type { directoryLookup } from '../../workflows/directory-lookup';
import type { LifecycleTestStack } from '../../test/helpers/lifecycle-stack';
import { newHire, onboardingPolicy, uniqueSuffix } from '../../test/helpers/people';
import { waitFor } from '../../test/helpers/waiting';
import { type Scenario, closed, onboardingStage, seedPeople } from './scenario';

/** Accounts in the simulator that hold nothing but an externalID, userName and email. */
function accounts(stack: LifecycleTestStack, count: number): Promise<string[]> {
  return seedPeople(stack, 'directory', count, () => ({ status: 'activated' }));
}

/** Two onboardings await activation, one hire accepts, one sweep runs: its run. */
async function sweepOverTwoWaiting(
  stack: LifecycleTestStack,
): Promise<{ workflowId: string; runId: string }> {
  const [accepts, waits] = [newHire(), newHire()];
  const ids = [accepts, waits].map((hire) => lifecycleWorkflowId('onboarding', hire.externalID));
  for (const hire of [accepts, waits]) {
    const run = await startOnboarding(stack.env.client, hire, onboardingPolicy());
    await onboardingStage(stack, run.workflowId, 'awaiting-activation');
  }
  const visible = `WorkflowId IN (${ids.map((id) => `'${id}'`).join(', ')}) AND LifecycleStage = 'awaiting-activation'`;
  await waitFor(
    async () => (await stack.env.client.workflow.count(visible)).count,
    (count) => count === ids.length,
    { what: 'both onboardings visible as awaiting activation' },
  );
  await stack.control.activate(accepts.externalID);
  const workflowId = `activation-sweep-replay-${uniqueSuffix()}`;
  await stack.env.client.workflow.start<typeof activationSweep>('activationSweep', {
    taskQueue: taskQueues.lifecycle,
    workflowId,
    args: [{ batchSize: 50 }],
  });
  const sweep = await closed(stack, workflowId);
  await closed(stack, ids[0] ?? '');
  await stack.env.client.workflow.getHandle(ids[1] ?? '').terminate('recorded');
  return sweep;
}

export const sweepAndLookupScenarios: Record<string, Scenario> = {
  /** Two onboardings await activation, one hire accepts: the sweep asks once and signals that run. */
  'activation-sweep-signals-activated': (stack) => sweepOverTwoWaiting(stack),
  /**
   * The same, on a tenant that refuses the batch's `or` (patch activation-sweep-or-fallback): one
   * refused batch request, then one look-up per person.
   */
  'activation-sweep-or-fallback': async (stack) => {
    await stack.control.setShapes('externalid-or-refused');
    try {
      return await sweepOverTwoWaiting(stack);
    } finally {
      await stack.control.setShapes('default');
    }
  },
  /** The import preflight's walk: five accounts, two a page, one holds a row's externalID. */
  'directory-lookup-pages': async (stack) => {
    const [holder = ''] = await accounts(stack, 5);
    const workflowId = `${directoryLookupWorkflowPrefix}replay-${uniqueSuffix()}`;
    await stack.env.client.workflow.start<typeof directoryLookup>('directoryLookup', {
      taskQueue: taskQueues.lifecycle,
      workflowId,
      args: [{ keys: { externalIDs: [holder, 'nobody-has-this'], userNames: [], emails: [] }, pageSize: 2 }],
    });
    return closed(stack, workflowId);
  },
};

/** Scenarios that need the dev server's visibility. */
export const devServerScenarios = new Set([
  'activation-sweep-signals-activated',
  'activation-sweep-or-fallback',
]);
