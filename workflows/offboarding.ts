import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  log,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { AccountActivities } from '../activities/account-activities';
import { addDays, zonedDateTimeToEpochMs } from '../lifecycle/calendar';
import type {
  OffboardingPolicy,
  OffboardingRequest,
  RetentionChange,
} from '../lifecycle/offboarding-request';
import { lifecycleStageSearchAttribute } from '../lifecycle/search-attributes';
import { taskQueues } from '../lifecycle/task-queues';
import { lifecycleWorkflowId } from '../lifecycle/workflow-ids';
import { staffbaseActivityOptions } from './activity-options';
import { cancelOnboardingSignal } from './onboarding-messages';
import {
  cancelOffboardingUpdate,
  changeRetentionUpdate,
  deleteNowUpdate,
  legalHoldUpdate,
  offboardingStatusQuery,
  releaseLegalHoldUpdate,
  type OffboardingOutcome,
  type OffboardingStage,
  type OffboardingStatus,
} from './offboarding-messages';

export * from './offboarding-messages';

export interface OffboardingInput {
  request: OffboardingRequest;
  policy: OffboardingPolicy;
}

const staffbase = proxyActivities<AccountActivities>({
  ...staffbaseActivityOptions,
  taskQueue: taskQueues.staffbaseApi,
});

const iso = (epochMs: number | undefined) =>
  epochMs === undefined ? undefined : new Date(epochMs).toISOString();

/**
 * The leaver path: wait for the last working day → cancel an open onboarding → log out everywhere
 * → deactivate → keep the account for the retention period (durable timer; cancellable, can be
 * brought forward or held) → delete. Every step is idempotent, so a crash anywhere resumes safely.
 */
export async function offboarding(input: OffboardingInput): Promise<OffboardingOutcome> {
  const outcome = await runOffboarding(input);
  // A cancel update that arrived at the end still gets its answer before the run closes.
  await condition(allHandlersFinished);
  return outcome;
}

async function runOffboarding(input: OffboardingInput): Promise<OffboardingOutcome> {
  const { request, policy } = input;
  const externalID = request.externalID;

  let stage: OffboardingStage = 'scheduled';
  /** Every stage change is visible in the Temporal UI through the LifecycleStage search attribute. */
  let publishedStage: OffboardingStage | undefined;
  const enterStage = (next: OffboardingStage) => {
    stage = next;
    if (next === publishedStage) return;
    publishedStage = next;
    upsertSearchAttributes([{ key: lifecycleStageSearchAttribute, value: next }]);
  };
  enterStage('scheduled');
  let staffbaseUserId: string | undefined;
  let deactivatedAtMs: number | undefined;
  let deleteAtMs: number | undefined;
  let retentionDays = request.retentionDays ?? policy.retentionDays;
  let explicitDeleteAtMs = request.deleteAt === undefined ? undefined : Date.parse(request.deleteAt);
  let legalHold: { reason: string; since: string } | undefined;
  let cancelRequest: { reason?: string } | undefined;
  let cancelledOnboarding: boolean | undefined;
  let deadlineChanged = false;
  let outcome: OffboardingOutcome | undefined;

  const effectiveAtMs =
    request.lastWorkingDay === undefined
      ? undefined
      : zonedDateTimeToEpochMs(request.lastWorkingDay, policy.endOfWorkingDay, policy.timeZone);

  const status = (): OffboardingStatus => ({
    stage,
    externalID,
    staffbaseUserId,
    effectiveAt: iso(effectiveAtMs),
    deactivatedAt: iso(deactivatedAtMs),
    deleteAt: iso(deleteAtMs),
    legalHold,
    outcome,
  });
  const recomputeDeleteAt = () => {
    if (deactivatedAtMs === undefined) return;
    deleteAtMs = explicitDeleteAtMs ?? addDays(deactivatedAtMs, retentionDays);
    deadlineChanged = true;
  };
  const deletionStarted = () =>
    stage === 'deleting' || (stage === 'completed' && outcome?.result === 'deleted');
  const refuse = (message: string, type: string) =>
    ApplicationFailure.create({ message, type, nonRetryable: true });

  setHandler(offboardingStatusQuery, status);

  setHandler(
    cancelOffboardingUpdate,
    async (details) => {
      cancelRequest ??= { reason: details.reason };
      await condition(() => outcome !== undefined);
      if (outcome?.result !== 'cancelled')
        throw refuse(
          `Offboarding ended as ${outcome?.result} before the cancel took effect`,
          'CancelTooLate',
        );
      return outcome;
    },
    {
      validator: (_details: { reason?: string }) => {
        if (deletionStarted())
          throw refuse(
            'The account is deleted (or being deleted); a cancel cannot undo that.',
            'AlreadyDeleted',
          );
        if (outcome) throw refuse(`Offboarding already ended as ${outcome.result}.`, 'AlreadyEnded');
      },
    },
  );

  setHandler(
    deleteNowUpdate,
    () => {
      explicitDeleteAtMs = 0;
      recomputeDeleteAt();
      return status();
    },
    {
      validator: () => {
        if (legalHold)
          throw refuse(`A legal hold is in place (${legalHold.reason}); release it first.`, 'LegalHold');
        if (outcome || deletionStarted())
          throw refuse('Offboarding already ended or is deleting.', 'AlreadyEnded');
      },
    },
  );

  setHandler(
    legalHoldUpdate,
    ({ reason }) => {
      legalHold ??= { reason, since: new Date().toISOString() };
      return status();
    },
    {
      validator: (hold: { reason: string }) => {
        if (!hold?.reason?.trim()) throw refuse('A legal hold needs a reason.', 'InvalidArgument');
        if (outcome || deletionStarted())
          throw refuse('Offboarding already ended or is deleting.', 'AlreadyEnded');
      },
    },
  );

  setHandler(
    releaseLegalHoldUpdate,
    () => {
      legalHold = undefined;
      deadlineChanged = true;
      return status();
    },
    {
      validator: () => {
        if (!legalHold) throw refuse('There is no legal hold to release.', 'NoLegalHold');
      },
    },
  );

  setHandler(
    changeRetentionUpdate,
    (change: RetentionChange) => {
      if ('retentionDays' in change) {
        retentionDays = change.retentionDays;
        explicitDeleteAtMs = undefined;
      } else {
        explicitDeleteAtMs = Date.parse(change.deleteAt);
      }
      recomputeDeleteAt();
      return status();
    },
    {
      validator: (change: RetentionChange) => {
        const valid =
          change !== null &&
          typeof change === 'object' &&
          (('retentionDays' in change &&
            Number.isInteger(change.retentionDays) &&
            change.retentionDays >= 0) ||
            ('deleteAt' in change && !Number.isNaN(Date.parse(change.deleteAt))));
        if (!valid)
          throw refuse(
            'Give retentionDays (a whole number ≥ 0) or deleteAt (an ISO date-time).',
            'InvalidArgument',
          );
        if (outcome || deletionStarted())
          throw refuse('Offboarding already ended or is deleting.', 'AlreadyEnded');
      },
    },
  );

  const finish = (result: Omit<OffboardingOutcome, 'externalID'>): OffboardingOutcome => {
    outcome = {
      ...result,
      externalID,
      staffbaseUserId,
      deactivatedAt: iso(deactivatedAtMs),
      cancelledOnboarding,
      reason: result.reason ?? request.reason,
    };
    enterStage('completed');
    log.info('Offboarding finished', { result: outcome.result });
    return outcome;
  };

  const cancel = async (): Promise<OffboardingOutcome> => {
    const reason = cancelRequest?.reason;
    if (deactivatedAtMs === undefined || staffbaseUserId === undefined) {
      return finish({ result: 'cancelled', reactivated: false, reason });
    }
    enterStage('reactivating');
    await staffbase.reactivateUser(staffbaseUserId);
    return finish({ result: 'cancelled', reactivated: true, reason });
  };

  // 1. Wait for the end of the last working day (a past day runs at once).
  if (effectiveAtMs !== undefined && effectiveAtMs > Date.now()) {
    await condition(() => cancelRequest !== undefined, effectiveAtMs - Date.now());
  }
  if (cancelRequest) return cancel();

  // 2. A joiner who leaves before activating: their open onboarding stops first.
  enterStage('cancelling-onboarding');
  cancelledOnboarding = await cancelOpenOnboarding(externalID);

  // 3. Log out everywhere, then deactivate. A person unknown to Staffbase ends cleanly.
  enterStage('logging-out');
  const loggedOut = await staffbase.logoutEverywhere(externalID);
  if (loggedOut.result === 'user-not-found') {
    return finish({
      result: 'user-not-found',
      reason: 'No Staffbase account has this externalID (never existed or already deleted).',
    });
  }
  staffbaseUserId = loggedOut.staffbaseUserId;
  if (cancelRequest) return cancel();

  enterStage('deactivating');
  const deactivated = await staffbase.deactivateUser(staffbaseUserId);
  if (deactivated === 'user-not-found') {
    return finish({
      result: 'user-not-found',
      reason: 'The account disappeared before it could be deactivated.',
    });
  }
  deactivatedAtMs = Date.now();
  recomputeDeleteAt();
  if (cancelRequest) return cancel();

  // 4. Retention: a durable timer that cancel, delete-now, legal hold and retention changes can move.
  for (;;) {
    enterStage(legalHold ? 'on-hold' : 'retention');
    deadlineChanged = false;
    if (legalHold) {
      await condition(() => cancelRequest !== undefined || deadlineChanged);
    } else {
      const remainingMs = (deleteAtMs ?? 0) - Date.now();
      if (remainingMs <= 0) break;
      await condition(
        () => cancelRequest !== undefined || deadlineChanged || legalHold !== undefined,
        remainingMs,
      );
    }
    if (cancelRequest) return cancel();
  }

  // 5. Delete: permanent. A 404 means it is already gone, which is the goal.
  enterStage('deleting');
  const deletion = await staffbase.deleteUser(staffbaseUserId);
  return finish({
    result: 'deleted',
    deletedAt: new Date().toISOString(),
    alreadyGone: deletion === 'already-gone',
  });
}

/** Signals an open onboarding run for the same person to stop; false when none is open. */
async function cancelOpenOnboarding(externalID: string): Promise<boolean> {
  const onboardingRun = getExternalWorkflowHandle(lifecycleWorkflowId('onboarding', externalID));
  try {
    await onboardingRun.signal(cancelOnboardingSignal, { reason: 'Offboarding started' });
    return true;
  } catch (error) {
    log.info('No open onboarding to cancel', { error: String(error) });
    return false;
  }
}
