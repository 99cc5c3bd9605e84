import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  log,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { LeaveRefusal } from '../activities/lifecycle-coordination-activities';
import { shiftDate, zonedDateTimeToEpochMs } from '../lifecycle/calendar';
import type { LeavePolicy, LeaveRequest } from '../lifecycle/leave-request';
import { lifecycleStageSearchAttribute } from '../lifecycle/search-attributes';
import { deactivateOwnAccount, logOutOwnAccount, resolveExactAccount } from './account-steps';
import { retryStepUpdate } from './attention-messages';
import { coordinationOffRateLimit } from './coordination-activities';
import {
  type LeaveKeptReason,
  type LeaveOutcome,
  type LeaveResult,
  type LeaveStage,
  type LeaveStatus,
  cancelLeaveUpdate,
  changeLeaveUntilUpdate,
  endLeaveByOffboardingUpdate,
  endLeaveUpdate,
  leaveStatusQuery,
} from './leave-messages';
import { leavePatches } from './leave-patches';
import { reactivateOwnDeactivation } from './leave-steps';
import { AttentionDesk, leftWaiting } from './needs-attention';
import { PersonIndexWriter } from './person-index';

export interface LeaveInput {
  request: LeaveRequest;
  policy: LeavePolicy;
}

/** What ends a leave before (or at) its first day back. */
type Ending = { by: 'return' } | { by: 'end' | 'cancel'; reason?: string } | { by: 'offboarding' };

const resultOf: Record<Ending['by'], LeaveResult> = {
  return: 'returned',
  end: 'ended',
  cancel: 'cancelled',
  offboarding: 'ended-by-offboarding',
};

const keptReasonText: Record<LeaveKeptReason, string> = {
  'reactivated-since':
    'The account was reactivated (or deactivated again) by hand during the leave; left as it is.',
  'account-replaced': 'The account no longer carries this externalID; the leave left it alone.',
  'user-not-found': 'No Staffbase account has this externalID; the leave had nothing to do.',
  'deactivated-before-leave':
    'The account was already deactivated when the leave began; the leave does not reactivate it.',
};

const refusalText: Record<LeaveRefusal, string> = {
  'onboarding-open': 'The person has an open onboarding: finish or cancel it before a leave.',
  'offboarding-open': 'The person has an open offboarding: a leave cannot start while they leave.',
};

const iso = (epochMs: number | undefined) =>
  epochMs === undefined ? undefined : new Date(epochMs).toISOString();

/** The first day back starts at midnight in the policy time zone. */
const returnMomentOf = (until: string | undefined, policy: LeavePolicy) =>
  until === undefined ? undefined : zonedDateTimeToEpochMs(until, '00:00', policy.timeZone);

/**
 * A leave of absence: at the end of the working day before `from` (policy time zone) log out and
 * deactivate the person's account (compare-and-act, as an offboarding does); at the start of `until`
 * reactivate it — only the account this leave deactivated, still deactivated (else end `kept`). HR can
 * move `until`, end the leave now or cancel it; an offboarding of the person ends it without
 * reactivating. A leave never deletes anything.
 */
export async function leave(input: LeaveInput): Promise<LeaveOutcome> {
  const index = new PersonIndexWriter({
    lifecycle: 'leave',
    enabled: true,
    quietStages: ['deactivating', 'reactivating'],
    milestonesOnEnter: (stage) => (stage === 'on-leave' ? ['leave-started'] : []),
  });
  const outcome = await runLeave(input, index);
  await index.settled();
  await condition(allHandlersFinished);
  return outcome;
}

async function runLeave({ request, policy }: LeaveInput, index: PersonIndexWriter): Promise<LeaveOutcome> {
  const externalID = request.externalID;
  let until = request.until;
  let stage: LeaveStage = 'scheduled';
  let publishedStage: LeaveStage | undefined;
  const enterStage = (next: LeaveStage) => {
    stage = next;
    index.stageEntered(next);
    if (next === publishedStage) return;
    publishedStage = next;
    upsertSearchAttributes([{ key: lifecycleStageSearchAttribute, value: next }]);
  };
  enterStage('scheduled');
  const desk = new AttentionDesk<LeaveStage>({
    lifecycle: 'leave',
    externalID,
    stage: () => stage,
    enterStage,
  });

  let ending: Ending | undefined;
  let untilChanged = false;
  let staffbaseUserId: string | undefined;
  let deactivationMark: string | undefined;
  let deactivatedAtMs: number | undefined;
  let outcome: LeaveOutcome | undefined;
  const deactivateAtMs = zonedDateTimeToEpochMs(
    shiftDate(request.from, -1),
    policy.endOfWorkingDay,
    policy.timeZone,
  );

  const status = (): LeaveStatus => ({
    stage,
    externalID,
    from: request.from,
    until,
    staffbaseUserId,
    deactivateAt: iso(deactivateAtMs),
    reactivateAt: iso(returnMomentOf(until, policy)),
    deactivatedAt: iso(deactivatedAtMs),
    attention: desk.reason,
    outcome,
  });

  const stillOpen = () => {
    if (outcome !== undefined || ending !== undefined || stage === 'reactivating') {
      throw ApplicationFailure.create({ type: 'AlreadyEnded', message: 'The leave is ending or has ended.' });
    }
  };
  const endedAs = async (asked: Ending): Promise<LeaveOutcome> => {
    ending ??= asked;
    await condition(() => outcome !== undefined);
    return outcome as LeaveOutcome;
  };
  setHandler(leaveStatusQuery, status);
  setHandler(retryStepUpdate, () => desk.retry(), { validator: () => desk.assertWaiting() });
  setHandler(
    changeLeaveUntilUpdate,
    ({ until: next }) => {
      until = next;
      untilChanged = true;
      return status();
    },
    {
      validator: ({ until: next }: { until: string }) => {
        stillOpen();
        if (!/^\d{4}-\d{2}-\d{2}$/.test(next) || next <= request.from) {
          throw ApplicationFailure.create({
            type: 'InvalidUntil',
            message: `until must be a date after from (${request.from}), the first day back`,
          });
        }
      },
    },
  );
  setHandler(endLeaveUpdate, ({ reason }) => endedAs({ by: 'end', reason }), {
    validator: (_asked: { reason?: string }) => stillOpen(),
  });
  setHandler(cancelLeaveUpdate, ({ reason }) => endedAs({ by: 'cancel', reason }), {
    validator: (_asked: { reason?: string }) => stillOpen(),
  });
  // The offboarding's side never fails: whatever the leave ended as, it answers with that.
  setHandler(endLeaveByOffboardingUpdate, () => endedAs({ by: 'offboarding' }));

  const finish = (
    result: LeaveResult,
    details: {
      reactivated?: boolean;
      keptBecause?: LeaveKeptReason;
      refusedBecause?: LeaveRefusal;
      reason?: string;
    } = {},
  ): LeaveOutcome => {
    const explained = details.keptBecause
      ? keptReasonText[details.keptBecause]
      : details.refusedBecause && refusalText[details.refusedBecause];
    outcome = {
      result,
      externalID,
      staffbaseUserId,
      deactivatedAt: iso(deactivatedAtMs),
      reactivated: details.reactivated ?? false,
      keptBecause: details.keptBecause,
      ...(details.refusedBecause && { refusedBecause: details.refusedBecause }),
      reason: details.reason ?? explained ?? request.reason,
    };
    index.milestone(
      result === 'returned' || result === 'ended' || result === 'cancelled' ? 'leave-ended' : result,
    );
    enterStage('completed');
    desk.settleAll();
    log.info('Leave finished', { result });
    return outcome;
  };
  const kept = (why: LeaveKeptReason) => finish('kept', { keptBecause: why });
  const endingReason = () => (ending && 'reason' in ending ? ending.reason : undefined) ?? request.reason;
  const step = <T>(name: string, act: () => Promise<T>) =>
    desk.step(name, act, { leaveWhen: () => ending !== undefined });
  /** Read through a function: handlers set it while the run awaits, which narrowing cannot see. */
  const endingNow = (): Ending | undefined => ending;
  /** Ended (or cancelled, or taken over by an offboarding) while a step waited for a fix. */
  const endedWhileWaiting = () => finish(resultOf[endingNow()?.by ?? 'cancel'], { reason: endingReason() });

  // 0. The service's own refusal, whichever way the run was started (the starters check as well);
  // before the first index write, so a refused leave leaves the person's row and events alone.
  if (patched(leavePatches.refusesOpenLifecycle)) {
    const refusal = await coordinationOffRateLimit.leaveRefusal({
      externalID,
      leaveStartedAt: workflowInfo().startTime.toISOString(),
    });
    if (refusal !== 'none') return finish('refused', { refusedBecause: refusal });
  }

  index.start(
    () => ({ externalID, stage: status().stage, outcome: outcome?.result, attentionCode: desk.reason?.code }),
    ['started'],
  );

  // 1. Wait for the end of the working day before the first day of leave (a past moment: at once).
  if (deactivateAtMs > Date.now()) await condition(() => ending !== undefined, deactivateAtMs - Date.now());
  if (ending) return finish(resultOf[ending.by], { reason: endingReason() });

  // 2. Log out and deactivate, compare-and-act as an offboarding (workflows/account-steps.ts).
  enterStage('deactivating');
  const resolved = await step('resolve-account', () => resolveExactAccount(externalID, 'urgent'));
  if (leftWaiting(resolved)) return endedWhileWaiting();
  if (resolved.result === 'user-not-found') return kept('user-not-found');
  staffbaseUserId = resolved.staffbaseUserId;
  const account = { staffbaseUserId, externalID };
  let deactivatedByLeave = false;
  if (resolved.status !== 'deactivated') {
    const loggedOut = await step('log-out', () => logOutOwnAccount(account, 'urgent'));
    if (leftWaiting(loggedOut)) return endedWhileWaiting();
    if (loggedOut !== 'logged-out') return kept(loggedOut);
    const deactivated = await step('deactivate', () => deactivateOwnAccount(account, 'urgent'));
    if (leftWaiting(deactivated)) return endedWhileWaiting();
    if (deactivated.result === 'user-not-found' || deactivated.result === 'account-replaced') {
      return kept(deactivated.result);
    }
    deactivatedByLeave = deactivated.result === 'deactivated';
    if (deactivatedByLeave) {
      deactivationMark = deactivated.deactivationMark;
      deactivatedAtMs = Date.now();
      index.milestone('deactivated');
    }
  }

  // 3. On leave until the first day back, however often it moves; open-ended: until ended.
  enterStage('on-leave');
  let ended = endingNow();
  while (ended === undefined) {
    untilChanged = false;
    const returnAtMs = returnMomentOf(until, policy);
    if (returnAtMs === undefined) {
      await condition(() => ending !== undefined || untilChanged);
      ended = endingNow();
      continue;
    }
    const remainingMs = returnAtMs - Date.now();
    if (remainingMs <= 0) {
      ended = ending = { by: 'return' };
      break;
    }
    const woken = await condition(() => ending !== undefined || untilChanged, remainingMs);
    // The timer fired and nothing moved the date: the first day back has come (decided by the
    // timer, not by Date.now() again, so a replay takes the same path).
    if (!woken) ending = { by: 'return' };
    ended = endingNow();
  }

  // 4. Back: reactivate only what this leave deactivated. An offboarding keeps it deactivated.
  if (ended.by === 'offboarding') return finish('ended-by-offboarding');
  if (!deactivatedByLeave) {
    return ended.by === 'return'
      ? kept('deactivated-before-leave')
      : finish(resultOf[ended.by], { reason: endingReason() });
  }
  enterStage('reactivating');
  const reactivation = await desk.step('reactivate', () =>
    reactivateOwnDeactivation(account, deactivationMark),
  );
  if (leftWaiting(reactivation) || reactivation.result === 'kept') {
    return kept(leftWaiting(reactivation) ? 'reactivated-since' : reactivation.reason);
  }
  index.milestone('reactivated');
  return finish(resultOf[ended.by], { reactivated: true, reason: endingReason() });
}
