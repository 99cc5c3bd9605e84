import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AttentionReason } from '../lifecycle/attention';
import type { BatchedLookupAnswer } from '../lifecycle/batched-lookup';
import type { RetentionChange } from '../lifecycle/offboarding-request';

/** Messages of the offboarding workflow, exported for the client (CLI, HTTP API) and the tests. */

export type OffboardingStage =
  | 'scheduled'
  | 'cancelling-onboarding'
  | 'logging-out'
  | 'deactivating'
  | 'needs-attention'
  | 'retention'
  | 'on-hold'
  | 'deleting'
  | 'reactivating'
  | 'completed';

/**
 * `kept`: the deletion found the account no longer the one this run deactivated (reactivated since,
 * or replaced) and left it alone. `cancelled-by-rehire`: a new onboarding of the person stopped it.
 */
export type OffboardingResult = 'deleted' | 'cancelled' | 'cancelled-by-rehire' | 'kept' | 'user-not-found';

/** Why an offboarding left the account alone (`kept`). */
export type OffboardingKeptReason = 'reactivated-since' | 'account-replaced';

/** Who asked for a cancel: HR (default) or a new onboarding of the same person (rehire). */
export interface OffboardingCancelRequest {
  reason?: string;
  /**
   * `rehire`: the onboarding that asked decides about the account by its rehire policy, so the
   * offboarding stops without reactivating it.
   */
  by?: 'hr' | 'rehire';
}

export interface OffboardingOutcome {
  result: OffboardingResult;
  externalID: string;
  staffbaseUserId?: string;
  deactivatedAt?: string;
  deletedAt?: string;
  /** For `cancelled`: whether the account had been deactivated and was reactivated (rehire). */
  reactivated?: boolean;
  /** For `deleted`: the account was already gone when the deletion ran. */
  alreadyGone?: boolean;
  /** For `kept`: why the account was not deleted. */
  keptBecause?: OffboardingKeptReason;
  /** The open onboarding run that this offboarding cancelled first, if any. */
  cancelledOnboarding?: boolean;
  reason?: string;
}

export interface OffboardingStatus {
  stage: OffboardingStage;
  externalID: string;
  staffbaseUserId?: string;
  effectiveAt?: string;
  deactivatedAt?: string;
  deleteAt?: string;
  legalHold?: { reason: string; since: string };
  /** Set while the run waits in `needs-attention`: why, and since when. */
  attention?: AttentionReason;
  outcome?: OffboardingOutcome;
}

export const offboardingStatusQuery = defineQuery<OffboardingStatus>('status');

/** HR reversal or rehire. Before deactivation nothing changes; after it the account is reactivated
 *  (unless a rehire onboarding asked: it decides itself). Refused once deletion is under way. */
export const cancelOffboardingUpdate = defineUpdate<OffboardingOutcome, [OffboardingCancelRequest]>('cancel');

/** Bring the deletion forward to now. Refused while a legal hold is in place. */
export const deleteNowUpdate = defineUpdate<OffboardingStatus, []>('deleteNow');

/** Pause the deletion until released, however long that takes. */
export const legalHoldUpdate = defineUpdate<OffboardingStatus, [{ reason: string }]>('legalHold');
export const releaseLegalHoldUpdate = defineUpdate<OffboardingStatus, []>('releaseLegalHold');

/** A new retention: days after deactivation, or an explicit moment. */
export const changeRetentionUpdate = defineUpdate<OffboardingStatus, [RetentionChange]>('changeRetention');

/**
 * Staffbase said something changed about the account (workflows/staffbase-event.ts): in retention the
 * run re-reads it at once (patch `staffbase-event-recheck`) and ends `kept` if it was reactivated or
 * replaced by hand. Only ever a reason not to delete; elsewhere it is ignored.
 */
export const offboardingAccountRecheckSignal = defineSignal<[{ source?: string }]>('accountRecheck');

/**
 * The look-up batcher's answer to a bulk offboarding (workflows/lookup-batcher.ts): the run's person as
 * one list request read them. Taken only while the run waits for it, and only for its own externalID.
 */
export const batchedLookupAnswerSignal = defineSignal<[BatchedLookupAnswer]>('batchedLookupAnswer');
