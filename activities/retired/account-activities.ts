import { Context, asyncLocalStorage } from '@temporalio/activity';
import type { OnboardingPolicy, OnboardingRequest } from '../../lifecycle/onboarding-request';
import type { EnsuredAccount } from '../account-outcomes';
import { invitedUserOf } from '../account-step-activities';
import { withRetryDecisions } from '../activity-failures';
import type { StaffbaseClient } from '../../staffbase/client';
import { StaffbaseConflictError, StaffbaseNotFoundError } from '../../staffbase/errors';
import { StaffbaseUnreadableWriteError } from '../../staffbase/errors'; // issue #12: unreadable create answer
import type { StaffbaseUser, UserStatus } from '../../staffbase/schemas';
import { orNotFound } from '../staffbase-not-found';

export type LogoutResult = { result: 'logged-out'; staffbaseUserId: string } | { result: 'user-not-found' };

/**
 * RETIRED: the account activities of the runs recorded before `one-request-steps` (onboarding,
 * offboarding, the support logout), several Staffbase requests in one attempt. Old histories schedule
 * them by name, so they stay registered (activities/retired/index.ts) until no such run is open
 * (`staffbase-lifecycle patches`); new runs compose activities/account-step-activities.ts instead.
 * Each can run again after a crash or retry without a second effect: look up before create, a 409
 * leads to a re-lookup, "already done" counts as done. Nothing secret (the invitation code) is
 * returned, so nothing secret enters workflow history.
 */
/** The user by Staffbase id or externalID, or undefined on 404 (never existed, or deleted). */
export function findUserOrUndefined(
  staffbase: StaffbaseClient,
  userIdOrExternalId: string,
): Promise<StaffbaseUser | undefined> {
  return orNotFound(() => staffbase.getUser(userIdOrExternalId), undefined);
}

/** Attempts of `ensureOnboardingUser` after which a 409 nobody explains by the externalID is final. */
const conflictRecheckAttempts = 3;

/** The current attempt (1-based); outside an activity (unit tests) there is no retry: the last. */
function activityAttempt(): number {
  return asyncLocalStorage.getStore() ? Context.current().info.attempt : conflictRecheckAttempts;
}

export function createAccountActivities(staffbase: StaffbaseClient) {
  const findUser = (userIdOrExternalId: string) => findUserOrUndefined(staffbase, userIdOrExternalId);

  async function adoptOrRehire(
    existing: StaffbaseUser,
    rehirePolicy: OnboardingPolicy['rehirePolicy'],
  ): Promise<EnsuredAccount> {
    if (existing.status !== 'deactivated') {
      return { userId: existing.id, status: existing.status, outcome: 'adopted' };
    }
    if (rehirePolicy === 'stop') {
      return { userId: existing.id, status: existing.status, outcome: 'deactivated-rehire-refused' };
    }
    const reactivated = await staffbase.reactivateUser(existing.id);
    return { userId: reactivated.id, status: reactivated.status, outcome: 'reactivated' };
  }

  return {
    /** Exactly one account per externalID: adopt, rehire by policy, or create with the invitation mail. */
    async ensureOnboardingUser(input: {
      request: OnboardingRequest;
      rehirePolicy: OnboardingPolicy['rehirePolicy'];
    }): Promise<EnsuredAccount> {
      const { request, rehirePolicy } = input;
      return withRetryDecisions(async () => {
        const existing = await staffbase.findUserByExternalId(request.externalID);
        if (existing) return adoptOrRehire(existing, rehirePolicy);
        try {
          const created = await staffbase.createUser(invitedUserOf(request));
          return { userId: created.id, status: created.status, outcome: 'created' };
        } catch (error) {
          // A racing or retried create already made the account: adopt it. A conflict on someone
          // else's userName or email stays a conflict (non-retryable).
          // Issue #12: a create answered in a way nobody could read (nor read back) is settled by the
          // same re-lookup, never by sending the create again.
          const settledByLookup =
            error instanceof StaffbaseConflictError || error instanceof StaffbaseUnreadableWriteError;
          if (!settledByLookup) throw error;
          const raced = await staffbase.findUserByExternalId(request.externalID);
          if (!raced) {
            // Nobody carries the externalID: either the conflict is someone else's userName or
            // email, or the account that answered 409 was deleted in between. A few more attempts
            // tell the two apart (the create then succeeds); after them it is a conflict.
            if (error instanceof StaffbaseConflictError && activityAttempt() < conflictRecheckAttempts) {
              throw new Error(
                `${error.message}; no account carries the externalID now: trying the create again`,
              );
            }
            throw error;
          }
          return adoptOrRehire(raced, rehirePolicy);
        }
      });
    },

    async getUserStatus(staffbaseUserId: string): Promise<UserStatus | 'gone'> {
      return withRetryDecisions(async () => (await findUser(staffbaseUserId))?.status ?? 'gone');
    },

    /** Deletes an account only while it is still pending: an activated person is never deleted here. */
    async deletePendingUser(staffbaseUserId: string): Promise<'deleted' | 'already-gone' | 'not-pending'> {
      return withRetryDecisions(async () => {
        const user = await findUser(staffbaseUserId);
        // `GET /users/{id}` may resolve an externalID: only the very account asked for counts.
        if (!user || user.id !== staffbaseUserId) return 'already-gone';
        if (user.status !== 'pending') return 'not-pending';
        return staffbase.deleteUser(staffbaseUserId);
      });
    },

    /** Ends every session of the user (by Staffbase id or externalID) and names the account. */
    async logoutEverywhere(userIdOrExternalId: string): Promise<LogoutResult> {
      return withRetryDecisions(async () => {
        const user = await findUser(userIdOrExternalId);
        if (!user) return { result: 'user-not-found' };
        try {
          await staffbase.logoutEverywhere(user.id);
        } catch (error) {
          if (error instanceof StaffbaseNotFoundError) return { result: 'user-not-found' };
          throw error;
        }
        return { result: 'logged-out', staffbaseUserId: user.id };
      });
    },

    async deactivateUser(
      staffbaseUserId: string,
    ): Promise<'deactivated' | 'already-deactivated' | 'user-not-found'> {
      return withRetryDecisions(async () => {
        const user = await findUser(staffbaseUserId);
        if (!user) return 'user-not-found';
        if (user.status === 'deactivated') return 'already-deactivated';
        await staffbase.deactivateUser(staffbaseUserId);
        return 'deactivated';
      });
    },

    async reactivateUser(
      staffbaseUserId: string,
    ): Promise<'reactivated' | 'already-activated' | 'user-not-found'> {
      return withRetryDecisions(async () => {
        const user = await findUser(staffbaseUserId);
        if (!user) return 'user-not-found';
        if (user.status === 'activated') return 'already-activated';
        await staffbase.reactivateUser(staffbaseUserId);
        return 'reactivated';
      });
    },

    /** Permanent. A 404 means the account is already gone, which is the goal. */
    async deleteUser(staffbaseUserId: string): Promise<'deleted' | 'already-gone'> {
      return withRetryDecisions(() => staffbase.deleteUser(staffbaseUserId));
    },
  };
}

export type RetiredAccountActivities = ReturnType<typeof createAccountActivities>;
