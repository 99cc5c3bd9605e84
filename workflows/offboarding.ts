import {
  allHandlersFinished,
  condition,
  log,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { RetentionFloorRaise } from '../activities/retention-floor-activities';
import { addDays, zonedDateTimeToEpochMs } from '../lifecycle/calendar';
import type {
  OffboardingLane,
  OffboardingPolicy,
  OffboardingRequest,
} from '../lifecycle/offboarding-request';
import { batchedReadOf, recentBatchedRead } from '../lifecycle/batched-lookup';
import {
  legalHoldSearchAttribute,
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
import { awaitBatchedLookup, resolveByBatch } from './offboarding-bulk-lookup';
import { registerOffboardingHandlers } from './offboarding-handlers';
import { accountLost, cancelOpenOnboarding, userNotFound } from './offboarding-outcomes';
import { offboardingPatches } from './offboarding-patches';
import { retentionFloor } from './retention-floor';
import {
  type OffboardingCancelRequest,
  type OffboardingOutcome,
  type OffboardingStage,
  type OffboardingStatus,
  offboardingAccountRecheckSignal,
} from './offboarding-messages';
import { keptReasonText, recheckAccountInRetention } from './offboarding-recheck';

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
  let deactivatedAtMs: number | undefined;
  let deleteAtMs: number | undefined;
  let retentionDays = request.retentionDays ?? policy.retentionDays;
  let explicitDeleteAtMs = request.deleteAt === undefined ? undefined : Date.parse(request.deleteAt);
  /**
   * The worker's OFFBOARDING_MIN_RETENTION_DAYS, read at the start (patch `retention-floor`); undefined
   * in runs started before it, which keep their old deadlines.
   */
  let minRetentionDays: number | undefined;
  /** Delete-now was asked for: the floor does not hold it back (a later retention change ends that). */
  let deleteNowAsked = false;
  /** Raises to the floor not yet audited (a handler cannot wait for the audit activity itself). */
  const floorRaises: RetentionFloorRaise[] = [];
  let legalHold: { reason: string; since: string } | undefined;
  let cancelRequest: OffboardingCancelRequest | undefined;
  let cancelledOnboarding: boolean | undefined;
  let deadlineChanged = false;
  let outcome: OffboardingOutcome | undefined;

  const effectiveAtMs =
    request.lastWorkingDay === undefined
      ? undefined
      : zonedDateTimeToEpochMs(request.lastWorkingDay, policy.endOfWorkingDay, policy.timeZone);

  /** A hold is visible to every process (a clean-up asks visibility), not only to this run's query. */
  const publishHold = (held: boolean) => {
    if (patched(offboardingPatches.legalHoldSearchAttribute)) {
      upsertSearchAttributes([{ key: legalHoldSearchAttribute, value: held }]);
    }
  };

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
    deactivatedAt: iso(deactivatedAtMs),
    deleteAt: iso(deleteAtMs),
    legalHold,
    attention: desk.reason,
    outcome,
  });
  const recomputeDeleteAt = () => {
    if (deactivatedAtMs === undefined) return;
    deleteAtMs = explicitDeleteAtMs ?? addDays(deactivatedAtMs, retentionDays);
    const floorMs = minRetentionDays ? addDays(deactivatedAtMs, minRetentionDays) : undefined;
    if (floorMs !== undefined && deleteAtMs < floorMs && !deleteNowAsked) {
      floorRaises.push({
        externalID,
        staffbaseUserId,
        requested:
          explicitDeleteAtMs === undefined
            ? { retentionDays }
            : { deleteAt: new Date(explicitDeleteAtMs).toISOString() },
        minRetentionDays: minRetentionDays ?? 0,
        deleteAt: new Date(floorMs).toISOString(),
      });
      deleteAtMs = floorMs;
    }
    deadlineChanged = true;
  };
  const auditFloorRaises = async () => {
    for (let raise = floorRaises.shift(); raise; raise = floorRaises.shift()) {
      await retentionFloor.recordRetentionRaisedToFloor(raise);
    }
  };
  const deletionStarted = () =>
    stage === 'deleting' || (stage === 'completed' && outcome?.result === 'deleted');
  /** The deletion is due and waits for a fix: the deadline can no longer move (a cancel still can). */
  const deletionDue = () => deletionStarted() || desk.reason?.step === 'delete';
  registerOffboardingHandlers({
    status,
    outcome: () => outcome,
    deletionStarted,
    deletionDue,
    legalHold: () => legalHold,
    cancelRequested: () => cancelRequest !== undefined,
    requestCancel: (details) => {
      cancelRequest ??= details;
    },
    moveDeadline: (change) => {
      deleteNowAsked = 'deleteNow' in change;
      if ('retentionDays' in change) {
        retentionDays = change.retentionDays;
        explicitDeleteAtMs = undefined;
      } else {
        explicitDeleteAtMs = 'deleteNow' in change ? 0 : change.deleteAtMs;
      }
      recomputeDeleteAt();
    },
    placeHold: (reason) => {
      if (legalHold) return;
      legalHold = { reason, since: new Date().toISOString() };
      publishHold(true);
    },
    releaseHold: () => {
      legalHold = undefined;
      deadlineChanged = true;
      publishHold(false);
    },
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
      deactivatedAt: iso(deactivatedAtMs),
      cancelledOnboarding,
      reason: result.reason ?? request.reason,
    };
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
    if (deactivatedAtMs === undefined || staffbaseUserId === undefined) {
      return finish({ result: 'cancelled', reactivated: false, reason });
    }
    enterStage('reactivating');
    const accountId = staffbaseUserId;
    const oneRequest = patched(offboardingPatches.oneRequestSteps);
    await desk.step('reactivate', () => reactivateStep(oneRequest, accountId));
    return finish({ result: 'cancelled', reactivated: true, reason });
  };

  if (patched(offboardingPatches.retentionFloor)) {
    ({ minRetentionDays } = await retentionFloor.offboardingRetentionFloor());
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
    // A leaver of an import: looked up in a batch (workflows/offboarding-bulk-lookup.ts).
    const inBulk = oneRequest && input.lane === 'bulk' && patched(offboardingPatches.batchedLookup);
    const batched = inBulk
      ? await awaitBatchedLookup(externalID, () => cancelRequest !== undefined)
      : undefined;
    if (inBulk && cancelRequest) return cancel();
    const resolved = await step('resolve-account', () =>
      inBulk ? resolveByBatch(externalID, batched) : steps.resolve(externalID),
    );
    if (leftWaiting(resolved)) return cancel();
    if (resolved.result === 'user-not-found') return finish(userNotFound);
    staffbaseUserId = resolved.staffbaseUserId;
    publishStaffbaseUserId(staffbaseUserId);
    const account = { staffbaseUserId, externalID };
    // The batch's read of the account, while recent, stands in for the read before each act.
    const batchRead = batched && batchedReadOf(batched);
    const loggedOut = await step('log-out', () =>
      steps.logOut(account, recentBatchedRead(batchRead, Date.now())),
    );
    if (leftWaiting(loggedOut)) return cancel();
    if (loggedOut !== 'logged-out') return finish(accountLost(loggedOut));
    if (cancelRequest) return cancel();

    enterStage('deactivating');
    const deactivated = await step('deactivate', () =>
      steps.deactivate(account, recentBatchedRead(batchRead, Date.now())),
    );
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
  deactivatedAtMs = Date.now();
  recomputeDeleteAt();
  // Only when there is one: runs without the patch must not gain even an extra await here.
  if (floorRaises.length > 0) await auditFloorRaises();
  if (cancelRequest) return cancel();

  // 4. Retention: a durable timer that cancel, delete-now, legal hold and retention changes can move.
  for (;;) {
    if (floorRaises.length > 0) await auditFloorRaises();
    enterStage(legalHold ? 'on-hold' : 'retention');
    deadlineChanged = false;
    if (legalHold) {
      await condition(() => cancelRequest !== undefined || deadlineChanged);
    } else {
      const remainingMs = (deleteAtMs ?? 0) - Date.now();
      if (remainingMs <= 0) break;
      const woken = await condition(
        () =>
          cancelRequest !== undefined || deadlineChanged || legalHold !== undefined || accountRecheckAsked,
        remainingMs,
      );
      if (cancelRequest) return cancel();
      if (woken && accountRecheckAsked && !deadlineChanged && !legalHold) {
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
            if (verdict?.result === 'gone' && !legalHold) {
              return finish({ result: 'deleted', deletedAt: new Date().toISOString(), alreadyGone: true });
            }
          }
        }
        continue;
      }
      // The timer fired and nothing moved the deadline: it has come. Deciding by the timer, not by
      // Date.now() again, keeps a worker that took over after a crash (whose first activation was
      // seen to carry an older timestamp) from starting a second timer that a replay would not.
      if (!woken && !deadlineChanged && !legalHold) break;
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
