/**
 * Compare-and-act preconditions as pure decisions, for workflows that read an account with one
 * activity and act on it with the next (one Staffbase request per activity attempt). The workflow
 * calls these on the snapshot read right before the act; they say whether the act may go ahead or
 * which named outcome the step ends with instead. Same rules as activities/retired/guarded-account-activities.ts.
 */
import { isSameExternalId } from '../staffbase/api-choices';

export type AccountStatus = 'pending' | 'activated' | 'deactivated';

/** What a read shows of an account: no names, no emails, no invitation code enter the history. */
export interface AccountSnapshot {
  staffbaseUserId: string;
  externalID: string | null;
  status: AccountStatus;
  /** Staffbase's mark of the last deactivation (`deactivated`, else `updated`); see deactivationMarkOf. */
  deactivationMark?: string;
}

/**
 * A read's answer: the account, or `gone` (404, or a status Staffbase reports for deleted users).
 * `readAt` (epoch ms, taken just before the GET was sent) is what an irreversible act checks the age
 * of (lifecycle/precondition-freshness.ts); reads recorded before it was carried lack it.
 */
export type AccountRead = { result: 'found'; account: AccountSnapshot; readAt?: number } | { result: 'gone' };

/** The account one run works on: resolved once by exact externalID, then addressed by its id. */
export interface AccountTarget {
  staffbaseUserId: string;
  externalID: string;
}

/** The same account the run resolved: same id, and still carrying exactly the run's externalID. */
export function isSameAccount(account: AccountSnapshot, target: AccountTarget): boolean {
  return (
    account.staffbaseUserId === target.staffbaseUserId &&
    isSameExternalId(account.externalID, target.externalID)
  );
}

/** True when the account was deactivated again (or changed) after the moment the run knows of. */
export function changedAfter(mark: string | undefined, knownAt: string | undefined): boolean {
  if (mark === undefined || knownAt === undefined) return false;
  const markMs = Date.parse(mark);
  const knownMs = Date.parse(knownAt);
  return Number.isFinite(markMs) && Number.isFinite(knownMs) && markMs > knownMs;
}

/** Logout and deactivation act only on the run's own account. */
export function guardOwnAccount(
  read: AccountRead,
  target: AccountTarget,
): { act: AccountSnapshot } | { outcome: 'user-not-found' | 'account-replaced' } {
  if (read.result === 'gone') return { outcome: 'user-not-found' };
  if (!isSameAccount(read.account, target)) return { outcome: 'account-replaced' };
  return { act: read.account };
}

export interface DeletionGuard extends AccountTarget {
  /** The deactivation mark recorded right after this run deactivated the account. */
  deactivationMark?: string;
  /** Runs deactivated before marks were recorded: the latest moment the deactivation can have been. */
  deactivatedNotAfter?: string;
}

export type DeletionVerdict =
  | { result: 'delete' }
  | { result: 'already-gone' }
  | { result: 'kept'; reason: 'reactivated-since' | 'account-replaced' };

/**
 * The irreversible step's precondition: same id, same externalID, still `deactivated`, and not
 * deactivated again since the mark recorded. An activated account is never deleted.
 */
export function deletionVerdict(read: AccountRead, guard: DeletionGuard): DeletionVerdict {
  if (read.result === 'gone') return { result: 'already-gone' };
  const account = read.account;
  if (!isSameAccount(account, guard)) return { result: 'kept', reason: 'account-replaced' };
  if (account.status !== 'deactivated') return { result: 'kept', reason: 'reactivated-since' };
  const knownAt = guard.deactivationMark ?? guard.deactivatedNotAfter;
  if (changedAfter(account.deactivationMark, knownAt)) return { result: 'kept', reason: 'reactivated-since' };
  return { result: 'delete' };
}

/** A pending account is deleted only while it is still that very account and still pending. */
export function pendingDeletionVerdict(
  read: AccountRead,
  staffbaseUserId: string,
): 'delete' | 'already-gone' | 'not-pending' {
  if (read.result === 'gone' || read.account.staffbaseUserId !== staffbaseUserId) return 'already-gone';
  return read.account.status === 'pending' ? 'delete' : 'not-pending';
}

/**
 * What a deletion requires of the account, as data: the DELETE activity checks it again itself, on a
 * read of its own, when the read the workflow decided on has grown old (lifecycle/precondition-freshness.ts).
 */
export type AccountDeletionPrecondition =
  { kind: 'still-pending' } | { kind: 'own-deactivated'; guard: DeletionGuard };

/** The precondition on a read: delete, already gone, or changed (the workflow reads again and says how). */
export function deletionCheck(
  read: AccountRead,
  staffbaseUserId: string,
  precondition: AccountDeletionPrecondition,
): 'delete' | 'already-gone' | 'changed' {
  const verdict =
    precondition.kind === 'still-pending'
      ? pendingDeletionVerdict(read, staffbaseUserId)
      : deletionVerdict(read, precondition.guard).result;
  return verdict === 'delete' || verdict === 'already-gone' ? verdict : 'changed';
}
