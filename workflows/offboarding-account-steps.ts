/**
 * The offboarding's Staffbase steps in their three generations, as runs recorded them:
 * - before `exact-account`: log out by externalID, deactivate and delete by id (retired activities);
 * - past `exact-account` / `guarded-deletion`: compare-and-act, each in one retired activity;
 * - past `one-request-steps`: the same decisions, read then act, one request per activity
 *   (workflows/account-steps.ts).
 * The workflow (workflows/offboarding.ts) decides by `patched()` where it always did; these
 * functions only pick the activity, returning its promise as it is (no await of their own), so the
 * commands and their order are the ones the workflow had when the choices were written inline.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { RetiredActivities } from '../activities';
import type { AccountRead, AccountTarget, DeletionGuard } from '../lifecycle/account-guards';
import { taskQueues } from '../lifecycle/task-queues';
import {
  deactivateOwnAccount,
  deleteDeactivatedOwnAccount,
  logOutOwnAccount,
  reactivateAccount,
  resolveExactAccount,
} from './account-steps';
import { staffbaseActivityOptions } from './activity-options';

/** The retired activities (activities/retired/) that runs recorded before `one-request-steps` schedule. */
const retired = proxyActivities<RetiredActivities>({
  ...staffbaseActivityOptions,
  taskQueue: taskQueues.staffbaseApi,
});

/**
 * Runs deactivated before `guarded-deletion` recorded no Staffbase deactivation mark; their deletion
 * compares against the workflow's time of the deactivation plus this allowance for clock skew.
 */
const legacyDeactivationSkewMs = 5 * 60_000;

/**
 * The compare-and-act steps of runs past `exact-account`: `oneRequest` (patch `one-request-steps`)
 * picks the one-request steps, in the urgent lane (the deletion in the standard lane), over the
 * retired guarded activities.
 */
export function guardedAccountSteps(oneRequest: boolean, confirmNotFound?: () => boolean) {
  return {
    resolve: (externalID: string) =>
      oneRequest ? resolveExactAccount(externalID, 'urgent') : retired.resolveAccount(externalID),
    /** `recentRead` (bulk offboardings): the batch's read, while recent enough to stand in for a read. */
    logOut: (account: AccountTarget, recentRead?: AccountRead) =>
      oneRequest ? logOutOwnAccount(account, 'urgent', recentRead) : retired.logoutAccount(account),
    deactivate: (account: AccountTarget, recentRead?: AccountRead) =>
      oneRequest ? deactivateOwnAccount(account, 'urgent', recentRead) : retired.deactivateAccount(account),
    delete: (guard: DeletionGuard) =>
      oneRequest
        ? deleteDeactivatedOwnAccount(guard, 'standard', confirmNotFound)
        : retired.deleteDeactivatedAccount(guard),
  };
}

/** A cancelled offboarding's reactivation: one request each past `one-request-steps`. */
export function reactivateStep(oneRequest: boolean, staffbaseUserId: string) {
  return oneRequest ? reactivateAccount(staffbaseUserId, 'urgent') : retired.reactivateUser(staffbaseUserId);
}

/** The steps of runs recorded before `exact-account` (log-out, deactivate) and `guarded-deletion`. */
export const unguardedAccountSteps = {
  logOut: (externalID: string) => retired.logoutEverywhere(externalID),
  deactivate: (staffbaseUserId: string) => retired.deactivateUser(staffbaseUserId),
  delete: (staffbaseUserId: string) => retired.deleteUser(staffbaseUserId),
};

/**
 * What the deletion compares against: the account this run deactivated, with Staffbase's mark of the
 * deactivation, or for runs deactivated before marks were recorded, the workflow's time of it.
 */
export function deletionGuardOf(
  account: AccountTarget,
  deactivationMark: string | undefined,
  deactivatedAtMs: number,
): DeletionGuard {
  return {
    ...account,
    deactivationMark,
    deactivatedNotAfter:
      deactivationMark === undefined
        ? new Date(deactivatedAtMs + legacyDeactivationSkewMs).toISOString()
        : undefined,
  };
}
