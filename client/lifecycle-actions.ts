import {
  type Client,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowExecutionDescription,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { calendarDateSchema } from '../lifecycle/field-rules';
import { type RetentionChange, retentionChangeSchema } from '../lifecycle/offboarding-request';
import { externalIdSearchAttribute, lifecycleStageSearchAttribute } from '../lifecycle/search-attributes';
import { type Lifecycle, lifecycleWorkflowId } from '../lifecycle/workflow-ids';
import {
  cancelOffboardingUpdate,
  changeRetentionUpdate,
  deleteNowUpdate,
  legalHoldUpdate,
  offboardingStatusQuery,
  releaseLegalHoldUpdate,
  type OffboardingOutcome,
  type OffboardingStatus,
} from '../workflows/offboarding-messages';
import {
  cancelOnboardingSignal,
  changeStartDateSignal,
  onboardingActivatedSignal,
  onboardingStatusQuery,
  type OnboardingOutcome,
  type OnboardingStatus,
} from '../workflows/onboarding-messages';

/**
 * What HR can do to a run, and what it can see of one — shared by the CLI, the HTTP API and CSV
 * imports. Runs are addressed by lifecycle and externalID only.
 */

/** There is no open run to act on (never started, or already finished). */
export class NoOpenRunError extends Error {
  override readonly name = 'NoOpenRunError';
  constructor(
    readonly lifecycle: Lifecycle,
    readonly externalID: string,
  ) {
    super(`No open ${lifecycle} run for externalID "${externalID}"`);
  }
}

/** The run is open but refused the request (e.g. cancel after deletion, delete-now under legal hold). */
export class ActionRefusedError extends Error {
  override readonly name = 'ActionRefusedError';
  constructor(
    message: string,
    readonly reasonCode: string,
  ) {
    super(message);
  }
}

/** A request whose input fails validation before anything is sent to Temporal. */
export class InvalidActionInputError extends Error {
  override readonly name = 'InvalidActionInputError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

const handleFor = (client: Client, lifecycle: Lifecycle, externalID: string) =>
  client.workflow.getHandle(lifecycleWorkflowId(lifecycle, externalID));

async function asOpenRun<T>(lifecycle: Lifecycle, externalID: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new NoOpenRunError(lifecycle, externalID);
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
      throw new ActionRefusedError(error.cause.message, error.cause.type ?? 'Refused');
    }
    // A closed run answers signals and updates with "workflow execution already completed".
    if (error instanceof Error && /already completed/i.test(error.message)) {
      throw new NoOpenRunError(lifecycle, externalID);
    }
    throw error;
  }
}

// --- onboarding -----------------------------------------------------------------------------

export function signalActivated(client: Client, externalID: string, source = 'hr'): Promise<void> {
  return asOpenRun('onboarding', externalID, () =>
    handleFor(client, 'onboarding', externalID).signal(onboardingActivatedSignal, { source }),
  );
}

export function cancelOnboarding(client: Client, externalID: string, reason?: string): Promise<void> {
  return asOpenRun('onboarding', externalID, () =>
    handleFor(client, 'onboarding', externalID).signal(cancelOnboardingSignal, { reason }),
  );
}

export function changeStartDate(client: Client, externalID: string, startDate: string): Promise<void> {
  const parsed = calendarDateSchema.safeParse(startDate);
  if (!parsed.success)
    throw new InvalidActionInputError('startDate must be a date in the form YYYY-MM-DD', 'startDate');
  return asOpenRun('onboarding', externalID, () =>
    handleFor(client, 'onboarding', externalID).signal(changeStartDateSignal, { startDate: parsed.data }),
  );
}

// --- offboarding ----------------------------------------------------------------------------

export function cancelOffboarding(
  client: Client,
  externalID: string,
  reason?: string,
): Promise<OffboardingOutcome> {
  return asOpenRun('offboarding', externalID, () =>
    handleFor(client, 'offboarding', externalID).executeUpdate(cancelOffboardingUpdate, {
      args: [{ reason }],
    }),
  );
}

export function deleteNow(client: Client, externalID: string): Promise<OffboardingStatus> {
  return asOpenRun('offboarding', externalID, () =>
    handleFor(client, 'offboarding', externalID).executeUpdate(deleteNowUpdate),
  );
}

export function placeLegalHold(
  client: Client,
  externalID: string,
  reason: string,
): Promise<OffboardingStatus> {
  if (!reason.trim()) throw new InvalidActionInputError('reason must not be empty', 'reason');
  return asOpenRun('offboarding', externalID, () =>
    handleFor(client, 'offboarding', externalID).executeUpdate(legalHoldUpdate, { args: [{ reason }] }),
  );
}

export function releaseLegalHold(client: Client, externalID: string): Promise<OffboardingStatus> {
  return asOpenRun('offboarding', externalID, () =>
    handleFor(client, 'offboarding', externalID).executeUpdate(releaseLegalHoldUpdate),
  );
}

export function changeRetention(
  client: Client,
  externalID: string,
  change: RetentionChange,
): Promise<OffboardingStatus> {
  const parsed = retentionChangeSchema.safeParse(change);
  if (!parsed.success) {
    throw new InvalidActionInputError(
      'give retentionDays (a whole number ≥ 0) or deleteAt (an ISO date-time)',
      'retention',
    );
  }
  return asOpenRun('offboarding', externalID, () =>
    handleFor(client, 'offboarding', externalID).executeUpdate(changeRetentionUpdate, {
      args: [parsed.data],
    }),
  );
}

// --- state and listing -----------------------------------------------------------------------

export interface RunState<Status, Outcome> {
  workflowId: string;
  runId: string;
  /** Temporal's view: RUNNING, COMPLETED, FAILED, TERMINATED, … */
  runStatus: string;
  startTime: string;
  closeTime?: string;
  /** While running: the workflow's own status query. */
  status?: Status;
  /** When completed: the workflow's result. */
  outcome?: Outcome;
  /** When failed, terminated or timed out: why. */
  failure?: string;
}

export interface PersonState {
  externalID: string;
  onboarding?: RunState<OnboardingStatus, OnboardingOutcome>;
  offboarding?: RunState<OffboardingStatus, OffboardingOutcome>;
}

async function runState<Status, Outcome>(
  client: Client,
  lifecycle: Lifecycle,
  externalID: string,
  query: Parameters<ReturnType<Client['workflow']['getHandle']>['query']>[0],
): Promise<RunState<Status, Outcome> | undefined> {
  const handle = handleFor(client, lifecycle, externalID);
  let description: WorkflowExecutionDescription;
  try {
    description = await handle.describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
  const state: RunState<Status, Outcome> = {
    workflowId: description.workflowId,
    runId: description.runId,
    runStatus: description.status.name,
    startTime: description.startTime.toISOString(),
    closeTime: description.closeTime?.toISOString(),
  };
  if (description.status.name === 'RUNNING') {
    state.status = (await handle.query(query)) as Status;
  } else {
    try {
      state.outcome = (await handle.result()) as Outcome;
    } catch (error) {
      state.failure = error instanceof Error ? (error.cause?.toString() ?? error.message) : String(error);
    }
  }
  return state;
}

/** The current lifecycle state of one person: their onboarding and offboarding runs, if any. */
export async function personState(client: Client, externalID: string): Promise<PersonState> {
  const [onboarding, offboarding] = await Promise.all([
    runState<OnboardingStatus, OnboardingOutcome>(client, 'onboarding', externalID, onboardingStatusQuery),
    runState<OffboardingStatus, OffboardingOutcome>(
      client,
      'offboarding',
      externalID,
      offboardingStatusQuery,
    ),
  ]);
  return { externalID, onboarding, offboarding };
}

export interface RunSummary {
  lifecycle: string;
  externalID?: string;
  stage?: string;
  workflowId: string;
  runStatus: string;
  startTime: string;
}

export interface ListRunsFilter {
  lifecycle?: Lifecycle;
  stage?: string;
  /** Only open (running) runs; default true. */
  openOnly?: boolean;
  limit?: number;
}

const quote = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The visibility query for `listRuns`; the same text works in the Temporal UI's search box. */
export function listRunsQuery(filter: ListRunsFilter): string {
  const conditions = [
    filter.lifecycle
      ? `WorkflowType = ${quote(filter.lifecycle)}`
      : `WorkflowType IN ('onboarding', 'offboarding')`,
  ];
  if (filter.stage) conditions.push(`${lifecycleStageSearchAttribute.name} = ${quote(filter.stage)}`);
  if (filter.openOnly ?? true) conditions.push(`ExecutionStatus = 'Running'`);
  return conditions.join(' AND ');
}

/** Runs by lifecycle and stage, through Temporal visibility and the custom search attributes. */
export async function listRuns(client: Client, filter: ListRunsFilter = {}): Promise<RunSummary[]> {
  const limit = filter.limit ?? 100;
  const runs: RunSummary[] = [];
  for await (const execution of client.workflow.list({
    query: listRunsQuery(filter),
    pageSize: Math.min(limit, 1000),
  })) {
    runs.push({
      lifecycle: execution.type,
      externalID: execution.typedSearchAttributes.get(externalIdSearchAttribute),
      stage: execution.typedSearchAttributes.get(lifecycleStageSearchAttribute),
      workflowId: execution.workflowId,
      runStatus: execution.status.name,
      startTime: execution.startTime.toISOString(),
    });
    if (runs.length >= limit) break;
  }
  return runs;
}
