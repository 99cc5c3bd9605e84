import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { AttentionReason } from '../lifecycle/attention';

/** Messages of the onboarding workflow, exported for the client (CLI, HTTP API) and the tests. */

/** HR system or webhook: the new hire has activated their account. Completes the wait at once. */
export const onboardingActivatedSignal = defineSignal<[{ source?: string }]>('activated');

/** The offer was withdrawn: stop, and by policy delete the pending account. */
export const cancelOnboardingSignal = defineSignal<[{ reason?: string }]>('cancel');

/** A new start date, while the invitation is still scheduled. Ignored once the invitation went out. */
export const changeStartDateSignal = defineSignal<[{ startDate: string }]>('changeStartDate');

export type OnboardingStage =
  'scheduled' | 'creating-account' | 'needs-attention' | 'awaiting-activation' | 'finishing' | 'completed';

export interface NextAction {
  kind: 'send-invitation' | 'send-reminder' | 'check-status' | 'expire';
  at: string;
}

export interface OnboardingStatus {
  stage: OnboardingStage;
  externalID: string;
  staffbaseUserId?: string;
  startDate?: string;
  invitedAt?: string;
  remindersSent: number;
  nextAction?: NextAction;
  /** Set while the run waits in `needs-attention`: why, and since when. */
  attention?: AttentionReason;
  /** As the outcome's: accounts deleted by hand while this run reactivated them. */
  vanishedWhileReactivating?: string[];
  outcome?: OnboardingOutcome;
}

export const onboardingStatusQuery = defineQuery<OnboardingStatus>('status');

export type OnboardingResult =
  | 'activated'
  | 'expired'
  | 'cancelled'
  | 'rehire-refused'
  | 'account-deleted-elsewhere'
  /** The person was on leave when the onboarding started: nothing created (patch `onboarding-refused-on-leave`). */
  | 'refused-on-leave';

/** What happened to the Staffbase account at the end, where the outcome touched it. */
/** `kept`: the account was no longer pending (activated, or deactivated by an offboarding), so it stayed. */
export type PendingAccountAction = 'left-pending' | 'deleted' | 'never-created' | 'kept';

export interface OnboardingOutcome {
  result: OnboardingResult;
  externalID: string;
  staffbaseUserId?: string;
  remindersSent: number;
  /** How the activation became known, for `activated`. */
  activatedVia?: 'signal' | 'status-check' | 'already-activated' | 'reactivated';
  accountAction?: PendingAccountAction;
  /**
   * A rehire: this onboarding first stopped the person's open offboarding (`cancelled`), or met one
   * whose deletion was already under way and waited for it (`deleted-before-rehire`).
   */
  settledOffboarding?: 'cancelled' | 'deleted-before-rehire';
  /**
   * A rehire's deactivated accounts that were deleted by hand while this run reactivated them (it then
   * created a fresh one): the reactivation may have reached Staffbase first, so they are on record.
   */
  vanishedWhileReactivating?: string[];
  reason?: string;
}
