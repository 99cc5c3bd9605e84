import { findUserOrUndefined } from './account-activities';
import { withRetryDecisions } from './activity-failures';
import { isSameExternalId } from '../staffbase/api-choices';
import type { StaffbaseClient } from '../staffbase/client';
import { StaffbaseNotFoundError } from '../staffbase/errors';
import type { StaffbaseUser } from '../staffbase/schemas';

/**
 * Compare-and-act activities of the offboarding: each re-reads the account right before it acts and
 * acts only while its precondition still holds (the same Staffbase id, the same externalID, for the
 * deletion: still the deactivation this offboarding made). Otherwise it acts on nothing and answers
 * a named outcome, so the workflow ends or moves on instead of changing the wrong person.
 */

/** The account one run works on: resolved once by exact externalID, then addressed by its id. */
export interface AccountRef {
  staffbaseUserId: string;
  externalID: string;
}

export type ResolvedAccount =
  | { result: 'found'; staffbaseUserId: string; status: StaffbaseUser['status'] }
  | { result: 'user-not-found' };

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

export interface DeletionPrecondition extends AccountRef {
  /** The account's deactivation mark as Staffbase reported it right after this run deactivated it. */
  deactivationMark?: string;
  /**
   * For runs deactivated before marks were recorded: the latest moment the deactivation can have
   * happened (workflow time after the deactivation, plus a clock-skew allowance).
   */
  deactivatedNotAfter?: string;
}

/**
 * [choice] When an account was last deactivated: Staffbase's `deactivated` timestamp (a filterable
 * attribute), or, where a tenant does not return it, `updated` — any change after our deactivation
 * then keeps the account, which errs on the side of not deleting.
 */
export function deactivationMarkOf(user: StaffbaseUser): string | undefined {
  return user.deactivated ?? user.updated ?? undefined;
}

/** The same account the run resolved: same id, and still carrying exactly the run's externalID. */
function isSameAccount(user: StaffbaseUser, account: AccountRef): boolean {
  return user.id === account.staffbaseUserId && isSameExternalId(user.externalID, account.externalID);
}

/** True when the account was deactivated again (or changed) after the moment the run knows of. */
function changedAfter(mark: string | undefined, knownAt: string | undefined): boolean {
  if (mark === undefined || knownAt === undefined) return false;
  const markMs = Date.parse(mark);
  const knownMs = Date.parse(knownAt);
  return Number.isFinite(markMs) && Number.isFinite(knownMs) && markMs > knownMs;
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

export type GuardedAccountActivities = ReturnType<typeof createGuardedAccountActivities>;
