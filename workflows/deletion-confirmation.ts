/**
 * Staffbase's newer endpoints answer 404 when an action is not permitted, so a DELETE answered 404 is
 * not proof the account is gone. It counts as gone only when a GET by id also answers 404 and an
 * exact externalID look-up finds nothing — two reads, each its own one-request activity. Otherwise the
 * step fails with DELETE_NOT_PERMITTED_FAILURE, which parks the run in needs-attention as
 * `not-permitted` (workflows/needs-attention.ts); a retry runs the whole deletion step again.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { AccountStepActivities } from '../activities/account-step-activities';
import type { AccountTarget } from '../lifecycle/account-guards';
import { DELETE_NOT_PERMITTED_FAILURE } from './needs-attention';

type ConfirmingReads = Pick<AccountStepActivities, 'readAccount' | 'findAccountByExternalId'>;

/** Answers when the account is confirmed gone; throws (not retryable) while it still exists. */
export async function confirmDeletedAccountGone(
  staffbase: ConfirmingReads,
  target: AccountTarget,
): Promise<void> {
  const byId = await staffbase.readAccount(target.staffbaseUserId);
  if (byId.result === 'found') throw notPermitted('a GET by its id still finds it');
  const byExternalId = await staffbase.findAccountByExternalId(target.externalID);
  if (byExternalId.result === 'found') throw notPermitted('a look-up by its externalID still finds it');
}

function notPermitted(evidence: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: DELETE_NOT_PERMITTED_FAILURE,
    nonRetryable: true,
    // Codes and evidence only: the message is logged and shown in the run's status.
    message:
      `Staffbase answered the DELETE with 404, but ${evidence}: the deletion was not permitted and ` +
      'nothing was deleted. Check the API token’s rights, then retry.',
  });
}
