import { changedAfter } from '../../lifecycle/account-guards';
import type {
  GuardedDeactivation,
  GuardedDeletion,
  GuardedLogout,
  ResolvedAccount,
} from '../account-outcomes';
import { deactivationMarkOf } from '../account-step-activities';
import { withRetryDecisions } from '../activity-failures';
import { isSameExternalId } from '../../staffbase/api-choices';
import type { StaffbaseClient } from '../../staffbase/client';
import { StaffbaseNotFoundError } from '../../staffbase/errors';
import type { StaffbaseUser } from '../../staffbase/schemas';
import { findUserOrUndefined } from './account-activities';

/**
 * RETIRED: the compare-and-act activities of the offboardings recorded before `one-request-steps`
 * (past `exact-account` / `guarded-deletion`): each re-reads the account and acts in the same
 * attempt, only while its precondition still holds (the same Staffbase id, the same externalID, for
 * the deletion: still the deactivation this offboarding made); otherwise it answers a named outcome
 * (activities/account-outcomes.ts). New runs compose the same decisions from one-request activities
 * (workflows/account-steps.ts, lifecycle/account-guards.ts).
 */

/** The account one run works on: resolved once by exact externalID, then addressed by its id. */
export interface AccountRef {
  staffbaseUserId: string;
  externalID: string;
}

export interface DeletionPrecondition extends AccountRef {
  /** The account's deactivation mark as Staffbase reported it right after this run deactivated it. */
  deactivationMark?: string;
  /**
   * For runs deactivated before marks were recorded: the latest moment the deactivation can have
   * happened (workflow time after the deactivation, plus a clock-skew allowance).
   */
  deactivatedNotAfter?: string;
}

/** The same account the run resolved: same id, and still carrying exactly the run's externalID. */
function isSameAccount(user: StaffbaseUser, account: AccountRef): boolean {
  return user.id === account.staffbaseUserId && isSameExternalId(user.externalID, account.externalID);
}

export function createGuardedAccountActivities(staffbase: StaffbaseClient) {
  const read = (staffbaseUserId: string) => findUserOrUndefined(staffbase, staffbaseUserId);

  return {
    /** The account with exactly this externalID (any status), found by the list filter, never by id. */
    async resolveAccount(externalID: string): Promise<ResolvedAccount> {
      return withRetryDecisions(async () => {
        const user = await staffbase.findUserByExternalId(externalID);
        if (!user) return { result: 'user-not-found' };
        return { result: 'found', staffbaseUserId: user.id, status: user.status };
      });
    },

    /** Ends every session of the resolved account, only while it is still that person's account. */
    async logoutAccount(account: AccountRef): Promise<GuardedLogout> {
      return withRetryDecisions(async () => {
        const user = await read(account.staffbaseUserId);
        if (!user) return 'user-not-found';
        if (!isSameAccount(user, account)) return 'account-replaced';
        try {
          await staffbase.logoutEverywhere(account.staffbaseUserId);
        } catch (error) {
          if (error instanceof StaffbaseNotFoundError) return 'user-not-found';
          throw error;
        }
        return 'logged-out';
      });
    },

    /**
     * Deactivates the resolved account and answers its deactivation mark, which the deletion later
     * compares against. An account already deactivated keeps its mark (a retry after a lost answer).
     */
    async deactivateAccount(account: AccountRef): Promise<GuardedDeactivation> {
      return withRetryDecisions(async () => {
        const user = await read(account.staffbaseUserId);
        if (!user) return { result: 'user-not-found' };
        if (!isSameAccount(user, account)) return { result: 'account-replaced' };
        if (user.status === 'deactivated') {
          return { result: 'already-deactivated', deactivationMark: deactivationMarkOf(user) };
        }
        const deactivated = await staffbase.deactivateUser(account.staffbaseUserId);
        return { result: 'deactivated', deactivationMark: deactivationMarkOf(deactivated) };
      });
    },

    /**
     * The irreversible step. Deletes only the account this offboarding deactivated: same id, same
     * externalID, still `deactivated`, and not deactivated again since (its mark is not later than
     * the one recorded). An activated account is never deleted here.
     */
    async deleteDeactivatedAccount(precondition: DeletionPrecondition): Promise<GuardedDeletion> {
      return withRetryDecisions(async () => {
        const user = await read(precondition.staffbaseUserId);
        if (!user) return { result: 'already-gone' };
        if (!isSameAccount(user, precondition)) return { result: 'kept', reason: 'account-replaced' };
        if (user.status !== 'deactivated') return { result: 'kept', reason: 'reactivated-since' };
        const mark = deactivationMarkOf(user);
        const knownAt = precondition.deactivationMark ?? precondition.deactivatedNotAfter;
        if (changedAfter(mark, knownAt)) return { result: 'kept', reason: 'reactivated-since' };
        return { result: await staffbase.deleteUser(precondition.staffbaseUserId) };
      });
    },
  };
}

export type RetiredGuardedAccountActivities = ReturnType<typeof createGuardedAccountActivities>;
