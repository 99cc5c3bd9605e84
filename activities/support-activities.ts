import { asyncLocalStorage, log } from '@temporalio/activity';
import type { MoverRequest, SupportUserStatus } from '../lifecycle/support-requests';
import { withRetryDecisions } from './activity-failures';
import { whileHeartbeating as heartbeating } from './heartbeating';
import { findUserOrUndefined } from './account-activities';
import type { StaffbaseClient } from './staffbase/client';
import { StaffbaseNotFoundError, StaffbaseValidationError } from './staffbase/errors';
import { and, equals } from './staffbase/filters';
import { type StaffbaseUser, type UserPatch, isManagedUser } from './staffbase/schemas';

/**
 * A user as support sees it: an explicit allow-list of the record's fields. The invitation code
 * (`secret`) and any field this project does not know never leave the activity, so nothing secret
 * enters workflow history or a look-up answer.
 */
export interface UserView {
  id: string;
  externalID?: string;
  userName?: string;
  firstName?: string;
  lastName?: string;
  emails: { value: string; primary: boolean }[];
  status: SupportUserStatus;
  role?: string;
  groupIDs: string[];
  profile: Record<string, unknown>;
  locale?: string;
  /** Only when the API shows it (the plain JSON version usually does not). */
  creationType?: string;
  created?: string;
  updated?: string;
  activated?: string;
  deactivated?: string;
}

/** Who a bulk run would touch, for dry-run samples. */
export interface UserSummary {
  id: string;
  externalID?: string;
  userName?: string;
  firstName?: string;
  lastName?: string;
  status: SupportUserStatus;
  /** The dates a clean-up selects by, so a dry run shows why each user would be deleted. */
  created?: string;
  deactivated?: string;
}

/**
 * What a clean-up selected a user by. The deletion re-checks it against the account as read right
 * before the DELETE, not only trusting the filter Staffbase applied when listing.
 */
export interface CleanupCriteria {
  status: SupportUserStatus;
  /** pending-accounts: created before this instant. */
  createdBefore?: string;
  /** deactivated-users: deactivated within [from, before). */
  deactivatedFrom?: string;
  deactivatedBefore?: string;
}

export interface MatchingUsersQuery {
  filter?: string;
  statuses: SupportUserStatus[];
  offset: number;
  limit: number;
  /** `ids` for paging through a population (small history), `summary` for samples, `view` for look-ups. */
  detail: 'ids' | 'summary' | 'view';
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
      summaries?: UserSummary[];
      views?: UserView[];
      /** Users on this page that were skipped because this project does not manage them. */
      unmanaged?: UnmanagedUserReport[];
    }
  | { result: 'invalid-filter'; reason: string };

export interface MoverChange {
  /** The PUT body: only the fields that differ from the current record. */
  patch: UserPatch;
  changedFields: string[];
  groupsToAdd: string[];
}

export type MoverApplied =
  | { result: 'user-not-found' }
  | {
      result: 'changed' | 'unchanged';
      staffbaseUserId: string;
      status: SupportUserStatus;
      changedFields: string[];
      addedGroups: string[];
    };

export type RecoveryRefusal = 'not-activated' | 'no-email' | 'sso-user' | 'refused-by-staffbase';

export type RecoveryCodeResult =
  | { result: 'sent'; staffbaseUserId: string }
  | { result: 'refused'; staffbaseUserId: string; refusal: RecoveryRefusal; reason: string }
  | { result: 'user-not-found' };

export type BulkDeleteResult = 'deleted' | 'already-gone' | 'no-longer-matching';

/**
 * Bulk activities heartbeat this often while their one call runs; the bulk runs give them a heartbeat
 * timeout of a few times this (`workflows/support-bulk.ts`). A task lost in a worker restart (polled,
 * never run) is then retried within seconds instead of after the one-minute start-to-close timeout.
 */
export const bulkHeartbeatIntervalMs = 2_000;

const whileHeartbeating = <T>(body: () => Promise<T>) => heartbeating(bulkHeartbeatIntervalMs, body);

/** [choice] The creation type that marks an SSO user (`staffbase.creationType eq "sso"`). */
const SSO_CREATION_TYPE = 'sso';

export function toUserView(user: StaffbaseUser): UserView {
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const record = user as Record<string, unknown>;
  return {
    id: user.id,
    externalID: text(user.externalID),
    userName: text(user.userName),
    firstName: text(user.firstName),
    lastName: text(user.lastName),
    emails: user.emails.map((email) => ({ value: email.value, primary: email.primary })),
    status: user.status,
    role: text(user.role),
    groupIDs: [...(user.groupIDs ?? [])],
    profile: { ...(user.profile ?? {}) },
    locale: text(user.config?.locale),
    creationType: text(record.creationType),
    created: text(user.created),
    updated: text(user.updated),
    activated: text(user.activated),
    deactivated: text(user.deactivated),
  };
}

function toSummary(user: StaffbaseUser): UserSummary {
  const view = toUserView(user);
  return {
    id: view.id,
    externalID: view.externalID,
    userName: view.userName,
    firstName: view.firstName,
    lastName: view.lastName,
    status: view.status,
    created: view.created,
    deactivated: view.deactivated,
  };
}

const instantMs = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
};

/** Whether the account as read now still meets the clean-up's criteria; unknown dates never match. */
export function stillMatchesCleanup(user: StaffbaseUser, criteria: CleanupCriteria): boolean {
  if (user.status !== criteria.status) return false;
  if (criteria.createdBefore !== undefined) {
    const created = instantMs(user.created ?? undefined);
    const before = instantMs(criteria.createdBefore);
    if (created === undefined || before === undefined || created >= before) return false;
  }
  if (criteria.deactivatedFrom !== undefined || criteria.deactivatedBefore !== undefined) {
    const deactivated = instantMs(user.deactivated ?? undefined);
    if (deactivated === undefined) return false;
    const from = instantMs(criteria.deactivatedFrom);
    const before = instantMs(criteria.deactivatedBefore);
    if (from !== undefined && deactivated < from) return false;
    if (before !== undefined && deactivated >= before) return false;
  }
  return true;
}

/**
 * Compare before write: the fields of the request that differ from the current record, and the
 * groups the user is not yet in. An empty plan means the change is already in place.
 *
 * [choice] Staffbase does not document whether a PUT's `profile` replaces or merges the profile
 * object, so a profile change sends the whole merged profile: correct under either behaviour.
 */
export function planMoverChange(current: UserView, request: MoverRequest): MoverChange {
  const patch: UserPatch = {};
  const changedFields: string[] = [];
  if (request.firstName !== undefined && request.firstName !== current.firstName) {
    patch.firstName = request.firstName;
    changedFields.push('firstName');
  }
  if (request.lastName !== undefined && request.lastName !== current.lastName) {
    patch.lastName = request.lastName;
    changedFields.push('lastName');
  }
  if (request.locale !== undefined && request.locale !== current.locale) {
    patch.locale = request.locale;
    changedFields.push('locale');
  }
  const profileChanges = Object.entries(request.profile ?? {}).filter(
    ([field, value]) => current.profile[field] !== value,
  );
  if (profileChanges.length > 0) {
    // Values Staffbase sent are sent back unchanged, whatever their type.
    patch.profile = { ...current.profile, ...Object.fromEntries(profileChanges) } as Record<string, string>;
    changedFields.push(...profileChanges.map(([field]) => `profile.${field}`));
  }
  const groupsToAdd = [...new Set(request.addToGroups ?? [])].filter(
    (groupId) => !current.groupIDs.includes(groupId),
  );
  return { patch, changedFields, groupsToAdd };
}

/**
 * Activities of the support operations. Those used by bulk runs make exactly one Staffbase call
 * each (deletion: a re-check plus the delete), so the worker's activities-per-second limit on the
 * `staffbase-api` queue is the Staffbase request rate. Each is safe to retry: compare before write,
 * 404 on delete or logout means done.
 */
export function createSupportActivities(staffbase: StaffbaseClient) {
  const findUser = (userIdOrExternalId: string) => findUserOrUndefined(staffbase, userIdOrExternalId);

  return {
    /** The user's current record (no secrets) by externalID, in any status; undefined when unknown. */
    async lookUpUser(externalID: string): Promise<UserView | undefined> {
      return withRetryDecisions(async () => {
        const user = await staffbase.findUserByExternalId(externalID);
        return user ? toUserView(user) : undefined;
      });
    },

    /**
     * A mover's change: read, compare, write only what differs, add only missing groups. A retry
     * or a second run re-reads first, so it changes nothing more.
     */
    async applyMoverChange(request: MoverRequest): Promise<MoverApplied> {
      return withRetryDecisions(async () => {
        const user = await staffbase.findUserByExternalId(request.externalID);
        if (!user) return { result: 'user-not-found' };
        const plan = planMoverChange(toUserView(user), request);
        if (plan.changedFields.length > 0) {
          try {
            await staffbase.updateUser(user.id, plan.patch);
          } catch (error) {
            if (error instanceof StaffbaseNotFoundError) return { result: 'user-not-found' };
            throw error;
          }
        }
        for (const groupId of plan.groupsToAdd) {
          try {
            await staffbase.addUsersToGroup(groupId, [user.id]);
          } catch (error) {
            // Staffbase refuses unknown user ids with a 400: a user deleted meanwhile is "not found".
            if (error instanceof StaffbaseValidationError && !(await findUser(user.id))) {
              return { result: 'user-not-found' };
            }
            throw error;
          }
        }
        const changed = plan.changedFields.length > 0 || plan.groupsToAdd.length > 0;
        return {
          result: changed ? 'changed' : 'unchanged',
          staffbaseUserId: user.id,
          status: user.status,
          changedFields: plan.changedFields,
          addedGroups: plan.groupsToAdd,
        };
      });
    },

    /**
     * Sends a recovery code, or says why not: only activated users with an email address who do not
     * sign in with SSO (Staffbase: a code is useless for them) get one. SSO shows through the
     * record's `creationType` when the API returns it, else through a documented filter
     * (`staffbase.creationType eq "sso"`); a refusal by Staffbase itself (400) is reported too.
     * At-least-once: a crash between Staffbase's answer and the activity's completion sends a second code.
     */
    async sendRecoveryCode(externalID: string): Promise<RecoveryCodeResult> {
      return withRetryDecisions(async (): Promise<RecoveryCodeResult> => {
        const user = await staffbase.findUserByExternalId(externalID);
        if (!user) return { result: 'user-not-found' };
        const staffbaseUserId = user.id;
        const refuse = (refusal: RecoveryRefusal, reason: string): RecoveryCodeResult => ({
          result: 'refused',
          staffbaseUserId,
          refusal,
          reason,
        });
        if (user.status !== 'activated') {
          return refuse(
            'not-activated',
            user.status === 'pending'
              ? 'The user has not accepted the invitation yet (pending): there is no password to recover.'
              : 'The user is deactivated.',
          );
        }
        if (!user.emails.some((email) => email.value.trim() !== '')) {
          return refuse('no-email', 'The user has no email address to send a recovery code to.');
        }
        const creationType = (user as Record<string, unknown>).creationType;
        const ssoByFilter =
          typeof creationType === 'string'
            ? creationType.toLowerCase() === SSO_CREATION_TYPE
            : (
                await staffbase.listUsersPage({
                  filter: and(
                    equals('externalId', externalID),
                    equals('staffbase.creationType', SSO_CREATION_TYPE),
                  ),
                  statuses: ['activated'],
                  offset: 0,
                  limit: 1,
                })
              ).users.some((match) => match.id === staffbaseUserId);
        if (ssoByFilter) {
          return refuse('sso-user', 'The user signs in with SSO: a recovery code would not help.');
        }
        try {
          await staffbase.sendRecoveryCode(staffbaseUserId);
        } catch (error) {
          if (error instanceof StaffbaseNotFoundError) return { result: 'user-not-found' };
          if (error instanceof StaffbaseValidationError) {
            return refuse('refused-by-staffbase', error.message);
          }
          throw error;
        }
        return { result: 'sent', staffbaseUserId };
      });
    },

    /** One page of the users matching a filter (plus explicit statuses). A malformed filter is an answer. */
    async listMatchingUsers(query: MatchingUsersQuery): Promise<MatchingUsersPage> {
      return withRetryDecisions(() =>
        whileHeartbeating(async (): Promise<MatchingUsersPage> => {
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
        whileHeartbeating(async () => {
          try {
            await staffbase.logoutEverywhere(staffbaseUserId);
            return 'logged-out' as const;
          } catch (error) {
            if (error instanceof StaffbaseNotFoundError) return 'user-gone' as const;
            throw error;
          }
        }),
      );
    },

    /**
     * Deletes a user of a clean-up only while the account, read right before the DELETE, still meets
     * the clean-up's criteria: its status (a pending user who just activated, a deactivated user who
     * was just reactivated, stays) and its dates (created before the cut-off, deactivated within the
     * window). Permanent; a 404 means already gone, which is the goal.
     */
    async deleteUserInStatus(
      target: CleanupCriteria & { staffbaseUserId: string },
    ): Promise<BulkDeleteResult> {
      return withRetryDecisions(() =>
        whileHeartbeating(async () => {
          const user = await findUser(target.staffbaseUserId);
          if (!user || user.id !== target.staffbaseUserId) return 'already-gone';
          if (!stillMatchesCleanup(user, target)) return 'no-longer-matching';
          return staffbase.deleteUser(target.staffbaseUserId);
        }),
      );
    },
  };
}

export type SupportActivities = ReturnType<typeof createSupportActivities>;
