/**
 * One onboarding run's steps (its state and handlers: workflows/onboarding-state.ts);
 * workflows/onboarding.ts is its main function. The order of
 * commands (search attribute upserts, patch markers, timers, activities) is the one the workflow had
 * as a single function: recorded histories replay against it (test/replay).
 */
import { allHandlersFinished, condition, continueAsNew, patched, workflowInfo } from '@temporalio/workflow';
import { addDays, shiftDate, zonedDateTimeToEpochMs } from '../lifecycle/calendar';
import { ensureAccountCreateFirst } from './account-steps';
import { coordinationOffRateLimit, coordinationOnStaffbaseQueue } from './coordination-activities';
import { leftWaiting } from './needs-attention';
import type { OnboardingOutcome } from './onboarding-messages';
import { onboardingPatches } from './onboarding-patches';
import { checkStatus, deletePending, notifyExpired, sendReminder, staffbase } from './onboarding-steps';
import type { onboarding, OnboardingInput } from './onboarding';
import { OnboardingState } from './onboarding-state';

/** An outcome ends the run; undefined: go on to the next step. */
type StepEnd = OnboardingOutcome | undefined;

export class OnboardingRun extends OnboardingState {
  /**
   * `awaitsHandlers` (patch `onboarding-awaits-handlers`): before continuing as new, the run answers
   * its open `correct` / `retry` updates and waits until their handlers finished.
   */
  constructor(
    input: OnboardingInput,
    private readonly historyEventLimit: number,
    private readonly awaitsHandlers: boolean,
    indexed = false,
  ) {
    super(input, indexed);
  }

  /** The joiner path, steps 0–4 (workflows/onboarding.ts). */
  async execute(): Promise<OnboardingOutcome> {
    // Since `onboarding-refused-on-leave` (decided first: without its marker no command is sent, so
    // older runs replay as before) the settling comes before the first index write, so a refused run
    // writes nothing to the person's row and sends no `started`.
    if (!this.input.carryOver && patched(onboardingPatches.refusedOnLeave)) {
      patched(onboardingPatches.rehireCancelsOffboarding); // still recorded: the patch census counts it
      const refused = await this.settleBeforeStart();
      if (refused) return refused;
      this.startIndex();
    } else {
      this.startIndex();
      if (!this.input.carryOver && patched(onboardingPatches.rehireCancelsOffboarding)) {
        await this.settleOpenOffboarding();
      }
    }
    if (!this.input.carryOver) {
      const ended = (await this.waitForInvitationTime()) ?? (await this.createAccount());
      if (ended) return ended;
    }
    return this.awaitActivation();
  }

  private async cancel(): Promise<OnboardingOutcome> {
    this.enterStage('finishing');
    const reason = this.cancellation?.reason;
    const staffbaseUserId = this.staffbaseUserId;
    if (staffbaseUserId === undefined)
      return this.finish({ result: 'cancelled', accountAction: 'never-created', reason });
    if (this.policy.cancelAction === 'leave-pending') {
      return this.finish({ result: 'cancelled', staffbaseUserId, accountAction: 'left-pending', reason });
    }
    const deletion = await this.desk.step('delete-pending', () =>
      deletePending(staffbaseUserId, this.request.externalID),
    );
    if (leftWaiting(deletion)) throw new Error('a cancel waits for its deletion without leaving'); // unreachable
    const accountAction = deletion === 'not-pending' ? 'kept' : 'deleted';
    return this.finish({ result: 'cancelled', staffbaseUserId, accountAction, reason });
  }

  /**
   * The invitation's moment: the invite time of day, lead-time calendar days before the start date.
   * Runs before `invite-local-time` subtracted 24-hour days, an hour off across a summer-time change.
   */
  private invitationAtMs(date: string): number {
    const { policy } = this;
    return patched(onboardingPatches.inviteLocalTime)
      ? zonedDateTimeToEpochMs(
          shiftDate(date, -policy.inviteLeadTimeDays),
          policy.inviteTimeOfDay,
          policy.timeZone,
        )
      : addDays(
          zonedDateTimeToEpochMs(date, policy.inviteTimeOfDay, policy.timeZone),
          -policy.inviteLeadTimeDays,
        );
  }

  /**
   * 0. Since `onboarding-refused-on-leave`: one activity refuses the run while the person is on leave
   * (whichever way it was started: the starters check as well) or else settles an open offboarding.
   */
  private async settleBeforeStart(): Promise<StepEnd> {
    this.announceInvitation();
    const settlement = await coordinationOffRateLimit.settleBeforeOnboarding({
      externalID: this.request.externalID,
      onboardingStartedAt: workflowInfo().startTime.toISOString(),
    });
    if (settlement === 'on-leave') {
      return this.finish({
        result: 'refused-on-leave',
        accountAction: 'never-created',
        reason: 'The person is on leave: end or cancel the leave before an onboarding.',
      });
    }
    if (settlement !== 'no-open-offboarding') this.settledOffboarding = settlement;
    return undefined;
  }

  /** While the settling waits, the status already says when the invitation goes out. */
  private announceInvitation(): void {
    const { startDate } = this;
    if (startDate !== undefined && this.invitationAtMs(startDate) > Date.now()) {
      this.nextAction = {
        kind: 'send-invitation',
        at: new Date(this.invitationAtMs(startDate)).toISOString(),
      };
    }
  }

  /**
   * One person, one story: the person's open offboarding stops before anything else happens.
   * It does not reactivate; this run's rehire policy decides at account time.
   */
  private async settleOpenOffboarding(): Promise<void> {
    this.announceInvitation();
    const coordinator = patched(onboardingPatches.coordinationOffRateLimit)
      ? coordinationOffRateLimit
      : coordinationOnStaffbaseQueue;
    const settlement = await coordinator.cancelOffboardingForRehire({
      externalID: this.request.externalID,
      onboardingStartedAt: workflowInfo().startTime.toISOString(),
    });
    if (settlement !== 'no-open-offboarding') this.settledOffboarding = settlement;
  }

  /** 1. A future start date schedules the invitation; a past one runs at once (catch-up, never "missed"). */
  private async waitForInvitationTime(): Promise<StepEnd> {
    while (this.startDate !== undefined) {
      const inviteAtMs = this.invitationAtMs(this.startDate);
      if (inviteAtMs <= Date.now()) break;
      this.nextAction = { kind: 'send-invitation', at: new Date(inviteAtMs).toISOString() };
      this.startDateChanged = false;
      await condition(
        () => this.cancellation !== undefined || this.startDateChanged,
        inviteAtMs - Date.now(),
      );
      if (this.cancellation) return this.cancel();
    }
    if (this.cancellation) return this.cancel();
    return undefined;
  }

  /** 2. Exactly one account: adopt an existing one, reactivate a rehire, or create and invite. */
  private async createAccount(): Promise<StepEnd> {
    this.enterStage('creating-account');
    this.nextAction = undefined;
    const oneRequest = patched(onboardingPatches.oneRequestSteps);
    const { policy, input } = this;
    const account = await this.desk.step(
      'create-account',
      () =>
        oneRequest
          ? ensureAccountCreateFirst(this.request, policy.rehirePolicy, input.lane ?? 'standard')
          : staffbase.ensureOnboardingUser({ request: this.request, rehirePolicy: policy.rehirePolicy }),
      {
        leaveWhen: () => this.cancellation !== undefined,
        // The expiry is policy: a request nobody fixes ends as an expired onboarding.
        deadlineAtMs: (parkedAtMs) => addDays(parkedAtMs, this.reminderPolicy.expireAfterDays),
      },
    );
    if (leftWaiting(account)) {
      if (this.cancellation) return this.cancel();
      return this.finish({
        result: 'expired',
        accountAction: 'never-created',
        reason: 'Staffbase refused the account and nobody corrected it before the onboarding expired.',
      });
    }
    const staffbaseUserId = account.userId;
    this.staffbaseUserId = staffbaseUserId;
    this.vanishedWhileReactivating = account.vanishedWhileReactivating;
    this.invitedAtMs = Date.now();
    this.lastStatusCheckMs = this.invitedAtMs;
    if (account.outcome === 'deactivated-rehire-refused') {
      return this.finish({
        result: 'rehire-refused',
        staffbaseUserId,
        reason: 'A deactivated account with this externalID exists and the rehire policy is "stop".',
      });
    }
    if (this.cancellation) return this.cancel();
    if (account.status === 'activated') {
      return this.finish({
        result: 'activated',
        staffbaseUserId,
        activatedVia: account.outcome === 'reactivated' ? 'reactivated' : 'already-activated',
      });
    }
    this.index.milestone('invited');
    return undefined;
  }

  /** 3. Wait for activation: a signal ends the wait at once; otherwise sparse status checks. */
  private async awaitActivation(): Promise<OnboardingOutcome> {
    const { staffbaseUserId, invitedAtMs, policy, reminderPolicy } = this;
    if (staffbaseUserId === undefined || invitedAtMs === undefined) {
      throw new Error('Onboarding lost its account between runs'); // unreachable: carryOver always has both
    }
    this.enterStage('awaiting-activation');
    const checkIntervalMs = policy.statusCheckIntervalMinutes * 60_000;
    const expiresAtMs = addDays(invitedAtMs, reminderPolicy.expireAfterDays);
    for (;;) {
      if (this.activatedVia)
        return this.finish({ result: 'activated', staffbaseUserId, activatedVia: this.activatedVia });
      if (this.cancellation) return this.cancel();

      const reminderDay = reminderPolicy.remindAfterDays[this.remindersSent];
      const reminderDueMs = reminderDay === undefined ? undefined : addDays(invitedAtMs, reminderDay);
      const checkDueMs = this.lastStatusCheckMs + checkIntervalMs;
      const wakeAtMs = Math.min(checkDueMs, expiresAtMs, reminderDueMs ?? Infinity);
      this.nextAction = {
        kind:
          wakeAtMs === reminderDueMs ? 'send-reminder' : wakeAtMs === expiresAtMs ? 'expire' : 'check-status',
        at: new Date(wakeAtMs).toISOString(),
      };
      const signalled = await condition(() => this.signalled(), Math.max(wakeAtMs - Date.now(), 1));
      if (signalled) continue;

      // The timer fired, so at least `wakeAtMs` has passed, whatever the activation's clock says (a
      // worker taking over after a crash was seen to get an older timestamp than a replay would).
      let now = Math.max(Date.now(), wakeAtMs);
      this.lastStatusCheckMs = now;
      const checked = await this.desk.step('check-status', () => checkStatus(staffbaseUserId), {
        leaveWhen: () => this.signalled(),
        deadlineAtMs: () => expiresAtMs,
      });
      if (leftWaiting(checked)) {
        if (this.signalled()) continue;
        now = Math.max(now, expiresAtMs); // the expiry came while Staffbase refused every check
      }
      const status = leftWaiting(checked) ? 'pending' : checked;
      if (status === 'activated')
        return this.finish({ result: 'activated', staffbaseUserId, activatedVia: 'status-check' });
      if (status === 'gone' || status === 'deactivated') {
        return this.finish({
          result: 'account-deleted-elsewhere',
          staffbaseUserId,
          reason:
            status === 'gone'
              ? 'The account was deleted in Staffbase.'
              : 'The account was deactivated in Staffbase.',
        });
      }
      if (this.cancellation) return this.cancel();

      if (reminderDueMs !== undefined && reminderDueMs <= now && now < expiresAtMs) {
        const delivery = await sendReminder({
          staffbaseUserId,
          externalID: this.request.externalID,
          reminderNumber: this.remindersSent + 1,
          contactEmail: this.request.contactEmail,
        });
        if (delivery === 'user-activated') {
          return this.finish({ result: 'activated', staffbaseUserId, activatedVia: 'status-check' });
        }
        this.remindersSent += 1;
        this.index.milestone('reminder');
        this.index.write();
      }

      if (expiresAtMs <= now) {
        const ended = await this.expire(staffbaseUserId);
        if (ended) return ended;
        continue;
      }
      await this.continueAsNewWhenLong(staffbaseUserId, invitedAtMs);
    }
  }

  /**
   * 4. Never activated: keep or delete the pending account by policy; tell HR either way. Undefined:
   *    the deletion waited for a fix and a signal ended the wait (the activation loop decides).
   */
  private async expire(staffbaseUserId: string): Promise<StepEnd> {
    this.enterStage('finishing');
    let accountAction: 'left-pending' | 'deleted' | 'kept' = 'left-pending';
    if (this.policy.expiredAction === 'delete-pending') {
      const deletion = await this.desk.step(
        'delete-pending',
        () => deletePending(staffbaseUserId, this.request.externalID),
        {
          leaveWhen: () => this.signalled(),
        },
      );
      if (leftWaiting(deletion)) return undefined;
      accountAction = deletion === 'not-pending' ? 'kept' : 'deleted';
    }
    if (accountAction === 'kept') {
      return this.finish({ result: 'activated', staffbaseUserId, activatedVia: 'status-check' });
    }
    const { request, remindersSent } = this;
    await notifyExpired({ request, staffbaseUserId, remindersSent, accountAction });
    return this.finish({ result: 'expired', staffbaseUserId, accountAction });
  }

  private async continueAsNewWhenLong(staffbaseUserId: string, invitedAtMs: number): Promise<void> {
    const info = workflowInfo();
    if (!info.continueAsNewSuggested && info.historyLength < this.historyEventLimit) return;
    if (this.awaitsHandlers) {
      // An update accepted just as its step resolved has no retry left to answer it in this run.
      this.desk.settleAll();
      await condition(allHandlersFinished);
    }
    if (this.index.enabled) await this.indexSettled();
    const { remindersSent, lastStatusCheckMs, settledOffboarding, vanishedWhileReactivating } = this;
    await continueAsNew<typeof onboarding>({
      request: { ...this.request, startDate: this.startDate },
      policy: this.policy,
      carryOver: {
        staffbaseUserId,
        invitedAtMs,
        remindersSent,
        lastStatusCheckMs,
        settledOffboarding,
        ...(vanishedWhileReactivating && { vanishedWhileReactivating }),
      },
    });
  }
}
