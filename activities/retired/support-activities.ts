import type { MoverRequest, SupportUserStatus } from '../../lifecycle/support-requests';
import {
  type CleanupCriteria,
  type RecoveryRefusal,
  planMoverChange,
  recoveryRefusalOf,
  ssoUserRefusal,
  stillMatchesCleanup,
  SSO_CREATION_TYPE,
} from '../../lifecycle/support-guards';
import { withRetryDecisions } from '../activity-failures';
import { whileHeartbeatingBulk } from '../bulk-heartbeat';
import type { StaffbaseClient } from '../../staffbase/client';
import { StaffbaseNotFoundError, StaffbaseValidationError } from '../../staffbase/errors';
import { and, equals } from '../../staffbase/filters';
import { toUserView } from '../support-views';
import { findUserOrUndefined } from './account-activities';

/**
 * RETIRED: the support activities that make several Staffbase calls in one attempt, from before issue #13.
 * Runs started before the `one-request-steps` (mover, recovery code) and `cleanup-one-request-steps`
 * (clean-up) patches still schedule them, so they stay registered until no such run is open; new
 * runs compose the one-request activities of activities/support-activities.ts instead.
 */

export type MoverApplied =
  | { result: 'user-not-found' }
  | {
      result: 'changed' | 'unchanged';
      staffbaseUserId: string;
      status: SupportUserStatus;
      changedFields: string[];
      addedGroups: string[];
    };

export type RecoveryCodeResult =
  | { result: 'sent'; staffbaseUserId: string }
  | { result: 'refused'; staffbaseUserId: string; refusal: RecoveryRefusal; reason: string }
  | { result: 'user-not-found' };

export type BulkDeleteResult = 'deleted' | 'already-gone' | 'no-longer-matching';

export function createLegacySupportActivities(staffbase: StaffbaseClient) {
  const findUser = (userIdOrExternalId: string) => findUserOrUndefined(staffbase, userIdOrExternalId);

  return {
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
     * Sends a recovery code, or says why not (lifecycle/support-guards.ts `recoveryRefusalOf`; SSO
     * by the documented filter when the record does not show `creationType`); a refusal by
     * Staffbase itself (400) is reported too. At-least-once: a crash between Staffbase's answer and
     * the activity's completion sends a second code.
     */
    async sendRecoveryCode(externalID: string): Promise<RecoveryCodeResult> {
      return withRetryDecisions(async (): Promise<RecoveryCodeResult> => {
        const user = await staffbase.findUserByExternalId(externalID);
        if (!user) return { result: 'user-not-found' };
        const staffbaseUserId = user.id;
        const view = toUserView(user);
        const refused =
          recoveryRefusalOf(view) ??
          (view.creationType === undefined &&
          (
            await staffbase.listUsersPage({
              filter: and(
                equals('externalId', externalID),
                equals('staffbase.creationType', SSO_CREATION_TYPE),
              ),
              statuses: ['activated'],
              offset: 0,
              limit: 1,
            })
          ).users.some((match) => match.id === staffbaseUserId)
            ? ssoUserRefusal
            : undefined);
        if (refused) return { result: 'refused', staffbaseUserId, ...refused };
        try {
          await staffbase.sendRecoveryCode(staffbaseUserId);
        } catch (error) {
          if (error instanceof StaffbaseNotFoundError) return { result: 'user-not-found' };
          if (error instanceof StaffbaseValidationError) {
            return {
              result: 'refused',
              staffbaseUserId,
              refusal: 'refused-by-staffbase',
              reason: error.message,
            };
          }
          throw error;
        }
        return { result: 'sent', staffbaseUserId };
      });
    },

    /**
     * Deletes a user of a clean-up only while the account, read right before the DELETE, still meets
     * the clean-up's criteria. Permanent; a 404 means already gone, which is the goal.
     */
    async deleteUserInStatus(
      target: CleanupCriteria & { staffbaseUserId: string },
    ): Promise<BulkDeleteResult> {
      return withRetryDecisions(() =>
        whileHeartbeatingBulk(async () => {
          const user = await findUser(target.staffbaseUserId);
          if (!user || user.id !== target.staffbaseUserId) return 'already-gone';
          if (!stillMatchesCleanup(user, target)) return 'no-longer-matching';
          return staffbase.deleteUser(target.staffbaseUserId);
        }),
      );
    },
  };
}

export type RetiredSupportActivities = ReturnType<typeof createLegacySupportActivities>;
