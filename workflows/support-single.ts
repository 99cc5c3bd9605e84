import { ApplicationFailure, log, patched, proxyActivities } from '@temporalio/workflow';
import type { RetiredActivities } from '../activities';
import type { SupportActivities } from '../activities/support-activities';
import type { UserView } from '../activities/support-views';
import type { GroupMembersLookupInput } from '../lifecycle/support-inputs';
import type {
  MoverRequest,
  RecoveryCodeRequest,
  UserLogoutRequest,
  UserLookupRequest,
} from '../lifecycle/support-requests';
import {
  planMoverChange,
  planMoverChangedFields,
  recoveryRefusalOf,
  ssoUserRefusal,
} from '../lifecycle/support-guards';
import { priorityLanes } from '../lifecycle/priority-lanes';
import { STAFFBASE_WORDS_DETAIL } from '../lifecycle/staffbase-words';
import { taskQueues } from '../lifecycle/task-queues';
import { resolveExactAccount, staffbaseIn } from './account-steps';
import { staffbaseActivityOptions } from './activity-options';
import type {
  GroupMembersResult,
  MoverOutcome,
  RecoveryCodeOutcome,
  UserLogoutOutcome,
  UserLookupResult,
} from './support-messages';

/**
 * The short support workflows: one person, or one look-up. Short as they are, they run as workflows
 * so that every Staffbase call goes through the rate-limited `staffbase-api` queue and shows in the
 * Web UI with its outcome.
 */

const staffbase = proxyActivities<
  SupportActivities & Pick<RetiredActivities, 'applyMoverChange' | 'sendRecoveryCode' | 'logoutEverywhere'>
>({
  ...staffbaseActivityOptions,
  taskQueue: taskQueues.staffbaseApi,
  // Someone is waiting for the answer (support, a recovery code): ahead of bulk work. A priority is
  // no command of its own, so runs in flight replay unchanged.
  priority: { priorityKey: priorityLanes.urgent },
});

const notFoundReason = 'No Staffbase account has this externalID (never existed or already deleted).';

/**
 * Patches: `one-request-steps` — one Staffbase request per activity, in the urgent lane (ahead of
 * bulk work): the logout looks the person up by exact externalID and ends the sessions of that
 * account; the mover reads, compares (lifecycle/support-guards.ts), then writes only what differs;
 * the recovery code reads, checks, then asks Staffbase. Runs started before keep their one
 * several-call activity (activities/retired/support-activities.ts).
 * `mover-changed-fields-only` — the mover's PUT lists only the profile fields it changes, with the
 * profile as read beside them (issue 27): the worker's wire format places system fields per
 * STAFFBASE_PROFILE_PLACEMENT and sends unchanged ones back only where a replacing PUT needs them.
 * Runs started before send the whole merged profile as their activity input.
 */
export const supportPatches = {
  oneRequestSteps: 'one-request-steps',
  moverChangedFieldsOnly: 'mover-changed-fields-only',
} as const;

/** A mover: partial profile update and group additions; re-running it changes nothing more. */
export async function mover(request: MoverRequest): Promise<MoverOutcome> {
  const applied = patched(supportPatches.oneRequestSteps)
    ? await applyMoverSteps(request)
    : await staffbase.applyMoverChange(request);
  const externalID = request.externalID;
  if (applied.result === 'user-not-found') {
    return {
      result: 'user-not-found',
      externalID,
      changedFields: [],
      addedGroups: [],
      reason: notFoundReason,
    };
  }
  log.info('Mover applied', { result: applied.result, changedFields: applied.changedFields });
  return {
    result: applied.result,
    externalID,
    staffbaseUserId: applied.staffbaseUserId,
    changedFields: applied.changedFields,
    addedGroups: applied.addedGroups,
    reason: request.reason,
  };
}

type MoverApplied =
  | { result: 'user-not-found' }
  | {
      result: 'changed' | 'unchanged';
      staffbaseUserId: string;
      changedFields: string[];
      addedGroups: string[];
    };

/** Read, compare, write what differs, add the missing groups: one request each. */
async function applyMoverSteps(request: MoverRequest): Promise<MoverApplied> {
  const user = await staffbase.lookUpUser(request.externalID);
  if (!user) return { result: 'user-not-found' };
  const staffbaseUserId = user.id;
  const plan = patched(supportPatches.moverChangedFieldsOnly)
    ? planMoverChangedFields(user, request)
    : planMoverChange(user, request);
  if (plan.changedFields.length > 0) {
    const updated = await staffbase.updateUserFields({ staffbaseUserId, patch: plan.patch });
    if (updated === 'user-not-found') return { result: 'user-not-found' };
  }
  for (const groupId of plan.groupsToAdd) {
    const added = await staffbase.addUserToGroup({ groupId, staffbaseUserId });
    if (added.result === 'refused') {
      // Staffbase refuses unknown user ids with a 400: a user deleted meanwhile is "not found".
      const read = await staffbaseIn('urgent').readAccount(staffbaseUserId);
      if (read.result === 'gone') return { result: 'user-not-found' };
      throw ApplicationFailure.create({
        message: added.message,
        type: 'StaffbaseValidationError',
        nonRetryable: true,
        // Staffbase's words for the caller (client/failure-cause.ts), never in the logged message.
        details: [{ [STAFFBASE_WORDS_DETAIL]: added.staffbaseMessage }],
      });
    }
  }
  const changed = plan.changedFields.length > 0 || plan.groupsToAdd.length > 0;
  return {
    result: changed ? 'changed' : 'unchanged',
    staffbaseUserId,
    changedFields: plan.changedFields,
    addedGroups: plan.groupsToAdd,
  };
}

/** A recovery code for a lost password, or the reason none can be sent. */
export async function recoveryCode(request: RecoveryCodeRequest): Promise<RecoveryCodeOutcome> {
  const externalID = request.externalID;
  const sent = patched(supportPatches.oneRequestSteps)
    ? await sendRecoveryCodeSteps(externalID)
    : await staffbase.sendRecoveryCode(externalID);
  if (sent.result === 'user-not-found')
    return { result: 'user-not-found', externalID, reason: notFoundReason };
  if (sent.result === 'refused') {
    return {
      result: 'refused',
      externalID,
      staffbaseUserId: sent.staffbaseUserId,
      refusal: sent.refusal,
      reason: sent.reason,
    };
  }
  return { result: 'sent', externalID, staffbaseUserId: sent.staffbaseUserId, reason: request.reason };
}

/**
 * Read, check (activated, an email, no SSO: the documented filter asks when the record does not
 * say), then ask Staffbase: one request each, the read right before the act.
 */
async function sendRecoveryCodeSteps(
  externalID: string,
): Promise<Awaited<ReturnType<RetiredActivities['sendRecoveryCode']>>> {
  const user = await staffbase.lookUpUser(externalID);
  if (!user) return { result: 'user-not-found' };
  const staffbaseUserId = user.id;
  const refused =
    recoveryRefusalOf(user) ??
    (user.creationType === undefined && (await staffbase.isSsoUser({ externalID, staffbaseUserId }))
      ? ssoUserRefusal
      : undefined);
  if (refused) return { result: 'refused', staffbaseUserId, ...refused };
  const sent = await staffbase.sendRecoveryCodeTo(staffbaseUserId);
  if (sent.result === 'refused') {
    return { result: 'refused', staffbaseUserId, refusal: 'refused-by-staffbase', reason: sent.message };
  }
  return sent.result === 'sent' ? { result: 'sent', staffbaseUserId } : sent;
}

/** Forced logout of one user from every session on every device. */
export async function userLogout(request: UserLogoutRequest): Promise<UserLogoutOutcome> {
  const externalID = request.externalID;
  const loggedOut = patched(supportPatches.oneRequestSteps)
    ? await logOutPerson(externalID)
    : await staffbase.logoutEverywhere(externalID);
  if (loggedOut.result === 'user-not-found') {
    return { result: 'user-not-found', externalID, reason: notFoundReason };
  }
  return {
    result: 'logged-out',
    externalID,
    staffbaseUserId: loggedOut.staffbaseUserId,
    reason: request.reason,
  };
}

/** A user's current record (never the invitation code) and group memberships. */
export async function userLookup(request: UserLookupRequest): Promise<UserLookupResult> {
  const user = await staffbase.lookUpUser(request.externalID);
  if (!user) return { result: 'user-not-found', externalID: request.externalID };
  return { result: 'found', externalID: request.externalID, user, groupIDs: user.groupIDs };
}

/** A group's members, page by page, at most `limit` of them. */
export async function groupMembersLookup(input: GroupMembersLookupInput): Promise<GroupMembersResult> {
  const members: UserView[] = [];
  let total = 0;
  let offset = 0;
  for (;;) {
    const limit = Math.min(input.pageSize, input.limit - members.length);
    const page = await staffbase.listMatchingUsers({
      filter: input.filter,
      statuses: input.statuses,
      offset,
      limit,
      detail: 'view',
    });
    if (page.result === 'invalid-filter') throw ApplicationFailure.nonRetryable(page.reason, 'InvalidFilter');
    total = page.total;
    const views = page.views ?? [];
    members.push(...views);
    offset += views.length;
    if (views.length === 0 || offset >= page.total || members.length >= input.limit) break;
  }
  return {
    groupId: input.groupId,
    statuses: input.statuses,
    total,
    members,
    truncated: total > members.length,
  };
}

/** Look-up, then logout: a person terminated for cause is logged out ahead of any bulk work. */
async function logOutPerson(
  externalID: string,
): Promise<{ result: 'logged-out'; staffbaseUserId: string } | { result: 'user-not-found' }> {
  const resolved = await resolveExactAccount(externalID, 'urgent');
  if (resolved.result === 'user-not-found') return resolved;
  const ended = await staffbaseIn('urgent').endSessions(resolved.staffbaseUserId);
  if (ended === 'user-not-found') return { result: 'user-not-found' };
  return { result: 'logged-out', staffbaseUserId: resolved.staffbaseUserId };
}
