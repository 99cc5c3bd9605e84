/**
 * The offboarding's re-check in retention (patch `staffbase-event-recheck`): Staffbase's event said the
 * account changed, so the run reads it once (bulk lane, one request) and asks the deletion's own
 * question — is it still the account this run deactivated, still deactivated since? If not (reactivated
 * or replaced by hand), the run can end `kept` at once. A read-only step: it never deletes, and a gone
 * account or a failed read changes nothing (the deletion at the deadline checks again, with its
 * 404 confirmation).
 */
import { log, proxyActivities } from '@temporalio/workflow';
import type { AccountStepActivities } from '../activities/account-step-activities';
import { deletionVerdict } from '../lifecycle/account-guards';
import { priorityLanes } from '../lifecycle/priority-lanes';
import { taskQueues } from '../lifecycle/task-queues';
import { staffbaseActivityOptions } from './activity-options';
import { type OffboardingKeptReason } from './offboarding-messages';
import { deletionGuardOf } from './offboarding-account-steps';

// Bounded: a hint must never hold the run past its deadline while Staffbase is down.
const staffbase = proxyActivities<Pick<AccountStepActivities, 'readAccount'>>({
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

/** Why the account must now be kept, or undefined: keep waiting for the deadline. */
export async function recheckAccountInRetention(
  account: { staffbaseUserId: string; externalID: string },
  deactivationMark: string | undefined,
  deactivatedAtMs: number,
): Promise<OffboardingKeptReason | undefined> {
  const guard = deletionGuardOf(account, deactivationMark, deactivatedAtMs);
  try {
    const verdict = deletionVerdict(await staffbase.readAccount(account.staffbaseUserId), guard);
    return verdict.result === 'kept' ? verdict.reason : undefined;
  } catch (error) {
    log.warn('Re-check after a Staffbase event failed; the deletion will check the account itself', {
      error,
    });
    return undefined;
  }
}
