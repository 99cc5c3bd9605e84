import {
  allHandlersFinished,
  condition,
  log,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { zonedDateTimeToEpochMs } from '../lifecycle/calendar';
import type {
  OffboardingLane,
  OffboardingPolicy,
  OffboardingRequest,
} from '../lifecycle/offboarding-request';
import {
  lifecycleStageSearchAttribute,
  staffbaseUserIdSearchAttribute,
} from '../lifecycle/search-attributes';
import { coordinationOffRateLimit, coordinationOnStaffbaseQueue } from './coordination-activities';
import { AttentionDesk, leftWaiting } from './needs-attention';
import {
  deletionGuardOf,
  guardedAccountSteps,
  reactivateStep,
  unguardedAccountSteps,
} from './offboarding-account-steps';
import { BatchedLookup } from './offboarding-bulk-lookup';
import { registerOffboardingHandlers } from './offboarding-handlers';
import { accountLost, cancelOpenOnboarding, userNotFound } from './offboarding-outcomes';
import { offboardingPatches } from './offboarding-patches';
import { OffboardingRetention } from './offboarding-retention';
import { retentionFloor } from './retention-floor';
import {
  type OffboardingCancelRequest,
  type OffboardingOutcome,
  type OffboardingStage,
  type OffboardingStatus,
  offboardingAccountRecheckSignal,
} from './offboarding-messages';
import { keptReasonText, recheckAccountInRetention } from './offboarding-recheck';
import { type OffboardingIndex, offboardingFields, offboardingIndex } from './offboarding-index';

export { offboardingPatches } from './offboarding-patches';

export interface OffboardingInput {
  request: OffboardingRequest;
  policy: OffboardingPolicy;
  /**
   * `bulk` for a file of leavers (an import): the look-up of the account is batched with others' in the
   * bulk lane (patch `batched-lookup`); log-out and deactivation stay urgent. Absent: `urgent`.
   */
  lane?: OffboardingLane;
}

const iso = (epochMs: number | undefined) =>
  epochMs === undefined ? undefined : new Date(epochMs).toISOString();

/**
 * The leaver path: wait for the last working day → cancel an open onboarding → log out everywhere
 * → deactivate → keep the account for the retention period (durable timer; cancellable, can be
 * brought forward or held) → delete. Every step is idempotent, so a crash anywhere resumes safely.
 */
export async function offboarding(input: OffboardingInput): Promise<OffboardingOutcome> {
  const index = offboardingIndex();
  const outcome = await runOffboarding(input, index);
  if (index.enabled) await index.settled();
  // A cancel update that arrived at the end still gets its answer before the run closes.
  await condition(allHandlersFinished);
  return outcome;
}

async function runOffboarding(input: OffboardingInput, index: OffboardingIndex): Promise<OffboardingOutcome> {
  const { request, policy } = input;
  const externalID = request.externalID;

  let stage: OffboardingStage = 'scheduled';
  /** Every stage change is visible in the Temporal UI through the LifecycleStage search attribute. */
  let publishedStage: OffboardingStage | undefined;
  const enterStage = (next: OffboardingStage) => {
    stage = next;
    index.stageEntered(next);
    if (next === publishedStage) return;
    publishedStage = next;
    upsertSearchAttributes([{ key: lifecycleStageSearchAttribute, value: next }]);
  };
  enterStage('scheduled');
  const desk = new AttentionDesk<OffboardingStage>({
    lifecycle: 'offboarding',
    externalID,
    stage: () => stage,
    enterStage,
  });
  /** A step of the run that a cancel may interrupt while it waits for a fix. */
  const step = <T>(name: string, act: () => Promise<T>) =>
    desk.step(name, act, { leaveWhen: () => cancelRequest !== undefined });
  let staffbaseUserId: string | undefined;
  /** Staffbase's own mark of the deactivation this run made (see deactivationMarkOf). */
  let deactivationMark: string | undefined;
  /** The deactivation, the deletion's deadline and the legal hold (workflows/offboarding-retention.ts). */
  const retention = new OffboardingRetention(request, policy, () => ({ externalID, staffbaseUserId }));
  let cancelRequest: OffboardingCancelRequest | undefined;
  let cancelledOnboarding: boolean | undefined;
  let outcome: OffboardingOutcome | undefined;

  const effectiveAtMs =
    request.lastWorkingDay === undefined
      ? undefined
      : zonedDateTimeToEpochMs(request.lastWorkingDay, policy.endOfWorkingDay, policy.timeZone);

  /** A `user.deleted` event names only the Staffbase id: the event's run finds this run by it. */
  const publishStaffbaseUserId = (accountId: string) => {
    if (patched(offboardingPatches.staffbaseUserIdAttribute)) {
      upsertSearchAttributes([{ key: staffbaseUserIdSearchAttribute, value: accountId }]);
    }
  };

  const status = (): OffboardingStatus => ({
    stage,
    externalID,
    staffbaseUserId,
    effectiveAt: iso(effectiveAtMs),
    deactivatedAt: iso(retention.deactivatedAtMs),
    deleteAt: iso(retention.deleteAtMs),
    legalHold: retention.legalHold,
    attention: desk.reason,
    outcome,
  });
  const deletionStarted = () =>
    stage === 'deleting' || (stage === 'completed' && outcome?.result === 'deleted');
  /** The deletion is due and waits for a fix: the deadline can no longer move (a cancel still can). */
  const deletionDue = () => deletionStarted() || desk.reason?.step === 'delete';
  registerOffboardingHandlers({
    status,
    outcome: () => outcome,
    deletionStarted,
    deletionDue,
    legalHold: () => retention.legalHold,
    cancelRequested: () => cancelRequest !== undefined,
    requestCancel: (details) => {
      cancelRequest ??= details;
    },
    moveDeadline: (change) => retention.move(change),
    placeHold: (reason) => retention.placeHold(reason),
    releaseHold: () => retention.releaseHold(),
    desk,
  });
  // Staffbase's event (workflows/staffbase-event.ts): acted on in retention only, past its patch. The
  // patch is asked as the signal arrives, so a history where the signal reached a worker without this
  // handler replays without waking the retention wait.
  let accountRecheckAsked = false;
  setHandler(offboardingAccountRecheckSignal, () => {
    if (patched(offboardingPatches.staffbaseEventRecheck)) accountRecheckAsked = true;
  });

  const finish = (result: Omit<OffboardingOutcome, 'externalID'>): OffboardingOutcome => {
    outcome = {
      ...result,
      externalID,
      staffbaseUserId,
      deactivatedAt: iso(retention.deactivatedAtMs),
      cancelledOnboarding,
      reason: result.reason ?? request.reason,
    };
    index.milestone(outcome.result);
    enterStage('completed');
    desk.settleAll();
    log.info('Offboarding finished', { result: outcome.result });
    return outcome;
  };

  const cancel = async (): Promise<OffboardingOutcome> => {
    const reason = cancelRequest?.reason;
    if (cancelRequest?.by === 'rehire') {
      // The rehire onboarding reactivates (or not) by its own rehire policy, right after this.
      return finish({ result: 'cancelled-by-rehire', reactivated: false, reason });
    }
    if (retention.deactivatedAtMs === undefined || staffbaseUserId === undefined) {
      return finish({ result: 'cancelled', reactivated: false, reason });
    }
    enterStage('reactivating');
    const accountId = staffbaseUserId;
    const oneRequest = patched(offboardingPatches.oneRequestSteps);
    await desk.step('reactivate', () => reactivateStep(oneRequest, accountId));
    return finish({ result: 'cancelled', reactivated: true, reason });
  };

  index.start(() => offboardingFields(status(), request), ['started']);

  if (patched(offboardingPatches.retentionFloor)) {
    retention.minRetentionDays = (await retentionFloor.offboardingRetentionFloor()).minRetentionDays;
  }

  // 1. Wait for the end of the last working day (a past day runs at once).
  if (effectiveAtMs !== undefined && effectiveAtMs > Date.now()) {
    await condition(() => cancelRequest !== undefined, effectiveAtMs - Date.now());
  }
  if (cancelRequest) return cancel();

  // 2. A joiner who leaves before activating: their open onboarding stops first.
  enterStage('cancelling-onboarding');
  if (patched(offboardingPatches.awaitedOnboardingStop)) {
    const coordinator = patched(offboardingPatches.coordinationOffRateLimit)
      ? coordinationOffRateLimit
      : coordinationOnStaffbaseQueue;
    const settlement = await coordinator.cancelOnboardingForLeaver({
      externalID,
      offboardingStartedAt: workflowInfo().startTime.toISOString(),
    });
    cancelledOnboarding = settlement === 'cancelled';
    if (patched(offboardingPatches.endsLeave))
      await coordinationOffRateLimit.endLeaveForLeaver({ externalID });
    if (cancelRequest) return cancel();
  } else {
    cancelledOnboarding = await cancelOpenOnboarding(externalID);
  }

  // 3. Log out everywhere, then deactivate (workflows/offboarding-account-steps.ts). A person unknown
  //    to Staffbase ends cleanly.
  enterStage('logging-out');
  if (patched(offboardingPatches.exactAccount)) {
    // Resolved by the list filter with an exact externalID comparison: `GET /users/{externalID}`
    // may resolve somebody else's Staffbase id.
    // One request per activity (past `one-request-steps`): the same decisions, read then act.
    const oneRequest = patched(offboardingPatches.oneRequestSteps);
    const steps = guardedAccountSteps(oneRequest);
    // A leaver of an import: looked up in a batch (workflows/offboarding-bulk-lookup.ts), whose read,
    // while recent, stands in for the read before each act.
    const inBulk = oneRequest && input.lane === 'bulk' && patched(offboardingPatches.batchedLookup);
    const bulk = inBulk ? await BatchedLookup.ask(externalID, () => cancelRequest !== undefined) : undefined;
    if (bulk && cancelRequest) return cancel();
    const resolved = await step('resolve-account', () => bulk?.resolve() ?? steps.resolve(externalID));
    if (leftWaiting(resolved)) return cancel();
    if (resolved.result === 'user-not-found') return finish(userNotFound);
    staffbaseUserId = resolved.staffbaseUserId;
    publishStaffbaseUserId(staffbaseUserId);
    const account = { staffbaseUserId, externalID };
    const loggedOut = await step('log-out', () => steps.logOut(account, bulk?.recentRead()));
    if (leftWaiting(loggedOut)) return cancel();
    if (loggedOut !== 'logged-out') return finish(accountLost(loggedOut));
    if (cancelRequest) return cancel();

    enterStage('deactivating');
    const deactivated = await step('deactivate', () => steps.deactivate(account, bulk?.recentRead()));
    if (leftWaiting(deactivated)) return cancel();
    if (deactivated.result === 'user-not-found' || deactivated.result === 'account-replaced') {
      return finish(accountLost(deactivated.result));
    }
    deactivationMark = deactivated.deactivationMark;
  } else {
    const loggedOut = await step('log-out', () => unguardedAccountSteps.logOut(externalID));
    if (leftWaiting(loggedOut)) return cancel();
    if (loggedOut.result === 'user-not-found') return finish(userNotFound);
    staffbaseUserId = loggedOut.staffbaseUserId;
    publishStaffbaseUserId(staffbaseUserId);
    if (cancelRequest) return cancel();

    enterStage('deactivating');
    const accountId = staffbaseUserId;
    const deactivated = await step('deactivate', () => unguardedAccountSteps.deactivate(accountId));
    if (leftWaiting(deactivated)) return cancel();
    if (deactivated === 'user-not-found') return finish(accountLost('user-not-found'));
  }
  const deactivatedAtMs = Date.now();
  retention.deactivatedAt(deactivatedAtMs);
  index.milestone('deactivated');
  // Only when there is one: runs without the patch must not gain even an extra await here.
  if (retention.floorRaised) await retention.auditFloorRaises();
  if (cancelRequest) return cancel();

  // 4. Retention: a durable timer that cancel, delete-now, legal hold and retention changes can move.
  for (;;) {
    if (retention.floorRaised) await retention.auditFloorRaises();
    enterStage(retention.legalHold ? 'on-hold' : 'retention');
    retention.changed = false;
    if (retention.legalHold) {
      await condition(() => cancelRequest !== undefined || retention.changed);
    } else {
      const remainingMs = (retention.deleteAtMs ?? 0) - Date.now();
      if (remainingMs <= 0) break;
      const woken = await condition(
        () => cancelRequest !== undefined || !retention.deadlineStands || accountRecheckAsked,
        remainingMs,
      );
      if (cancelRequest) return cancel();
      if (woken && accountRecheckAsked && retention.deadlineStands) {
        accountRecheckAsked = false;
        if (staffbaseUserId !== undefined && deactivatedAtMs !== undefined) {
          if (patched(offboardingPatches.staffbaseEventRecheck)) {
            const account = { staffbaseUserId, externalID };
            const verdict = await recheckAccountInRetention(account, deactivationMark, deactivatedAtMs);
            if (cancelRequest) return cancel();
            if (verdict?.result === 'kept') {
              return finish({
                result: 'kept',
                keptBecause: verdict.reason,
                reason: keptReasonText(verdict.reason),
              });
            }
            // Deleted by hand, confirmed by two reads: what the deletion would find; no DELETE is sent.
            // A hold placed meanwhile keeps the run open (and on record) until it is released.
            if (verdict?.result === 'gone' && !retention.legalHold) {
              return finish({ result: 'deleted', deletedAt: new Date().toISOString(), alreadyGone: true });
            }
          }
        }
        continue;
      }
      // The timer fired and nothing moved the deadline: it has come. Deciding by the timer, not by
      // Date.now() again, keeps a worker that took over after a crash (whose first activation was
      // seen to carry an older timestamp) from starting a second timer that a replay would not.
      if (!woken && retention.deadlineStands) break;
      continue;
    }
    if (cancelRequest) return cancel();
  }

  // 5. Delete: permanent. Only the account this run deactivated, still deactivated; a 404 means it
  //    is already gone, which is the goal — past `delete-404-confirmed` only once two reads confirm it
  //    (else the run parks in needs-attention as `not-permitted`).
  enterStage('deleting');
  if (patched(offboardingPatches.guardedDeletion)) {
    const guard = deletionGuardOf({ staffbaseUserId, externalID }, deactivationMark, deactivatedAtMs);
    const steps = guardedAccountSteps(patched(offboardingPatches.oneRequestSteps), () =>
      patched(offboardingPatches.deleteNotFoundConfirmed),
    );
    const deletion = await step('delete', () => steps.delete(guard));
    if (leftWaiting(deletion)) return cancel();
    if (deletion.result === 'kept') {
      return finish({
        result: 'kept',
        keptBecause: deletion.reason,
        reason: keptReasonText(deletion.reason),
      });
    }
    return finish({
      result: 'deleted',
      deletedAt: new Date().toISOString(),
      alreadyGone: deletion.result === 'already-gone',
    });
  }
  const accountId = staffbaseUserId;
  const deletion = await step('delete', () => unguardedAccountSteps.delete(accountId));
  if (leftWaiting(deletion)) return cancel();
  return finish({
    result: 'deleted',
    deletedAt: new Date().toISOString(),
    alreadyGone: deletion === 'already-gone',
  });
}
