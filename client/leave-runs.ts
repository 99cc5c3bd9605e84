/**
 * Leaves of absence (workflows/leave.ts): the one place that starts them and acts on them, for the CLI
 * and the HTTP API alike. A person has at most one open leave (workflow ID `leave-<externalID>`); a
 * later leave of the same person starts a new run once the earlier one closed.
 */
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { calendarDateSchema } from '../lifecycle/field-rules';
import { type LeavePolicy, type LeaveRequest, leaveRequestSchema } from '../lifecycle/leave-request';
import { externalIdSearchAttribute } from '../lifecycle/search-attributes';
import { taskQueues } from '../lifecycle/task-queues';
import { validate } from '../lifecycle/validation';
import { type PersonLifecycle, lifecycleWorkflowId } from '../lifecycle/workflow-ids';
import type { leave, LeaveInput } from '../workflows/leave';
import {
  type LeaveOutcome,
  type LeaveStatus,
  cancelLeaveUpdate,
  changeLeaveUntilUpdate,
  endLeaveUpdate,
  leaveStatusQuery,
} from '../workflows/leave-messages';
import { ActionRefusedError, InvalidActionInputError, InvalidLifecycleRequestError } from './action-errors';
import { asOpenRun } from './lifecycle-actions';
import {
  type RestartRule,
  type StartOutcome,
  lifecycleHandle,
  runHandle,
  startOrReturnOpen,
} from './workflow-runs';

export interface StartedLeave {
  status: 'started' | 'already-running';
  lifecycle: 'leave';
  workflowId: string;
  runId: string;
}

/** Whether the person's run of a lifecycle is open (running) now. */
export async function hasOpenRun(
  client: Client,
  lifecycle: PersonLifecycle,
  externalID: string,
): Promise<boolean> {
  try {
    const description = await runHandle(client, lifecycleWorkflowId(lifecycle, externalID)).describe();
    return description.status.name === 'RUNNING';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

/** A leave for a person another lifecycle is still deciding about is refused, naming which. */
export async function refuseWhileOtherRunOpen(client: Client, externalID: string): Promise<void> {
  if (await hasOpenRun(client, 'onboarding', externalID)) {
    throw new ActionRefusedError(
      `The person "${externalID}" has an open onboarding: finish or cancel it before a leave.`,
      'onboarding-open',
    );
  }
  if (await hasOpenRun(client, 'offboarding', externalID)) {
    throw new ActionRefusedError(
      `The person "${externalID}" has an open offboarding: a leave cannot start while they leave.`,
      'offboarding-open',
    );
  }
}

/**
 * Validates the leave and starts it, or returns the person's open leave. Refused (nothing started)
 * while the person has an open onboarding or offboarding.
 */
export function startLeave(
  client: Client,
  request: LeaveRequest,
  policy: LeavePolicy,
): Promise<StartedLeave> {
  return startLeaveUnder(client, request, policy, 'always');
}

export interface ImportedLeave extends Omit<StartedLeave, 'status'> {
  status: StartOutcome['status'];
  /** For `already-completed`: how the earlier run closed. */
  closedStatus?: string;
}

/**
 * A leave from an import file: as {@link startLeave}, but a person whose earlier leave completed is
 * reported `already-completed` (nothing started) unless `rerun`, so importing the same file again
 * never starts a second leave.
 */
export function startImportedLeave(
  client: Client,
  request: LeaveRequest,
  policy: LeavePolicy,
  options: { rerun?: boolean } = {},
): Promise<ImportedLeave> {
  return startLeaveUnder(client, request, policy, options.rerun === true ? 'always' : 'unless-completed');
}

async function startLeaveUnder<Rule extends RestartRule>(
  client: Client,
  request: LeaveRequest,
  policy: LeavePolicy,
  rule: Rule,
) {
  const valid = validate(leaveRequestSchema, request);
  if (!valid.ok) throw new InvalidLifecycleRequestError('leave', valid.problems);
  const externalID = valid.value.externalID;
  const workflowId = lifecycleWorkflowId('leave', externalID);
  if (!(await hasOpenRun(client, 'leave', externalID))) await refuseWhileOtherRunOpen(client, externalID);
  const input: LeaveInput = { request: valid.value, policy };
  const outcome = await startOrReturnOpen(client, workflowId, rule, (idOptions) =>
    client.workflow.start<typeof leave>('leave', {
      ...idOptions,
      taskQueue: taskQueues.lifecycle,
      typedSearchAttributes: [{ key: externalIdSearchAttribute, value: externalID }],
      args: [input],
    }),
  );
  return { ...outcome, lifecycle: 'leave' as const, workflowId };
}

/** Refuses an onboarding of a person on leave (reason `on-leave`): the leave decides about the account. */
export async function refuseOnboardingOnLeave(client: Client, externalID: string): Promise<void> {
  if (await hasOpenRun(client, 'leave', externalID)) {
    throw new ActionRefusedError(
      `The person "${externalID}" is on leave: end or cancel the leave before an onboarding.`,
      'on-leave',
    );
  }
}

export function leaveStatus(client: Client, externalID: string): Promise<LeaveStatus> {
  return asOpenRun('leave', externalID, () =>
    lifecycleHandle(client, 'leave', externalID).query(leaveStatusQuery),
  );
}

/** A new first day back (extend or shorten); a day already begun reactivates now. */
export function changeLeaveUntil(client: Client, externalID: string, until: string): Promise<LeaveStatus> {
  const parsed = calendarDateSchema.safeParse(until);
  if (!parsed.success)
    throw new InvalidActionInputError('until must be a date in the form YYYY-MM-DD', 'until');
  return asOpenRun('leave', externalID, () =>
    lifecycleHandle(client, 'leave', externalID).executeUpdate(changeLeaveUntilUpdate, {
      args: [{ until: parsed.data }],
    }),
  );
}

/** Ends the leave now (reactivating now what it deactivated); answers once it has ended. */
export function endLeave(client: Client, externalID: string, reason?: string): Promise<LeaveOutcome> {
  return asOpenRun('leave', externalID, () =>
    lifecycleHandle(client, 'leave', externalID).executeUpdate(endLeaveUpdate, { args: [{ reason }] }),
  );
}

/** Calls the leave off (reactivating what it deactivated); answers once it has ended. */
export function cancelLeave(client: Client, externalID: string, reason?: string): Promise<LeaveOutcome> {
  return asOpenRun('leave', externalID, () =>
    lifecycleHandle(client, 'leave', externalID).executeUpdate(cancelLeaveUpdate, { args: [{ reason }] }),
  );
}
