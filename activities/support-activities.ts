import { asyncLocalStorage, log } from '@temporalio/activity';
import type { SupportUserStatus } from '../lifecycle/support-requests';
import {
  type CleanupCandidateRead,
  type CleanupPrecondition,
  SSO_CREATION_TYPE,
  cleanupVerdict,
} from '../lifecycle/support-guards';
import { withRetryDecisions } from './activity-failures';
import { whileHeartbeatingBulk } from './bulk-heartbeat';
import { type CheckedDeletion, type DeletionCheck, deleteWithFreshCheck } from './fresh-read-check';
import type { StaffbaseClient } from '../staffbase/client';
import { StaffbaseNotFoundError, StaffbaseValidationError, loggableMessage } from '../staffbase/errors';
import { and, equals } from '../staffbase/filters';
import { type UserPatch, isManagedUser } from '../staffbase/schemas';
import { orNotFound } from './staffbase-not-found';
import { type UserSummary, type UserView, toSummary, toUserView } from './support-views';

export interface MatchingUsersQuery {
  filter?: string;
  statuses: SupportUserStatus[];
  offset: number;
  limit: number;
  /** `ids` for paging through a population (small history), `summary` for samples, `view` for look-ups. */
  detail: 'ids' | 'summary' | 'view';
  /** With `ids`: also each user's externalID (a clean-up checks the person's open runs by it). */
  withExternalIDs?: boolean;
}

/** A listed user in a status this project does not manage (`contact`, …): skipped, only reported. */
export interface UnmanagedUserReport {
  id: string;
  externalID?: string;
  /** The status as Staffbase sent it. */
  status: string;
}

export type MatchingUsersPage =
  | {
      result: 'page';
      total: number;
      /** Managed users only: bulk runs act on these and never on an unmanaged one. */
      ids: string[];
      /** With `withExternalIDs`: Staffbase id → externalID, for the users that have one. */
      externalIDs?: Record<string, string>;
      summaries?: UserSummary[];
      views?: UserView[];
      /** Users on this page that were skipped because this project does not manage them. */
      unmanaged?: UnmanagedUserReport[];
    }
  | { result: 'invalid-filter'; reason: string };

/** A refused write: Staffbase answered 400 (its message), e.g. an unknown user id in a group add. */
export interface RefusedWrite {
  result: 'refused';
  message: string;
  /** Staffbase's own words, where `message` leaves them out (it may end up in a logged failure). */
  staffbaseMessage?: string;
}

export type RecoveryCodeSent = { result: 'sent' } | { result: 'user-not-found' } | RefusedWrite;

/** Staffbase id → externalID of the users that have one. */
function externalIDsOf(users: readonly { id: string; externalID?: string | null }[]): Record<string, string> {
  const pairs: [string, string][] = [];
  for (const user of users) {
    if (typeof user.externalID === 'string' && user.externalID !== '') pairs.push([user.id, user.externalID]);
  }
  return Object.fromEntries(pairs);
}

/**
 * Activities of the support operations: one Staffbase request per attempt (issue #13), so the
 * task-queue rate limit on `staffbase-api` is the Staffbase request rate and a 429 retries one
 * request. The workflows compose them with a compare-and-act (lifecycle/support-guards.ts): read,
 * decide, act. Each is safe to retry: a PUT of the same fields or a group add again changes nothing
 * more, 404 on delete or logout means done. Those of bulk runs heartbeat (`whileHeartbeatingBulk`).
 */
export function createSupportActivities(staffbase: StaffbaseClient) {
  /** `GET /users/{id}` as a clean-up compares it, with the moment taken before the request. */
  const readCandidateNow = (staffbaseUserId: string): Promise<CleanupCandidateRead> =>
    orNotFound<CleanupCandidateRead, CleanupCandidateRead>(
      async () => {
        const readAt = Date.now();
        const user = toUserView(await staffbase.getUser(staffbaseUserId));
        return {
          result: 'found',
          readAt,
          account: {
            staffbaseUserId: user.id,
            status: user.status,
            ...(user.created !== undefined && { created: user.created }),
            ...(user.deactivated !== undefined && { deactivated: user.deactivated }),
            ...(user.externalID !== undefined && { externalID: user.externalID }),
          },
        };
      },
      { result: 'gone' },
    );

  return {
    /** The user's current record (no secrets) by externalID, in any status; undefined when unknown. */
    async lookUpUser(externalID: string): Promise<UserView | undefined> {
      return withRetryDecisions(async () => {
        const user = await staffbase.findUserByExternalId(externalID);
        return user ? toUserView(user) : undefined;
      });
    },

    /** `PUT /users/{id}` with only the fields a mover changes; a user deleted meanwhile is not found. */
    async updateUserFields(target: {
      staffbaseUserId: string;
      patch: UserPatch;
    }): Promise<'updated' | 'user-not-found'> {
      return withRetryDecisions(() =>
        orNotFound(async () => {
          await staffbase.updateUser(target.staffbaseUserId, target.patch);
          return 'updated' as const;
        }, 'user-not-found' as const),
      );
    },

    /**
     * `POST /groups/{id}/users` for one user. A 400 is handed back: Staffbase refuses unknown user
     * ids that way, so the workflow reads the account to tell a user deleted meanwhile from a refusal.
     */
    async addUserToGroup(target: {
      groupId: string;
      staffbaseUserId: string;
    }): Promise<{ result: 'added' } | RefusedWrite> {
      return withRetryDecisions(async () => {
        try {
          await staffbase.addUsersToGroup(target.groupId, [target.staffbaseUserId]);
          return { result: 'added' as const };
        } catch (error) {
          if (error instanceof StaffbaseValidationError) {
            // The workflow fails the run with this message: codes only (lifecycle/staffbase-words.ts).
            return {
              result: 'refused' as const,
              message: loggableMessage(error),
              ...(error.staffbase?.message !== undefined && { staffbaseMessage: error.staffbase.message }),
            };
          }
          throw error;
        }
      });
    },

    /**
     * Whether this activated user signs in with SSO, by the documented filter
     * (`staffbase.creationType eq "sso"`): for records that do not show `creationType`. One list call.
     */
    async isSsoUser(target: { externalID: string; staffbaseUserId: string }): Promise<boolean> {
      return withRetryDecisions(async () => {
        const page = await staffbase.listUsersPage({
          filter: and(
            equals('externalId', target.externalID),
            equals('staffbase.creationType', SSO_CREATION_TYPE),
          ),
          statuses: ['activated'],
          offset: 0,
          limit: 1,
        });
        return page.users.some((match) => match.id === target.staffbaseUserId);
      });
    },

    /**
     * `POST /users/{id}/recovery`: Staffbase emails the user a recovery code; its refusal (400) is an
     * answer. At-least-once: a crash between Staffbase's answer and the activity's completion sends a
     * second code.
     */
    async sendRecoveryCodeTo(staffbaseUserId: string): Promise<RecoveryCodeSent> {
      return withRetryDecisions(async (): Promise<RecoveryCodeSent> => {
        try {
          await staffbase.sendRecoveryCode(staffbaseUserId);
          return { result: 'sent' };
        } catch (error) {
          if (error instanceof StaffbaseNotFoundError) return { result: 'user-not-found' };
          if (error instanceof StaffbaseValidationError) return { result: 'refused', message: error.message };
          throw error;
        }
      });
    },

    /** One page of the users matching a filter (plus explicit statuses). A malformed filter is an answer. */
    async listMatchingUsers(query: MatchingUsersQuery): Promise<MatchingUsersPage> {
      return withRetryDecisions(() =>
        whileHeartbeatingBulk(async (): Promise<MatchingUsersPage> => {
          let page;
          try {
            page = await staffbase.listUsersPage({
              filter: query.filter,
              statuses: query.statuses,
              offset: query.offset,
              limit: query.limit,
            });
          } catch (error) {
            if (error instanceof StaffbaseValidationError) {
              return { result: 'invalid-filter', reason: error.message };
            }
            throw error;
          }
          const users = page.users.filter(isManagedUser);
          const unmanaged = page.users
            .filter((user) => !isManagedUser(user))
            .map((user) => ({
              id: user.id,
              externalID: user.externalID ?? undefined,
              status: user.reportedStatus,
            }));
          if (unmanaged.length > 0 && asyncLocalStorage.getStore()) {
            log.warn('Skipped listed users this project does not manage', { unmanaged });
          }
          return {
            result: 'page',
            total: page.total,
            ids: users.map((user) => user.id),
            ...(query.withExternalIDs && { externalIDs: externalIDsOf(users) }),
            summaries: query.detail === 'summary' ? users.map(toSummary) : undefined,
            views: query.detail === 'view' ? users.map(toUserView) : undefined,
            // Only present when there were any, so a page of managed users reads as before.
            ...(unmanaged.length > 0 ? { unmanaged } : {}),
          };
        }),
      );
    },

    /** `DELETE /users/{id}/sessions` for one user of a population; a user deleted meanwhile is "gone". */
    async logoutUserById(staffbaseUserId: string): Promise<'logged-out' | 'user-gone'> {
      return withRetryDecisions(() =>
        whileHeartbeatingBulk(() =>
          orNotFound(async () => {
            await staffbase.logoutEverywhere(staffbaseUserId);
            return 'logged-out' as const;
          }, 'user-gone' as const),
        ),
      );
    },

    /** `GET /users/{id}` for a clean-up: the status and dates its criteria compare, right before the DELETE. */
    async readCleanupCandidate(staffbaseUserId: string): Promise<CleanupCandidateRead> {
      return withRetryDecisions(() => whileHeartbeatingBulk(() => readCandidateNow(staffbaseUserId)));
    },

    /**
     * `DELETE /users/{id}` of a clean-up: permanent; a 404 means already gone, which is the goal. Sent
     * only on a fresh read that still meets the criteria (activities/fresh-read-check.ts).
     */
    async deleteCleanupAccount(
      staffbaseUserId: string,
      check?: DeletionCheck<CleanupPrecondition>,
    ): Promise<CheckedDeletion> {
      return withRetryDecisions(() =>
        whileHeartbeatingBulk(() =>
          deleteWithFreshCheck(
            'The clean-up deletion',
            check,
            async (criteria) => {
              const verdict = cleanupVerdict(await readCandidateNow(staffbaseUserId), {
                staffbaseUserId,
                ...criteria,
              });
              return verdict === 'no-longer-matching' ? 'changed' : verdict;
            },
            () => staffbase.deleteUser(staffbaseUserId),
          ),
        ),
      );
    },
  };
}

export type SupportActivities = ReturnType<typeof createSupportActivities>;
