import {
  type Client,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowExecutionDescription,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
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
import type { OnboardingInput } from '../workflows/onboarding';

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

/**
 * Runs an action on an open run, turning Temporal's answers into the shared errors: no run (or a
 * closed one) → {@link NoOpenRunError}; an update the run refused → {@link ActionRefusedError}.
 */
export async function asOpenRun<T>(
  lifecycle: Lifecycle,
  externalID: string,
  action: () => Promise<T>,
): Promise<T> {
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
  /**
   * When failed, terminated or timed out: why — the innermost cause's message (e.g. Staffbase's own
   * words), not the wrapper's "Activity task failed".
   */
  failure?: string;
  /** The innermost cause's failure type, when it has one (e.g. an ApplicationFailure's `type`). */
  failureType?: string;
}

export interface PersonState {
  externalID: string;
  /**
   * First and last name from the onboarding's request, when this client can read it (its payload
   * codec holds the key the worker encrypts with); absent otherwise, and for offboardings only.
   */
  name?: string;
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
      const cause = rootCause(error);
      state.failure = cause.message;
      if (cause.type) state.failureType = cause.type;
    }
  }
  return state;
}

/** Why a run failed, as people need it: the innermost cause of the failure chain. */
export interface FailureCause {
  message: string;
  /** The ApplicationFailure's type (e.g. `StaffbaseConflict`), or the failure class's name. */
  type?: string;
}

/**
 * Walks an error's `cause` chain (WorkflowFailedError → ActivityFailure → ApplicationFailure …) to
 * the innermost cause that says something, so a failed run shows e.g. Staffbase's "userName …
 * already exists" instead of "Activity task failed". Used by the CLI, the HTTP API and the CSV report.
 */
export function rootCause(error: unknown): FailureCause {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && current !== null && chain.length < 20;) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  for (const link of chain.reverse()) {
    if (!(link instanceof Error)) {
      if (typeof link === 'string' && link.trim()) return { message: link };
      continue;
    }
    if (!link.message.trim()) continue;
    const type = link instanceof ApplicationFailure ? (link.type ?? undefined) : undefined;
    return { message: link.message, ...(type && { type }) };
  }
  return { message: error instanceof Error ? error.name : String(error) };
}

/** The innermost cause's message (see {@link rootCause}). */
export function rootCauseMessage(error: unknown): string {
  return rootCause(error).message;
}

/**
 * The new hire's name from the onboarding's start input (its first history event), decoded by this
 * client's data converter. Undefined when the input cannot be read (another encryption key, no run).
 */
async function onboardingName(
  client: Client,
  workflowId: string,
  runId: string,
): Promise<string | undefined> {
  try {
    const response = await client.workflowService.getWorkflowExecutionHistory({
      namespace: client.options.namespace,
      execution: { workflowId, runId },
      maximumPageSize: 1,
    });
    const started = response.history?.events?.[0]?.workflowExecutionStartedEventAttributes;
    if (!started?.input?.payloads) return undefined;
    const input = await decodeFromPayloadsAtIndex<OnboardingInput>(
      client.options.loadedDataConverter,
      0,
      started.input.payloads,
    );
    const name = [input?.request?.firstName, input?.request?.lastName]
      .filter((part): part is string => typeof part === 'string' && part.trim() !== '')
      .join(' ');
    return name || undefined;
  } catch {
    return undefined;
  }
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
  const name = onboarding ? await onboardingName(client, onboarding.workflowId, onboarding.runId) : undefined;
  return { externalID, ...(name && { name }), onboarding, offboarding };
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
