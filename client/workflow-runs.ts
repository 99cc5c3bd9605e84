/**
 * The one home for how this client reaches workflow runs: their handles, "start, or return the open
 * run", and a run that is not there. Lifecycle runs (lifecycle-runs.ts), support runs
 * (support-runs.ts), CSV imports and the HTTP routes all go through here, so they answer alike.
 */
import {
  type Client,
  type Workflow,
  type WorkflowHandle,
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
} from '@temporalio/client';
import { type PersonLifecycle, lifecycleWorkflowId } from '../lifecycle/workflow-ids';

/** The handle of a workflow ID's latest run (following its continue-as-new chain). */
export function runHandle<T extends Workflow = Workflow>(
  client: Client,
  workflowId: string,
): WorkflowHandle<T> {
  return client.workflow.getHandle<T>(workflowId);
}

/** The handle of one person's onboarding or offboarding. */
export function lifecycleHandle(
  client: Client,
  lifecycle: PersonLifecycle,
  externalID: string,
): WorkflowHandle {
  return runHandle(client, lifecycleWorkflowId(lifecycle, externalID));
}

/** The call's answer, or undefined when Temporal has no workflow of that ID. */
export async function unlessNotFound<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}

/** Whether a signal or update failed because the run has closed ("workflow execution already completed"). */
export function isClosedRunAnswer(error: unknown): boolean {
  return error instanceof Error && /already completed/i.test(error.message);
}

/** What a start needs to know of the latest run of its workflow ID. */
export interface LatestRun {
  runId: string;
  status: { name: string };
}

/** The latest run of a workflow ID, or undefined when there has never been one (or it is gone). */
export function latestRun(client: Client, workflowId: string): Promise<LatestRun | undefined> {
  return unlessNotFound(() => runHandle(client, workflowId).describe());
}

/**
 * When a workflow ID whose last run closed may start again: `always` (support operations, which are
 * idempotent), or `unless-completed` (a lifecycle: a failed or terminated run may be retried, a
 * successful one only on purpose).
 */
export type RestartRule = 'always' | 'unless-completed';

const reusePolicies: Record<RestartRule, WorkflowIdReusePolicy> = {
  always: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
  'unless-completed': WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
};

export type StartOutcome =
  | { status: 'started'; runId: string }
  | { status: 'already-running'; runId: string }
  /** Only under `unless-completed`: the last run completed, nothing was started. */
  | { status: 'already-completed'; runId: string; closedStatus: string };

export type StartVerdict = { status: 'start' } | Exclude<StartOutcome, { status: 'started' }>;

/**
 * What a start does, given the latest run (undefined: none): the same rule Temporal applies through
 * the reuse policy, spelled out so that a dry run (CSV imports) predicts it and a refused start is
 * explained by it.
 */
export function startVerdict(latest: LatestRun | undefined, rule: RestartRule): StartVerdict {
  if (latest === undefined) return { status: 'start' };
  const statusName = latest.status.name;
  if (statusName === 'RUNNING') return { status: 'already-running', runId: latest.runId };
  if (statusName === 'COMPLETED' && rule === 'unless-completed') {
    return { status: 'already-completed', runId: latest.runId, closedStatus: statusName };
  }
  return { status: 'start' };
}

/** The ID options every start through {@link startOrReturnOpen} is made with. */
export interface StartIdOptions {
  workflowId: string;
  workflowIdReusePolicy: WorkflowIdReusePolicy;
  workflowIdConflictPolicy: 'FAIL';
}

/**
 * Attempts at most: a start is tried again only when the run that refused it closed before the
 * look-up (a window of milliseconds); refused a third time, something else starts this ID in a loop,
 * and the refusal is thrown rather than spun on.
 */
export const maxStartAttempts = 3;

type OutcomeOf<Rule extends RestartRule> = Rule extends 'always'
  ? Exclude<StartOutcome, { status: 'already-completed' }>
  : StartOutcome;

/**
 * Starts the workflow unless a run of the ID is open (returned instead) or, under `unless-completed`,
 * completed (reported, not repeated). `start` is the caller's typed `client.workflow.start` with the
 * given ID options spread in. Temporal refuses a start whether a run is open or the reuse policy
 * forbids it; the look-up after a refusal tells which. When the open run closed in between, or its
 * ID was deleted meanwhile, the start is simply tried again: every caller (HTTP, CLI, imports,
 * support) gets a true answer rather than "already running" for a run that has just ended.
 */
export async function startOrReturnOpen<Rule extends RestartRule>(
  client: Client,
  workflowId: string,
  rule: Rule,
  start: (idOptions: StartIdOptions) => Promise<{ firstExecutionRunId: string }>,
): Promise<OutcomeOf<Rule>> {
  const idOptions: StartIdOptions = {
    workflowId,
    workflowIdReusePolicy: reusePolicies[rule],
    workflowIdConflictPolicy: 'FAIL',
  };
  for (let attempt = 1; ; attempt += 1) {
    try {
      const handle = await start(idOptions);
      return { status: 'started', runId: handle.firstExecutionRunId } as OutcomeOf<Rule>;
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      const verdict = startVerdict(await latestRun(client, workflowId), rule);
      if (verdict.status !== 'start') return verdict as OutcomeOf<Rule>;
      if (attempt >= maxStartAttempts) throw error;
    }
  }
}
