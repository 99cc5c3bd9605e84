/**
 * Who may hasten a deletion. The policy's retention (OFFBOARDING_RETENTION_DAYS) is the time an
 * account is kept after its deactivation; a start that asks for less — `retentionDays` below it,
 * 0 days, or a `deleteAt` earlier than the deactivation plus that retention — brings an irreversible
 * deletion forward, which only support (the admin key) may do. The HTTP API refuses it to the HR
 * systems' key, CSV/xlsx dry runs reject such rows, and the worker's floor
 * (OFFBOARDING_MIN_RETENTION_DAYS) bounds every path, including the ones that bypass the API.
 */
import { addDays, zonedDateTimeToEpochMs } from './calendar';
import { type OffboardingPolicy, type OffboardingRequest } from './offboarding-request';

/** The rule's name, as the 403 body and a rejected import row carry it. */
export const earlyDeletionRule = 'early-deletion-needs-admin-key';

export interface EarlyDeletion {
  field: 'retentionDays' | 'deleteAt';
  /** What is too early, e.g. "is shorter than the policy's retention …"; no personal data. */
  problem: string;
  /** The problem and the rule, for a field problem (an import row). */
  message: string;
}

/**
 * Whether the start of this offboarding would delete sooner than the policy's retention, judged at
 * `nowMs`: the deactivation happens at the end of `lastWorkingDay`, or at once when absent or past.
 */
export function earlyDeletionOf(
  request: Pick<OffboardingRequest, 'retentionDays' | 'deleteAt' | 'lastWorkingDay'>,
  policy: OffboardingPolicy,
  nowMs: number,
): EarlyDeletion | undefined {
  // A policy of 0 days deletes at the deactivation: no request can be sooner than that.
  if (policy.retentionDays === 0) return undefined;
  const retention = `the policy's retention of ${policy.retentionDays} day${policy.retentionDays === 1 ? '' : 's'} after the deactivation`;
  const needsAdmin = `needs the support key (LIFECYCLE_ADMIN_API_KEY); rule ${earlyDeletionRule}`;
  if (request.retentionDays !== undefined && request.retentionDays < policy.retentionDays) {
    const problem = `${request.retentionDays} days is shorter than ${retention}`;
    return { field: 'retentionDays', problem, message: `${problem}: deleting sooner ${needsAdmin}` };
  }
  if (request.deleteAt !== undefined) {
    const lastDayEndsMs =
      request.lastWorkingDay === undefined
        ? nowMs
        : zonedDateTimeToEpochMs(request.lastWorkingDay, policy.endOfWorkingDay, policy.timeZone);
    const earliestMs = addDays(Math.max(nowMs, lastDayEndsMs), policy.retentionDays);
    if (Date.parse(request.deleteAt) < earliestMs) {
      const problem = `is earlier than ${retention} (${new Date(earliestMs).toISOString()})`;
      return { field: 'deleteAt', problem, message: `${problem}: deleting sooner ${needsAdmin}` };
    }
  }
  return undefined;
}
