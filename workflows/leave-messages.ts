import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AttentionReason } from '../lifecycle/attention';

/** Messages of the leave workflow (workflows/leave.ts), exported for the client and the tests. */

export type LeaveStage =
  'scheduled' | 'deactivating' | 'on-leave' | 'reactivating' | 'needs-attention' | 'completed';

/**
 * `returned`: reactivated on the first day back. `ended`: ended early by HR (reactivated now if this
 * leave had deactivated). `cancelled`: called off (reactivated if it had deactivated). `kept`: the
 * account was left as it was (`keptBecause`). `ended-by-offboarding`: an offboarding of the person took
 * over; the account stays deactivated. `refused`: the person's onboarding or offboarding was open when the
 * leave started (`refusedBecause`); nothing was done.
 */
export type LeaveResult = 'returned' | 'ended' | 'cancelled' | 'kept' | 'ended-by-offboarding' | 'refused';

/** Why a leave left the account alone instead of reactivating it. */
export type LeaveKeptReason =
  /** Someone reactivated the account by hand during the leave (or deactivated it again since). */
  | 'reactivated-since'
  /** The account no longer carries the person's externalID. */
  | 'account-replaced'
  /** No account with this externalID (none at the start, or deleted since). */
  | 'user-not-found'
  /** The account was already deactivated when the leave began: not this leave's to reactivate. */
  | 'deactivated-before-leave';

export interface LeaveOutcome {
  result: LeaveResult;
  externalID: string;
  staffbaseUserId?: string;
  deactivatedAt?: string;
  /** Whether this leave reactivated the account. */
  reactivated: boolean;
  keptBecause?: LeaveKeptReason;
  /** For `refused`: the lifecycle of the person that was open (patch `leave-refuses-open-lifecycle`). */
  refusedBecause?: 'onboarding-open' | 'offboarding-open';
  reason?: string;
}

export interface LeaveStatus {
  stage: LeaveStage;
  externalID: string;
  from: string;
  until?: string;
  staffbaseUserId?: string;
  /** When the account is (was) deactivated: the end of the working day before `from`. */
  deactivateAt?: string;
  /** When the account is reactivated: the start of `until`. Absent: open-ended. */
  reactivateAt?: string;
  deactivatedAt?: string;
  attention?: AttentionReason;
  outcome?: LeaveOutcome;
}

export const leaveStatusQuery = defineQuery<LeaveStatus>('status');

/** A new first day back (extend or shorten). Refused once the leave is ending or ended. */
export const changeLeaveUntilUpdate = defineUpdate<LeaveStatus, [{ until: string }]>('changeUntil');

/** End the leave now: reactivates now if this leave deactivated the account. Answers with the outcome. */
export const endLeaveUpdate = defineUpdate<LeaveOutcome, [{ reason?: string }]>('end');

/** Call the leave off: reactivates if it had deactivated. Answers with the outcome. */
export const cancelLeaveUpdate = defineUpdate<LeaveOutcome, [{ reason?: string }]>('cancel');

/** An offboarding of the person took over: the leave ends without reactivating. */
export const endLeaveByOffboardingUpdate = defineUpdate<LeaveOutcome, []>('endByOffboarding');
