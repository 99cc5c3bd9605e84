/**
 * What `cancel`, `status` and `list` do (runs.ts declares them): apart, so that the Temporal client they
 * need is loaded only when one of them runs, never for `--help` or another command.
 */
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { lifecycleStageSearchAttribute } from '../../../lifecycle/search-attributes';
import { taskQueues } from '../../../lifecycle/task-queues';
import { type Lifecycle } from '../../../lifecycle/workflow-ids';
import { cancelOffboarding, cancelOnboarding, NoOpenRunError } from '../../lifecycle-actions';
import { type PersonState, personState } from '../../person-state';
import { listRuns, listRunsQuery, type ListRunsFilter } from '../../run-list';
import { lifecycleHandle } from '../../lifecycle-runs';
import { offboardingCancelAudit, onboardingSignalAudit } from '../../person-act-audits';
import { type CommandContext } from '../context';
import { CliError, ExitCode, isTemporalUnreachable } from '../exit-codes';
import { personStateText, runListText } from '../format';

const lifecycles: Lifecycle[] = ['onboarding', 'offboarding'];

async function isOpen(client: Client, lifecycle: Lifecycle, externalID: string): Promise<boolean> {
  try {
    return (await lifecycleHandle(client, lifecycle, externalID).describe()).status.name === 'RUNNING';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

/** The lifecycle to cancel when none is named: the one that is open. */
async function openLifecycle(client: Client, externalID: string): Promise<Lifecycle> {
  const open = await Promise.all(lifecycles.map((lifecycle) => isOpen(client, lifecycle, externalID)));
  const found = lifecycles.filter((_, i) => open[i]);
  if (found.length === 1) return found[0] as Lifecycle;
  if (found.length === 0) {
    throw new CliError(
      `No open onboarding or offboarding run for externalID "${externalID}"`,
      ExitCode.notFound,
    );
  }
  throw new CliError(
    `Both an onboarding and an offboarding of "${externalID}" are open: name one with --lifecycle`,
    ExitCode.invalidInput,
    [{ field: '--lifecycle', message: 'required when both runs are open' }],
  );
}

/**
 * The person's runs from Temporal's description alone, for when a run does not answer its status query
 * (no worker polling, or a worker without that query): stage from the LifecycleStage search attribute.
 */
async function describedState(client: Client, externalID: string): Promise<PersonState> {
  const one = async (lifecycle: Lifecycle) => {
    try {
      const described = await lifecycleHandle(client, lifecycle, externalID).describe();
      const stage = described.typedSearchAttributes.get(lifecycleStageSearchAttribute);
      return {
        workflowId: described.workflowId,
        runId: described.runId,
        runStatus: described.status.name,
        startTime: described.startTime.toISOString(),
        ...(described.closeTime && { closeTime: described.closeTime.toISOString() }),
        ...(stage !== undefined && { stage }),
      };
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  };
  const [onboarding, offboarding] = await Promise.all([one('onboarding'), one('offboarding')]);
  return { externalID, onboarding, offboarding };
}

/** Whether any worker polled the lifecycle workflow task queue lately (the server remembers ~5 min). */
async function workerIsPolling(client: Client): Promise<boolean> {
  const response = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: taskQueues.lifecycle },
    taskQueueType: 1, // temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW
  });
  return (response.pollers ?? []).length > 0;
}

/** `cancel <externalID>`. */
export async function cancelRun(
  ctx: CommandContext,
  externalID: string,
  options: { lifecycle?: Lifecycle; reason?: string },
): Promise<void> {
  const client = await ctx.client();
  const lifecycle = options.lifecycle ?? (await openLifecycle(client, externalID));
  if (lifecycle === 'onboarding') {
    // A signal to a closed run would fail anyway; checking first gives the clear "no open run".
    if (!(await isOpen(client, 'onboarding', externalID))) throw new NoOpenRunError('onboarding', externalID);
    await cancelOnboarding(client, externalID, options.reason);
    await ctx.audit(onboardingSignalAudit('onboarding-cancelled', externalID));
    ctx.result(
      { externalID, lifecycle, action: 'cancel', delivered: true },
      `Cancelled the onboarding of ${externalID}: it stops now (see \`status ${externalID}\`).`,
    );
  } else {
    const outcome = await cancelOffboarding(client, externalID, options.reason);
    await ctx.audit(offboardingCancelAudit(externalID, outcome));
    ctx.result(
      { externalID, lifecycle, action: 'cancel', outcome },
      `Cancelled the offboarding of ${externalID}: ${outcome.result}` +
        `${outcome.reactivated ? ', the account was reactivated' : ''}.`,
    );
  }
}

/** `status <externalID>`. */
export async function showStatus(ctx: CommandContext, externalID: string): Promise<void> {
  const client = await ctx.client();
  let person: PersonState & { warning?: string };
  if (!(await workerIsPolling(client))) {
    // A status query would wait ~30 s for a worker that is not there.
    person = {
      ...(await describedState(client, externalID)),
      warning: `no worker polls the task queue ${taskQueues.lifecycle}: stage from search attributes only`,
    };
  } else {
    try {
      person = await personState(client, externalID);
    } catch (error) {
      if (isTemporalUnreachable(error)) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      person = {
        ...(await describedState(client, externalID)),
        warning: `a run did not answer its status query (${reason}); is the worker running?`,
      };
    }
  }
  if (!person.onboarding && !person.offboarding) {
    throw new CliError(`No onboarding or offboarding run for externalID "${externalID}"`, ExitCode.notFound);
  }
  ctx.result(person, [...personStateText(person), ...(person.warning ? [`(${person.warning})`] : [])]);
}

/** `list`. */
export async function showRunList(
  ctx: CommandContext,
  options: { lifecycle?: Lifecycle; stage?: string; all?: boolean; limit: number },
): Promise<void> {
  const filter: ListRunsFilter = {
    ...(options.lifecycle && { lifecycle: options.lifecycle }),
    ...(options.stage && { stage: options.stage }),
    openOnly: options.all !== true,
    limit: options.limit,
  };
  const query = listRunsQuery(filter);
  const runs = await listRuns(await ctx.client(), filter);
  ctx.result({ query, runs }, runListText(runs, query, runs.length >= options.limit));
}
