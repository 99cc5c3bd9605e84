/**
 * The compare of the support steps' compare-and-act, as pure decisions: an activity reads the account
 * (one request), the workflow decides with these, and the next activity acts only when they say so
 * (one request). The activities of runs started before the split decide with the same functions, so
 * both paths give the same answers. No I/O, no Node built-ins: workflows import them.
 */
import { atLeast, lessThan } from '../staffbase/filters';
import type { UserPatch } from '../staffbase/schemas';
import type { CleanupInput } from './support-inputs';
import type { MoverRequest, SupportUserStatus } from './support-requests';

// --- mover -------------------------------------------------------------------------------------------

/** What a mover compares against: the user's record as read right before the change. */
export interface MoverCurrent {
  firstName?: string;
  lastName?: string;
  locale?: string;
  profile: Record<string, unknown>;
  groupIDs: string[];
}

export interface MoverChange {
  /** The PUT body: only the fields that differ from the current record. */
  patch: UserPatch;
  changedFields: string[];
  groupsToAdd: string[];
}

/**
 * Compare before write: the fields of the request that differ from the current record, and the
 * groups the user is not yet in. An empty plan means the change is already in place.
 *
 * [choice] Staffbase does not document whether a PUT's `profile` replaces or merges the profile
 * object, so a profile change sends the whole merged profile: correct under either behaviour. Runs
 * since `mover-changed-fields-only` plan with {@link planMoverChangedFields} instead.
 */
export function planMoverChange(current: MoverCurrent, request: MoverRequest): MoverChange {
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
 * As {@link planMoverChange}, but `patch.profile` holds only the changed profile fields, with the
 * profile as read beside it (`profileAsRead`): the client's wire format sends each changed system
 * field where the tenant keeps it and completes `profile` from the read only under a replacing PUT
 * (STAFFBASE_PROFILE_UPDATE), so an unchanged system field is never sent back.
 */
export function planMoverChangedFields(current: MoverCurrent, request: MoverRequest): MoverChange {
  const plan = planMoverChange(current, request);
  const profileChanges = Object.entries(request.profile ?? {}).filter(
    ([field, value]) => current.profile[field] !== value,
  );
  if (profileChanges.length === 0) return plan;
  const patch: UserPatch = {
    ...plan.patch,
    profile: Object.fromEntries(profileChanges),
    profileAsRead: { ...current.profile },
  };
  return { ...plan, patch };
}

// --- recovery code -------------------------------------------------------------------------------------

export type RecoveryRefusal = 'not-activated' | 'no-email' | 'sso-user' | 'refused-by-staffbase';

export interface RecoveryRefused {
  refusal: RecoveryRefusal;
  reason: string;
}

/** [choice] The creation type that marks an SSO user (`staffbase.creationType eq "sso"`). */
export const SSO_CREATION_TYPE = 'sso';

export const ssoUserRefusal: RecoveryRefused = {
  refusal: 'sso-user',
  reason: 'The user signs in with SSO: a recovery code would not help.',
};

/**
 * Why a recovery code would not help this user, as far as the record tells: only activated users with
 * an email address who do not sign in with SSO get one. `undefined` when the record allows it; when
 * the record does not show `creationType`, the caller asks the documented filter about SSO.
 */
export function recoveryRefusalOf(user: {
  status: SupportUserStatus;
  emails: readonly { value: string }[];
  creationType?: string;
}): RecoveryRefused | undefined {
  if (user.status !== 'activated') {
    return {
      refusal: 'not-activated',
      reason:
        user.status === 'pending'
          ? 'The user has not accepted the invitation yet (pending): there is no password to recover.'
          : 'The user is deactivated.',
    };
  }
  if (!user.emails.some((email) => email.value.trim() !== '')) {
    return { refusal: 'no-email', reason: 'The user has no email address to send a recovery code to.' };
  }
  if (user.creationType?.toLowerCase() === SSO_CREATION_TYPE) return ssoUserRefusal;
  return undefined;
}

// --- clean-ups -----------------------------------------------------------------------------------------

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

/** What a clean-up's read shows of an account: its id, status and the dates the criteria compare. */
export interface CleanupCandidate {
  staffbaseUserId: string;
  status: string;
  created?: string;
  deactivated?: string;
  /** The person the account belongs to; absent when it has none (reads before holds were checked omit it). */
  externalID?: string;
}

/**
 * What one deletion requires: the clean-up's criteria and, once the person's open runs were checked
 * (lifecycle/cleanup-holds.ts), that the account still belongs to the person checked (`null`: an
 * account without externalID). An account that changed hands since is not deleted on that check.
 */
export interface CleanupPrecondition extends CleanupCriteria {
  checkedExternalID?: string | null;
}

const millisecondsPerDay = 24 * 60 * 60 * 1000;

/**
 * The clean-up's filter and the criteria its users must still meet when deleted. "Older than N days"
 * counts from `nowMs`, the workflow's time at its first run: deterministic on replay, and fixed for
 * the whole chain.
 */
export function cleanupSelectionOf(
  input: CleanupInput,
  nowMs: number,
): { filter: string; criteria: CleanupCriteria } {
  if (input.kind === 'pending-accounts') {
    const cutoff = new Date(nowMs - (input.olderThanDays ?? 0) * millisecondsPerDay).toISOString();
    return { filter: lessThan('created', cutoff), criteria: { status: 'pending', createdBefore: cutoff } };
  }
  const from = input.deactivatedFrom ?? '';
  const before = input.deactivatedBefore ?? '';
  return {
    filter: `${atLeast('deactivated', from)} and ${lessThan('deactivated', before)}`,
    criteria: { status: 'deactivated', deactivatedFrom: from, deactivatedBefore: before },
  };
}

/** `readAt`: as in AccountRead (lifecycle/account-guards.ts), the moment the DELETE checks the age of. */
export type CleanupCandidateRead =
  { result: 'found'; account: CleanupCandidate; readAt?: number } | { result: 'gone' };

export type CleanupVerdict = 'delete' | 'already-gone' | 'no-longer-matching';

const instantMs = (value: string | null | undefined): number | undefined => {
  if (value === undefined || value === null) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
};

/** Whether the account as read now still meets the clean-up's criteria; unknown dates never match. */
export function stillMatchesCleanup(
  account: { status: string; created?: string | null; deactivated?: string | null },
  criteria: CleanupCriteria,
): boolean {
  if (account.status !== criteria.status) return false;
  if (criteria.createdBefore !== undefined) {
    const created = instantMs(account.created);
    const before = instantMs(criteria.createdBefore);
    if (created === undefined || before === undefined || created >= before) return false;
  }
  if (criteria.deactivatedFrom !== undefined || criteria.deactivatedBefore !== undefined) {
    const deactivated = instantMs(account.deactivated);
    if (deactivated === undefined) return false;
    const from = instantMs(criteria.deactivatedFrom);
    const before = instantMs(criteria.deactivatedBefore);
    if (from !== undefined && deactivated < from) return false;
    if (before !== undefined && deactivated >= before) return false;
  }
  return true;
}

/**
 * Delete only the listed account, still there and still meeting the criteria (a pending user who
 * just activated, a deactivated user who was just reactivated, stays).
 */
export function cleanupVerdict(
  read: CleanupCandidateRead,
  target: CleanupPrecondition & { staffbaseUserId: string },
): CleanupVerdict {
  if (read.result === 'gone' || read.account.staffbaseUserId !== target.staffbaseUserId) {
    return 'already-gone';
  }
  if (
    target.checkedExternalID !== undefined &&
    (read.account.externalID ?? null) !== target.checkedExternalID
  ) {
    return 'no-longer-matching';
  }
  return stillMatchesCleanup(read.account, target) ? 'delete' : 'no-longer-matching';
}
