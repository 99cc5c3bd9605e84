/**
 * The named outcomes of the account steps (workflows/account-steps.ts composes them from the
 * one-request activities of activities/account-step-activities.ts). They are the answers the retired
 * several-call activities (activities/retired/) gave, so a workflow treats a run recorded before
 * `one-request-steps` and a run of today alike.
 */
import type { AccountStatus } from '../lifecycle/account-guards';

export interface EnsuredAccount {
  userId: string;
  status: AccountStatus;
  outcome: 'created' | 'adopted' | 'reactivated' | 'deactivated-rehire-refused';
  /**
   * Deactivated accounts of the person this step set out to reactivate that were gone when it looked
   * again (deleted by hand meanwhile): the reactivation may have reached Staffbase before the deletion
   * (an answer lost, a worker crash), so the run names them rather than forget them.
   */
  vanishedWhileReactivating?: string[];
}

export type ResolvedAccount =
  { result: 'found'; staffbaseUserId: string; status: AccountStatus } | { result: 'user-not-found' };

/** Why an account was left alone although the run meant to change it. */
export type KeptReason = 'reactivated-since' | 'account-replaced';

export type GuardedLogout = 'logged-out' | 'user-not-found' | 'account-replaced';

export type GuardedDeactivation =
  | { result: 'deactivated'; deactivationMark?: string }
  | { result: 'already-deactivated'; deactivationMark?: string }
  | { result: 'user-not-found' }
  | { result: 'account-replaced' };

export type GuardedDeletion =
  { result: 'deleted' } | { result: 'already-gone' } | { result: 'kept'; reason: KeptReason };
