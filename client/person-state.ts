/**
 * What HR sees of one person: their onboarding and offboarding runs — live status while open, the
 * outcome or the root cause of a failure once closed — and the name from the onboarding's request.
 */
import { type Client, type WorkflowHandle } from '@temporalio/client';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import { type Lifecycle } from '../lifecycle/workflow-ids';
import {
  offboardingStatusQuery,
  type OffboardingOutcome,
  type OffboardingStatus,
} from '../workflows/offboarding-messages';
import {
  onboardingStatusQuery,
  type OnboardingOutcome,
  type OnboardingStatus,
} from '../workflows/onboarding-messages';
import type { OnboardingInput } from '../workflows/onboarding';
import { type FailureCause, rootCause } from './failure-cause';
import { lifecycleHandle, runHandle, unlessNotFound } from './workflow-runs';

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
  query: Parameters<WorkflowHandle['query']>[0],
): Promise<RunState<Status, Outcome> | undefined> {
  const handle = lifecycleHandle(client, lifecycle, externalID);
  const description = await unlessNotFound(() => handle.describe());
  if (description === undefined) return undefined;
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

/**
 * Why the latest run of a closed workflow did not complete (failed, terminated, timed out, cancelled):
 * its innermost cause, as {@link RunState.failure} shows it; undefined when it completed.
 */
export async function closedRunFailure(
  client: Client,
  workflowId: string,
): Promise<FailureCause | undefined> {
  try {
    await runHandle(client, workflowId).result();
    return undefined;
  } catch (error) {
    return rootCause(error);
  }
}

/**
 * The new hire's name from the onboarding's start input (its first history event), decoded by this
 * client's data converter; `runId` '' reads the latest run. Undefined when the input cannot be read
 * (another encryption key, no run).
 */
export async function onboardingName(
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
