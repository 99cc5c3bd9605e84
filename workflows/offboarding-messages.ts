import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { RetentionChange } from '../lifecycle/offboarding-request';

/** Messages of the offboarding workflow, exported for the client (CLI, HTTP API) and the tests. */

export type OffboardingStage =
  | 'scheduled'
  | 'cancelling-onboarding'
  | 'logging-out'
  | 'deactivating'
  | 'retention'
  | 'on-hold'
  | 'deleting'
  | 'reactivating'
  | 'completed';

export type OffboardingResult = 'deleted' | 'cancelled' | 'user-not-found';

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
  outcome?: OffboardingOutcome;
}

export const offboardingStatusQuery = defineQuery<OffboardingStatus>('status');

/** HR reversal or rehire. Before deactivation nothing changes; after it the account is reactivated.
 *  Refused once the account is deleted (or deletion is under way). */
export const cancelOffboardingUpdate = defineUpdate<OffboardingOutcome, [{ reason?: string }]>('cancel');

/** Bring the deletion forward to now. Refused while a legal hold is in place. */
export const deleteNowUpdate = defineUpdate<OffboardingStatus, []>('deleteNow');

/** Pause the deletion until released, however long that takes. */
export const legalHoldUpdate = defineUpdate<OffboardingStatus, [{ reason: string }]>('legalHold');
export const releaseLegalHoldUpdate = defineUpdate<OffboardingStatus, []>('releaseLegalHold');

/** A new retention: days after deactivation, or an explicit moment. */
export const changeRetentionUpdate = defineUpdate<OffboardingStatus, [RetentionChange]>('changeRetention');
