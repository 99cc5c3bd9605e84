/**
 * The offboarding's re-check in retention (patch `staffbase-event-recheck`): Staffbase's event said the
 * account changed, so the run reads it once (bulk lane, one request) and asks the deletion's own
 * question — is it still the account this run deactivated, still deactivated since? If not (reactivated
 * or replaced by hand), the run can end `kept` at once. Read (404) as gone (deleted by hand in Studio),
 * past patch `staffbase-event-gone-confirmed` it is confirmed as the deletion confirms a 404 (an exact
 * externalID look-up finds nothing either; Staffbase also answers 404 to what is not permitted), and
 * the run can end as already gone. A read-only step: it never deletes, and an unconfirmed 404 or a
 * failed read changes nothing (the deletion at the deadline checks again, with its 404 confirmation).
 */
import { log, patched, proxyActivities } from '@temporalio/workflow';
import type { AccountStepActivities } from '../activities/account-step-activities';
import { deletionVerdict } from '../lifecycle/account-guards';
import { priorityLanes } from '../lifecycle/priority-lanes';
import { taskQueues } from '../lifecycle/task-queues';
import { staffbaseActivityOptions } from './activity-options';
import { type OffboardingKeptReason } from './offboarding-messages';
import { deletionGuardOf } from './offboarding-account-steps';
import { offboardingPatches } from './offboarding-patches';
import { accountStillFound } from './deletion-confirmation';

/** What the re-check found: keep the account now, or it is confirmed gone (deleted by hand). */
export type RecheckVerdict = { result: 'kept'; reason: OffboardingKeptReason } | { result: 'gone' };

// Bounded: a hint must never hold the run past its deadline while Staffbase is down.
const staffbase = proxyActivities<Pick<AccountStepActivities, 'readAccount' | 'findAccountByExternalId'>>({
  ...staffbaseActivityOptions,
  retry: { ...staffbaseActivityOptions.retry, maximumAttempts: 5, maximumInterval: '1 minute' },
  taskQueue: taskQueues.staffbaseApi,
  priority: { priorityKey: priorityLanes.bulk },
});

/** What an offboarding that leaves the account alone says about it. */
export function keptReasonText(reason: OffboardingKeptReason): string {
  return reason === 'reactivated-since'
    ? 'The account was reactivated (or changed) after this offboarding deactivated it; it was not deleted.'
    : 'The account is no longer the one this offboarding deactivated; it was not deleted.';
}

/** Why the run can end now, or undefined: keep waiting for the deadline. */
export async function recheckAccountInRetention(
  account: { staffbaseUserId: string; externalID: string },
  deactivationMark: string | undefined,
  deactivatedAtMs: number,
): Promise<RecheckVerdict | undefined> {
  const guard = deletionGuardOf(account, deactivationMark, deactivatedAtMs);
  try {
    const byId = await staffbase.readAccount(account.staffbaseUserId);
    const verdict = deletionVerdict(byId, guard);
    if (verdict.result === 'kept') return verdict;
    if (verdict.result !== 'already-gone' || !patched(offboardingPatches.staffbaseEventGoneConfirmed)) {
      return undefined;
    }
    const stillFound = await accountStillFound(staffbase, account, byId);
    if (stillFound === undefined) return { result: 'gone' };
    log.info('Re-check read 404 but the account still exists; the deadline decides', { stillFound });
    return undefined;
  } catch (error) {
    log.warn('Re-check after a Staffbase event failed; the deletion will check the account itself', {
      error,
    });
    return undefined;
  }
}
