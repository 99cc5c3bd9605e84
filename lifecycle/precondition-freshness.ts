/**
 * How fresh the read behind an irreversible act must be. Staffbase has no conditional DELETE, so a
 * deletion can only trust the read made right before it: a user accepting the invitation, or an
 * administrator reactivating the account, after that read is invisible to it. Without a bound, the
 * gap grows with every delay between the read and the DELETE (a retry after a 5xx, a Retry-After, a
 * worker crash), and an account read as pending or deactivated could be deleted minutes later, when
 * it is activated. With it, every DELETE attempt checks the age of its read just before it is sent;
 * on an older read the attempt reads the account again itself and deletes only while the deletion's
 * precondition still holds (activities/fresh-read-check.ts); if it no longer does, the workflow reads
 * again and decides again (workflows/fresh-precondition.ts).
 *
 * Imported by activities and workflow code alike: no Node built-ins.
 */

/**
 * Oldest read a DELETE acts on without reading again. A read and its act normally lie tens of
 * milliseconds apart (one workflow task; the act goes out a lane ahead of its read,
 * lifecycle/priority-lanes.ts); two seconds leave room for clock differences between workers, and keep
 * the window in which a change by hand can go unseen to two seconds. A busy worker costs a second
 * read, never a stalled deletion.
 */
export const MAX_PRECONDITION_AGE_MS = 2_000;

/** The failure type of an attempt refused for an old read it cannot check again: the workflow reads again. */
export const STALE_PRECONDITION_FAILURE = 'StalePrecondition';

/**
 * How far a read's stamp may lie in the future (another worker's clock a little ahead) and still count
 * as just made. Beyond it the clock that stamped it is wrong, and a read that looks "0 ms old" could be
 * any age: it counts as stale, so the DELETE reads again first.
 */
export const MAX_READ_CLOCK_AHEAD_MS = 1_000;

/**
 * How old a read taken at `readAt` (epoch ms on the worker that sent it) is `now`; undefined when
 * there is no read to trust (an act scheduled before reads carried their moment); infinitely old
 * (stale) when it is stamped more than {@link MAX_READ_CLOCK_AHEAD_MS} in the future.
 */
export function preconditionAgeMs(readAt: number | undefined, now: number): number | undefined {
  if (readAt === undefined || !Number.isFinite(readAt)) return undefined;
  if (readAt - now > MAX_READ_CLOCK_AHEAD_MS) return Number.POSITIVE_INFINITY;
  return Math.max(0, now - readAt);
}
