import {
  type Client,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  toCleanupInput,
  toGroupMembersLookupInput,
  toPopulationLogoutInput,
} from '../lifecycle/support-inputs';
import {
  type BulkStartLimits,
  type GroupMembersLookupRequest,
  type MoverRequest,
  type RecoveryCodeRequest,
  type UserLogoutRequest,
  type UserLookupRequest,
} from '../lifecycle/support-requests';
import {
  cleanupWorkflowId,
  groupLookupWorkflowId,
  personSupportWorkflowId,
  populationLogoutWorkflowId,
} from '../lifecycle/workflow-ids';
import { type PriorityLane, priorityLanes } from '../lifecycle/priority-lanes';
import { taskQueues } from '../lifecycle/task-queues';
import type { accountCleanup } from '../workflows/support-cleanup';
import {
  type BulkOutcome,
  type BulkPhase,
  type BulkProgress,
  type GroupMembersResult,
  type UserLookupResult,
  confirmBulkRunUpdate,
  notAwaitingConfirmationType,
} from '../workflows/support-messages';
import { ActionRefusedError } from './lifecycle-actions';
import {
  type StartIdOptions,
  isClosedRunAnswer,
  latestRun,
  runHandle,
  startOrReturnOpen,
} from './workflow-runs';
import type { populationLogout } from '../workflows/support-population-logout';
import type {
  groupMembersLookup,
  mover,
  recoveryCode,
  userLogout,
  userLookup,
} from '../workflows/support-single';

/**
 * Starts the support operations for the CLI, the HTTP API and scripts. Requests are validated by the
 * caller with the schemas of `lifecycle/support-requests.ts`. One open run per person and operation,
 * per population filter, per clean-up kind: a second trigger gets the open run back
 * (`already-running`) instead of a second run. Finished runs may always run again: every operation
 * is idempotent (a mover changes nothing more, a logout ends no more sessions).
 */
export interface StartedSupportRun {
  status: 'started' | 'already-running';
  workflowId: string;
  runId: string;
}

/** Finished runs may always run again: every support operation is idempotent. */
async function startOrFindOpen(
  client: Client,
  workflowId: string,
  start: (idOptions: StartIdOptions) => Promise<{ firstExecutionRunId: string }>,
): Promise<StartedSupportRun> {
  return { ...(await startOrReturnOpen(client, workflowId, 'always', start)), workflowId };
}

/**
 * `lane`: the run's priority (lifecycle/priority-lanes.ts). Its workflow tasks inherit it, so one
 * person's support run is not held up behind the workflow tasks of a bulk import either.
 */
const startOptions = (idOptions: StartIdOptions, lane: PriorityLane = 'urgent') => ({
  ...idOptions,
  taskQueue: taskQueues.lifecycle,
  priority: { priorityKey: priorityLanes[lane] },
});

/** Mover: workflow `mover`, ID `mover-<externalID>`; result `MoverOutcome`. */
export function startMover(client: Client, request: MoverRequest): Promise<StartedSupportRun> {
  return startOrFindOpen(client, personSupportWorkflowId('mover', request.externalID), (idOptions) =>
    client.workflow.start<typeof mover>('mover', { ...startOptions(idOptions), args: [request] }),
  );
}

/** Recovery code: workflow `recoveryCode`, ID `recovery-code-<externalID>`; result `RecoveryCodeOutcome`. */
export function startRecoveryCode(client: Client, request: RecoveryCodeRequest): Promise<StartedSupportRun> {
  return startOrFindOpen(client, personSupportWorkflowId('recovery-code', request.externalID), (idOptions) =>
    client.workflow.start<typeof recoveryCode>('recoveryCode', {
      ...startOptions(idOptions),
      args: [request],
    }),
  );
}

/** Forced logout of one user: workflow `userLogout`, ID `user-logout-<externalID>`; result `UserLogoutOutcome`. */
export function startUserLogout(client: Client, request: UserLogoutRequest): Promise<StartedSupportRun> {
  return startOrFindOpen(client, personSupportWorkflowId('user-logout', request.externalID), (idOptions) =>
    client.workflow.start<typeof userLogout>('userLogout', { ...startOptions(idOptions), args: [request] }),
  );
}

/**
 * A bulk run's start (population logout, clean-up): the request and the limits make the workflow's
 * input, the input its workflow ID; it runs in the bulk lane. The HR API and the CLI pass no limits:
 * the worker's (LOGOUT_CONFIRM_ABOVE / CLEANUP_CONFIRM_ABOVE, BULK_MAX_FAILURES) apply, or the
 * request's when lower.
 */
function bulkRunStarter<Request, Input>(
  toInput: (request: Request, limits: BulkStartLimits) => Input,
  workflowIdOf: (input: Input) => string,
  start: (
    client: Client,
    options: ReturnType<typeof startOptions>,
    input: Input,
  ) => Promise<{ firstExecutionRunId: string }>,
): (client: Client, request: Request, limits?: BulkStartLimits) => Promise<StartedSupportRun> {
  return (client, request, limits = {}) => {
    const input = toInput(request, limits);
    return startOrFindOpen(client, workflowIdOf(input), (idOptions) =>
      start(client, startOptions(idOptions, 'bulk'), input),
    );
  };
}

/**
 * Forced logout of a population: workflow `populationLogout`, ID `population-logout-<hash of the
 * normalised filter>` (`population-logout-dry-run-<hash>` for a dry run); result `BulkOutcome`,
 * progress by the `progress` query, stop with the `cancel` signal.
 */
export const startPopulationLogout = bulkRunStarter(
  toPopulationLogoutInput,
  populationLogoutWorkflowId,
  (client, options, input) =>
    client.workflow.start<typeof populationLogout>('populationLogout', { ...options, args: [input] }),
);

/**
 * Clean-up: workflow `accountCleanup`, ID `cleanup-<kind>` (one per kind at a time;
 * `cleanup-<kind>-dry-run-<hash>` for a dry run); result `BulkOutcome`. Above the threshold the
 * `progress` query shows phase `awaiting-confirmation` until the `confirm` update (confirmBulkRun) or a `cancel`.
 */
export const startCleanup = bulkRunStarter(toCleanupInput, cleanupWorkflowId, (client, options, input) =>
  client.workflow.start<typeof accountCleanup>('accountCleanup', { ...options, args: [input] }),
);

/** A look-up joins an equal one that is open (USE_EXISTING): it waits for the answer, not for a run of its own. */
const lookUpOptions = (workflowId: string) => ({
  taskQueue: taskQueues.lifecycle,
  workflowId,
  workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
  workflowIdConflictPolicy: 'USE_EXISTING' as const,
  priority: { priorityKey: priorityLanes.urgent },
});

/**
 * Look-ups run as short workflows (rate-limited like every call) and answer directly. Equal look-ups
 * running at the same moment share one run.
 */
export function lookUpUser(client: Client, request: UserLookupRequest): Promise<UserLookupResult> {
  return client.workflow.execute<typeof userLookup>('userLookup', {
    ...lookUpOptions(personSupportWorkflowId('user-lookup', request.externalID)),
    args: [request],
  });
}

export function lookUpGroupMembers(
  client: Client,
  request: GroupMembersLookupRequest,
): Promise<GroupMembersResult> {
  const input = toGroupMembersLookupInput(request);
  return client.workflow.execute<typeof groupMembersLookup>('groupMembersLookup', {
    ...lookUpOptions(groupLookupWorkflowId(input)),
    args: [input],
  });
}

/**
 * The handle of a support run, for the `progress` query, the `cancel` signal and the `confirm` update:
 * {@link runHandle}, under the name client/cli and the tests know.
 */
export { runHandle as supportRunHandle } from './workflow-runs';

/** A confirmation sent to a bulk run that is not paused for one (still counting, running, or ended). */
export class NotAwaitingConfirmationError extends ActionRefusedError {
  constructor(
    readonly workflowId: string,
    readonly phase: BulkPhase,
  ) {
    super(
      `The bulk run "${workflowId}" is not awaiting a confirmation (phase ${phase}); only a run paused in ` +
        'phase awaiting-confirmation can be confirmed: check its progress first.',
      'not-awaiting-confirmation',
    );
  }
}

async function isClosed(client: Client, workflowId: string): Promise<boolean> {
  const latest = await latestRun(client, workflowId);
  return latest !== undefined && latest.status.name !== 'RUNNING';
}

const bulkPhases: readonly string[] = ['counting', 'awaiting-confirmation', 'running', 'completed'];

/**
 * Confirms a bulk run paused above its safety threshold (the `confirm` update) and answers its
 * progress after the confirmation. The run's validator refuses it in any other phase, and a closed
 * run cannot take it: both throw {@link NotAwaitingConfirmationError}, and nothing reaches the run's history.
 */
export async function confirmBulkRun(
  client: Client,
  workflowId: string,
  confirmedBy: string | undefined,
): Promise<BulkProgress> {
  const handle = runHandle(client, workflowId);
  try {
    return await handle.executeUpdate(confirmBulkRunUpdate, { args: [{ confirmedBy }] });
  } catch (error) {
    if (
      error instanceof WorkflowUpdateFailedError &&
      error.cause instanceof ApplicationFailure &&
      error.cause.type === notAwaitingConfirmationType
    ) {
      const phase = error.cause.details?.[0];
      throw new NotAwaitingConfirmationError(
        workflowId,
        typeof phase === 'string' && bulkPhases.includes(phase) ? (phase as BulkPhase) : 'running',
      );
    }
    // A closed run answers updates with "workflow execution already completed" (or, on some servers,
    // "update not found"): a run that exists but is closed is not awaiting a confirmation.
    if (isClosedRunAnswer(error)) {
      throw new NotAwaitingConfirmationError(workflowId, 'completed');
    }
    if (error instanceof WorkflowNotFoundError && (await isClosed(client, workflowId))) {
      throw new NotAwaitingConfirmationError(workflowId, 'completed');
    }
    throw error;
  }
}

/** Waits for a bulk run's outcome, following its continue-as-new chain. */
export function bulkRunOutcome(client: Client, workflowId: string): Promise<BulkOutcome> {
  return runHandle<typeof populationLogout>(client, workflowId).result();
}
