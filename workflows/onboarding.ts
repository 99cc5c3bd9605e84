import {
  condition,
  continueAsNew,
  log,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { addDays, shiftDate, zonedDateTimeToEpochMs } from '../lifecycle/calendar';
import type { OnboardingPolicy, OnboardingRequest } from '../lifecycle/onboarding-request';
import type { PriorityLane } from '../lifecycle/priority-lanes';
import { lifecycleStageSearchAttribute } from '../lifecycle/search-attributes';
import { ensureAccountCreateFirst } from './account-steps';
import { coordinationOffRateLimit, coordinationOnStaffbaseQueue } from './coordination-activities';
import {
  cancelOnboardingSignal,
  changeStartDateSignal,
  onboardingActivatedSignal,
  onboardingStatusQuery,
  type NextAction,
  type OnboardingOutcome,
  type OnboardingStage,
  type OnboardingStatus,
} from './onboarding-messages';
import { AttentionDesk, leftWaiting } from './needs-attention';
import { handleAttentionUpdates, isStartDate } from './onboarding-corrections';
import { onboardingPatches } from './onboarding-patches';
import { checkStatus, deletePending, notifyExpired, sendReminder, staffbase } from './onboarding-steps';

export { onboardingPatches } from './onboarding-patches';

/**
 * Above this many history events the wait continues as a new run, carrying its state: Temporal's
 * own limit is 51,200 events, and short histories replay fast. A 30-day wait with hourly checks
 * writes about 8,000 events, so it spans a few runs.
 */
export const onboardingHistoryEventLimit = 2_000;

/** Where an earlier run of this onboarding (before continue-as-new) left off. */
export interface OnboardingCarryOver {
  staffbaseUserId: string;
  invitedAtMs: number;
  remindersSent: number;
  lastStatusCheckMs: number;
  settledOffboarding?: OnboardingOutcome['settledOffboarding'];
}

export interface OnboardingInput {
  request: OnboardingRequest;
  policy: OnboardingPolicy;
  carryOver?: OnboardingCarryOver;
  /**
   * The lane of the account's creation: `bulk` for a file of hires (a CSV import), so a single
   * onboarding HR triggers goes ahead of them. Absent (runs started before it, single starts):
   * `standard`.
   */
  lane?: OnboardingLane;
}

/** Where an onboarding's create waits when Staffbase's rate is the limit (lifecycle/priority-lanes.ts). */
export type OnboardingLane = Extract<PriorityLane, 'standard' | 'bulk'>;

/**
 * The joiner path: wait for the invitation time → ensure exactly one Staffbase account (invitation
 * mailed by Staffbase) → wait for activation, reminding on schedule → activated or expired.
 */
export async function onboarding(input: OnboardingInput): Promise<OnboardingOutcome> {
  const { policy } = input;
  /** The request as HR last corrected it (needs-attention); the input keeps what was asked first. */
  let request = input.request;
  const reminderPolicy = request.reminderPolicy ?? policy.reminderPolicy;

  let stage: OnboardingStage = input.carryOver ? 'awaiting-activation' : 'scheduled';
  /** Every stage change is visible in the Temporal UI through the LifecycleStage search attribute. */
  let publishedStage: OnboardingStage | undefined;
  const enterStage = (next: OnboardingStage) => {
    stage = next;
    if (next === publishedStage) return;
    publishedStage = next;
    upsertSearchAttributes([{ key: lifecycleStageSearchAttribute, value: next }]);
  };
  enterStage(stage);
  const desk = new AttentionDesk<OnboardingStage>({
    lifecycle: 'onboarding',
    externalID: request.externalID,
    personName: () => `${request.firstName} ${request.lastName}`,
    contactEmail: () => request.contactEmail,
    stage: () => stage,
    enterStage,
  });
  let startDate = request.startDate;
  let startDateChanged = false;
  let activatedVia: 'signal' | undefined;
  let cancellation: { reason?: string } | undefined;
  let staffbaseUserId = input.carryOver?.staffbaseUserId;
  let invitedAtMs = input.carryOver?.invitedAtMs;
  let remindersSent = input.carryOver?.remindersSent ?? 0;
  let lastStatusCheckMs = input.carryOver?.lastStatusCheckMs ?? Date.now();
  let settledOffboarding = input.carryOver?.settledOffboarding;
  let nextAction: NextAction | undefined;
  let outcome: OnboardingOutcome | undefined;

  setHandler(onboardingActivatedSignal, () => {
    activatedVia ??= 'signal';
  });
  setHandler(cancelOnboardingSignal, (details) => {
    cancellation ??= { reason: details.reason };
  });
  setHandler(changeStartDateSignal, ({ startDate: newStartDate }) => {
    if (stage !== 'scheduled') {
      log.warn('Start date change ignored: the invitation already went out', { newStartDate });
      return;
    }
    if (!isStartDate(newStartDate, policy)) {
      log.warn('Start date change ignored: not a date in the form YYYY-MM-DD', { newStartDate });
      return;
    }
    startDate = newStartDate;
    startDateChanged = true;
  });
  setHandler(onboardingStatusQuery, (): OnboardingStatus => ({
    stage,
    externalID: request.externalID,
    staffbaseUserId,
    startDate,
    invitedAt: invitedAtMs === undefined ? undefined : new Date(invitedAtMs).toISOString(),
    remindersSent,
    nextAction,
    attention: desk.reason,
    outcome,
  }));
  handleAttentionUpdates(desk, (corrected) => {
    request = { ...request, ...corrected };
  });

  const finish = (result: Omit<OnboardingOutcome, 'externalID' | 'remindersSent'>): OnboardingOutcome => {
    outcome = { ...result, externalID: request.externalID, remindersSent, settledOffboarding };
    enterStage('completed');
    desk.settleAll();
    nextAction = undefined;
    log.info('Onboarding finished', { result: outcome.result, accountAction: outcome.accountAction });
    return outcome;
  };

  const cancel = async (): Promise<OnboardingOutcome> => {
    enterStage('finishing');
    const reason = cancellation?.reason;
    if (staffbaseUserId === undefined)
      return finish({ result: 'cancelled', accountAction: 'never-created', reason });
    if (policy.cancelAction === 'leave-pending') {
      return finish({ result: 'cancelled', staffbaseUserId, accountAction: 'left-pending', reason });
    }
    const pendingId = staffbaseUserId;
    const deletion = await desk.step('delete-pending', () => deletePending(pendingId));
    if (leftWaiting(deletion)) throw new Error('a cancel waits for its deletion without leaving'); // unreachable
    const accountAction = deletion === 'not-pending' ? 'kept' : 'deleted';
    return finish({ result: 'cancelled', staffbaseUserId, accountAction, reason });
  };

  /**
   * The invitation's moment: the invite time of day, lead-time calendar days before the start date.
   * Runs before `invite-local-time` subtracted 24-hour days, an hour off across a summer-time change.
   */
  const invitationAtMs = (date: string) =>
    patched(onboardingPatches.inviteLocalTime)
      ? zonedDateTimeToEpochMs(
          shiftDate(date, -policy.inviteLeadTimeDays),
          policy.inviteTimeOfDay,
          policy.timeZone,
        )
      : addDays(
          zonedDateTimeToEpochMs(date, policy.inviteTimeOfDay, policy.timeZone),
          -policy.inviteLeadTimeDays,
        );
  if (!input.carryOver && patched(onboardingPatches.rehireCancelsOffboarding)) {
    // 0. One person, one story: the person's open offboarding stops before anything else happens.
    //    It does not reactivate; this run's rehire policy decides at account time.
    if (startDate !== undefined && invitationAtMs(startDate) > Date.now()) {
      nextAction = { kind: 'send-invitation', at: new Date(invitationAtMs(startDate)).toISOString() };
    }
    const coordinator = patched(onboardingPatches.coordinationOffRateLimit)
      ? coordinationOffRateLimit
      : coordinationOnStaffbaseQueue;
    const settlement = await coordinator.cancelOffboardingForRehire({
      externalID: request.externalID,
      onboardingStartedAt: workflowInfo().startTime.toISOString(),
    });
    if (settlement !== 'no-open-offboarding') settledOffboarding = settlement;
  }

  // 1. A future start date schedules the invitation; a past one runs at once (catch-up, never "missed").
  if (!input.carryOver) {
    while (startDate !== undefined) {
      const inviteAtMs = invitationAtMs(startDate);
      if (inviteAtMs <= Date.now()) break;
      nextAction = { kind: 'send-invitation', at: new Date(inviteAtMs).toISOString() };
      startDateChanged = false;
      await condition(() => cancellation !== undefined || startDateChanged, inviteAtMs - Date.now());
      if (cancellation) return cancel();
    }
    if (cancellation) return cancel();

    // 2. Exactly one account: adopt an existing one, reactivate a rehire, or create and invite.
    enterStage('creating-account');
    nextAction = undefined;
    const oneRequest = patched(onboardingPatches.oneRequestSteps);
    const account = await desk.step(
      'create-account',
      () =>
        oneRequest
          ? ensureAccountCreateFirst(request, policy.rehirePolicy, input.lane ?? 'standard')
          : staffbase.ensureOnboardingUser({ request, rehirePolicy: policy.rehirePolicy }),
      {
        leaveWhen: () => cancellation !== undefined,
        // The expiry is policy: a request nobody fixes ends as an expired onboarding.
        deadlineAtMs: (parkedAtMs) => addDays(parkedAtMs, reminderPolicy.expireAfterDays),
      },
    );
    if (leftWaiting(account)) {
      if (cancellation) return cancel();
      return finish({
        result: 'expired',
        accountAction: 'never-created',
        reason: 'Staffbase refused the account and nobody corrected it before the onboarding expired.',
      });
    }
    staffbaseUserId = account.userId;
    invitedAtMs = Date.now();
    lastStatusCheckMs = invitedAtMs;
    if (account.outcome === 'deactivated-rehire-refused') {
      return finish({
        result: 'rehire-refused',
        staffbaseUserId,
        reason: 'A deactivated account with this externalID exists and the rehire policy is "stop".',
      });
    }
    if (cancellation) return cancel();
    if (account.status === 'activated') {
      return finish({
        result: 'activated',
        staffbaseUserId,
        activatedVia: account.outcome === 'reactivated' ? 'reactivated' : 'already-activated',
      });
    }
  }
  if (staffbaseUserId === undefined || invitedAtMs === undefined) {
    throw new Error('Onboarding lost its account between runs'); // unreachable: carryOver always has both
  }

  // 3. Wait for activation: a signal ends the wait at once; otherwise sparse status checks.
  enterStage('awaiting-activation');
  const checkIntervalMs = policy.statusCheckIntervalMinutes * 60_000;
  const expiresAtMs = addDays(invitedAtMs, reminderPolicy.expireAfterDays);
  for (;;) {
    if (activatedVia) return finish({ result: 'activated', staffbaseUserId, activatedVia });
    if (cancellation) return cancel();

    const reminderDay = reminderPolicy.remindAfterDays[remindersSent];
    const reminderDueMs = reminderDay === undefined ? undefined : addDays(invitedAtMs, reminderDay);
    const checkDueMs = lastStatusCheckMs + checkIntervalMs;
    const wakeAtMs = Math.min(checkDueMs, expiresAtMs, reminderDueMs ?? Infinity);
    nextAction = {
      kind:
        wakeAtMs === reminderDueMs ? 'send-reminder' : wakeAtMs === expiresAtMs ? 'expire' : 'check-status',
      at: new Date(wakeAtMs).toISOString(),
    };
    const signalled = await condition(
      () => activatedVia !== undefined || cancellation !== undefined,
      Math.max(wakeAtMs - Date.now(), 1),
    );
    if (signalled) continue;

    // The timer fired, so at least `wakeAtMs` has passed, whatever the activation's clock says (a
    // worker taking over after a crash was seen to get an older timestamp than a replay would).
    let now = Math.max(Date.now(), wakeAtMs);
    lastStatusCheckMs = now;
    const userId = staffbaseUserId;
    const checked = await desk.step('check-status', () => checkStatus(userId), {
      leaveWhen: () => activatedVia !== undefined || cancellation !== undefined,
      deadlineAtMs: () => expiresAtMs,
    });
    if (leftWaiting(checked)) {
      if (activatedVia || cancellation) continue;
      now = Math.max(now, expiresAtMs); // the expiry came while Staffbase refused every check
    }
    const status = leftWaiting(checked) ? 'pending' : checked;
    if (status === 'activated')
      return finish({ result: 'activated', staffbaseUserId, activatedVia: 'status-check' });
    if (status === 'gone' || status === 'deactivated') {
      return finish({
        result: 'account-deleted-elsewhere',
        staffbaseUserId,
        reason:
          status === 'gone'
            ? 'The account was deleted in Staffbase.'
            : 'The account was deactivated in Staffbase.',
      });
    }
    if (cancellation) return cancel();

    if (reminderDueMs !== undefined && reminderDueMs <= now && now < expiresAtMs) {
      const delivery = await sendReminder({
        staffbaseUserId,
        externalID: request.externalID,
        reminderNumber: remindersSent + 1,
        contactEmail: request.contactEmail,
      });
      if (delivery === 'user-activated') {
        return finish({ result: 'activated', staffbaseUserId, activatedVia: 'status-check' });
      }
      remindersSent += 1;
    }

    if (expiresAtMs <= now) {
      // 4. Never activated: keep or delete the pending account by policy; tell HR either way.
      enterStage('finishing');
      let accountAction: 'left-pending' | 'deleted' | 'kept' = 'left-pending';
      if (policy.expiredAction === 'delete-pending') {
        const pendingId = staffbaseUserId;
        const deletion = await desk.step('delete-pending', () => deletePending(pendingId), {
          leaveWhen: () => activatedVia !== undefined || cancellation !== undefined,
        });
        if (leftWaiting(deletion)) continue;
        accountAction = deletion === 'not-pending' ? 'kept' : 'deleted';
      }
      if (accountAction === 'kept') {
        return finish({ result: 'activated', staffbaseUserId, activatedVia: 'status-check' });
      }
      await notifyExpired({ request, staffbaseUserId, remindersSent, accountAction });
      return finish({ result: 'expired', staffbaseUserId, accountAction });
    }

    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength >= onboardingHistoryEventLimit) {
      await continueAsNew<typeof onboarding>({
        request: { ...request, startDate },
        policy,
        carryOver: { staffbaseUserId, invitedAtMs, remindersSent, lastStatusCheckMs, settledOffboarding },
      });
    }
  }
}
