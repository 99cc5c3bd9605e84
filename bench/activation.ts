/**
 * Activation checks: one activation sweep over the onboardings the import left waiting, a tenth of
 * them activated first, counting its Staffbase list requests in the simulator's call log (429s and
 * retries included).
 */
import { type Client } from '@temporalio/client';
import { taskQueues } from '../lifecycle/task-queues';
import { type SimulatorControl } from '../simulator/control-client';
import type { activationSweep } from '../workflows/activation-sweep';

export interface ActivationCheckFigures {
  waiting: number;
  requests: number;
  signalled: number;
  requestsPerFiftyWaiting: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function activationCheckFigures(
  client: Client,
  control: SimulatorControl,
  externalIDs: string[],
): Promise<ActivationCheckFigures> {
  // Visibility follows the runs with a short lag: sweep once all of them show as waiting.
  const query =
    "WorkflowType='onboarding' AND LifecycleStage='awaiting-activation' AND ExecutionStatus='Running'";
  while ((await client.workflow.count(query)).count < externalIDs.length) await sleep(500);
  for (const externalID of externalIDs.filter((_, i) => i % 10 === 0)) await control.activate(externalID);
  const since = new Date().toISOString();
  const totals = await client.workflow.execute<typeof activationSweep>('activationSweep', {
    workflowId: `bench-activation-sweep-${Date.now()}`,
    taskQueue: taskQueues.lifecycle,
    args: [{}],
  });
  const requests = (await control.log()).filter(
    (call) => call.routeKey === 'GET /users' && call.time >= since,
  ).length;
  return {
    waiting: totals.waiting,
    requests,
    signalled: totals.signalled,
    requestsPerFiftyWaiting: requests / (totals.waiting / 50),
  };
}
