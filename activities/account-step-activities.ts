import {
  type AccountDeletionPrecondition,
  type AccountRead,
  type AccountSnapshot,
  deletionCheck,
} from '../lifecycle/account-guards';
import type { OnboardingRequest } from '../lifecycle/onboarding-request';
import { withRetryDecisions } from './activity-failures';
import { type CheckedDeletion, type DeletionCheck, deleteWithFreshCheck } from './fresh-read-check';
import type { StaffbaseClient } from '../staffbase/client';
import type { CreateUserInput } from '../staffbase';
import { StaffbaseConflictError, StaffbaseUnreadableWriteError, loggableMessage } from '../staffbase/errors';
import type { StaffbaseUser } from '../staffbase/schemas';
import { orNotFound } from './staffbase-not-found';

/**
 * One Staffbase request per activity attempt, so the server-side task-queue rate limit
 * (STAFFBASE_REQUESTS_PER_SECOND) is the tenant's request rate, and a 429 retries one request, not a
 * chain. The workflow composes them (workflows/account-steps.ts): it reads right before it acts and
 * decides with lifecycle/account-guards.ts. Every write here is idempotent at Staffbase when retried
 * after a lost answer (PUT status, DELETE with 404 = gone, DELETE sessions) — except the create,
 * whose retry meets a 409 and is settled by a look-up, never by a second user.
 * (Rare exceptions: a write answered without a readable user is read back in the same attempt; a
 * DELETE whose read has grown old reads the account again in its attempt, activities/fresh-read-check.ts.)
 */

export type CreatedAccount =
  | { result: 'created'; account: AccountSnapshot }
  /** 409, or an answer nobody could read: the workflow looks the externalID up. */
  | {
      result: 'look-up';
      why: 'conflict' | 'unreadable-answer';
      /** Codes only: the workflow may fail (and log) with it. */
      message: string;
      field?: string;
      /** Staffbase's own words (they may quote the person's values): for HR, never for a log. */
      staffbaseMessage?: string;
    };

/** `result` names the change, which is also the audit line's outcome (worker/interceptors). */
export type StatusChange<Done extends 'deactivated' | 'reactivated'> =
  { result: Done; account: AccountSnapshot } | { result: 'user-not-found' };

/**
 * [choice] When an account was last deactivated: Staffbase's `deactivated` timestamp (a filterable
 * attribute), or, where a tenant does not return it, `updated` — any change after our deactivation
 * then keeps the account, which errs on the side of not deleting.
 */
export function deactivationMarkOf(user: StaffbaseUser): string | undefined {
  return user.deactivated ?? user.updated ?? undefined;
}

/** The new hire's account as the create sends it, with Staffbase's own invitation mail. */
export function invitedUserOf(request: OnboardingRequest): CreateUserInput {
  return {
    externalID: request.externalID,
    userName: request.userName,
    firstName: request.firstName,
    lastName: request.lastName,
    email: request.email,
    sendMail: true,
    locale: request.locale,
    groupIDs: request.groupIDs,
    profile: request.profile,
  };
}

/** What the history may hold of an account: ids, status, deactivation mark; no names, no emails. */
export function snapshotOf(user: StaffbaseUser): AccountSnapshot {
  const mark = deactivationMarkOf(user);
  return {
    staffbaseUserId: user.id,
    externalID: user.externalID ?? null,
    status: user.status,
    ...(mark !== undefined && { deactivationMark: mark }),
  };
}

/** Two activities, not one with a status argument: the audit trail names deactivations by type. */
function putStatus<Done extends 'deactivated' | 'reactivated'>(
  done: Done,
  put: () => Promise<StaffbaseUser>,
): Promise<StatusChange<Done>> {
  return withRetryDecisions(() =>
    orNotFound<StatusChange<Done>, StatusChange<Done>>(
      async () => ({ result: done, account: snapshotOf(await put()) }),
      { result: 'user-not-found' },
    ),
  );
}

export function createAccountStepActivities(staffbase: StaffbaseClient) {
  /** `GET /users/{id}`, with the moment taken before the request: an act's age check covers the round trip. */
  const readNow = (staffbaseUserId: string): Promise<AccountRead> =>
    orNotFound<AccountRead, AccountRead>(
      async () => {
        const readAt = Date.now();
        return { result: 'found', account: snapshotOf(await staffbase.getUser(staffbaseUserId)), readAt };
      },
      { result: 'gone' },
    );

  return {
    /** `GET /users/{id}`: the account as it is now, or gone. */
    async readAccount(staffbaseUserId: string): Promise<AccountRead> {
      return withRetryDecisions(() => readNow(staffbaseUserId));
    },

    /** The account with exactly this externalID, any status (one list page, compared exactly). */
    async findAccountByExternalId(externalID: string): Promise<AccountRead> {
      return withRetryDecisions(async () => {
        const user = await staffbase.findUserByExternalId(externalID);
        return user ? { result: 'found', account: snapshotOf(user) } : { result: 'gone' };
      });
    },

    /**
     * `POST /users` with the invitation mail, first and alone: a new hire costs one request. A 409
     * (the person exists, a retry after a lost answer, or someone else's userName/email) and an
     * unreadable answer are handed back for a look-up; a retry never makes a second user.
     */
    async createAccount(request: OnboardingRequest): Promise<CreatedAccount> {
      return withRetryDecisions(async () => {
        try {
          const created = await staffbase.createUser(invitedUserOf(request));
          return { result: 'created', account: snapshotOf(created) };
        } catch (error) {
          if (error instanceof StaffbaseConflictError) {
            return {
              result: 'look-up',
              why: 'conflict',
              message: loggableMessage(error),
              ...(error.field !== undefined && { field: error.field }),
              ...(error.staffbase?.message !== undefined && { staffbaseMessage: error.staffbase.message }),
            };
          }
          if (error instanceof StaffbaseUnreadableWriteError) {
            return { result: 'look-up', why: 'unreadable-answer', message: loggableMessage(error) };
          }
          throw error;
        }
      });
    },

    /** `PUT /users/{id}` `{"status":"deactivated"}`: the same PUT again changes nothing more. */
    async deactivateById(staffbaseUserId: string): Promise<StatusChange<'deactivated'>> {
      return putStatus('deactivated', () => staffbase.deactivateUser(staffbaseUserId));
    },

    /** `PUT /users/{id}` `{"status":"activated"}`: the same PUT again changes nothing more. */
    async reactivateById(staffbaseUserId: string): Promise<StatusChange<'reactivated'>> {
      return putStatus('reactivated', () => staffbase.reactivateUser(staffbaseUserId));
    },

    /** `DELETE /users/{id}/sessions`: ends every session; again, it ends none. */
    async endSessions(staffbaseUserId: string): Promise<'logged-out' | 'user-not-found'> {
      return withRetryDecisions(() =>
        orNotFound(async () => {
          await staffbase.logoutEverywhere(staffbaseUserId);
          return 'logged-out' as const;
        }, 'user-not-found' as const),
      );
    },

    /**
     * `DELETE /users/{id}`: permanent; a 404 (a retry after a lost answer) means already gone. Sent
     * only on a fresh read of the account (activities/fresh-read-check.ts).
     */
    async deleteAccount(
      staffbaseUserId: string,
      check?: DeletionCheck<AccountDeletionPrecondition>,
    ): Promise<CheckedDeletion> {
      return withRetryDecisions(() =>
        deleteWithFreshCheck(
          'The deletion',
          check,
          async (precondition) =>
            deletionCheck(await readNow(staffbaseUserId), staffbaseUserId, precondition),
          () => staffbase.deleteUser(staffbaseUserId),
        ),
      );
    },
  };
}

export type AccountStepActivities = ReturnType<typeof createAccountStepActivities>;
