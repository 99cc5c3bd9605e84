/**
 * Staffbase's newer endpoints answer 404 when an action is not permitted, so a DELETE answered 404 is
 * not proof the account is gone. It counts as gone only when a GET by id also answers 404 and an
 * exact externalID look-up finds nothing — two reads, each its own one-request activity. Otherwise the
 * step fails with DELETE_NOT_PERMITTED_FAILURE: a person's run parks in needs-attention as
 * `not-permitted` (workflows/needs-attention.ts), a clean-up counts the user as failed.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { AccountStepActivities } from '../activities/account-step-activities';
import type { AccountRead } from '../lifecycle/account-guards';

/** Thrown by the workflow when a DELETE answered 404 but the account still exists. */
export const DELETE_NOT_PERMITTED_FAILURE = 'StaffbaseDeleteNotPermitted';

type ConfirmingReads = Pick<AccountStepActivities, 'readAccount' | 'findAccountByExternalId'>;

export interface DeletedAccount {
  staffbaseUserId: string;
  /** The person the account belonged to; null when it had none (then only the GET by id can tell). */
  externalID: string | null;
}

/** Answers when the account is confirmed gone; throws (not retryable) while it still exists. */
export async function confirmDeletedAccountGone(
  staffbase: ConfirmingReads,
  account: DeletedAccount,
): Promise<void> {
  const evidence = await accountStillFound(staffbase, account);
  if (evidence !== undefined) throw notPermitted(evidence);
}

/**
 * The confirmation's reads without the failure: what still finds the account, or undefined when it
 * is confirmed gone. `byId` is a GET by id the caller has just made (it is not repeated).
 */
export async function accountStillFound(
  staffbase: ConfirmingReads,
  account: DeletedAccount,
  byId?: AccountRead,
): Promise<string | undefined> {
  const read = byId ?? (await staffbase.readAccount(account.staffbaseUserId));
  if (read.result === 'found') return 'a GET by its id still finds it';
  if (account.externalID === null) return undefined;
  const byExternalId = await staffbase.findAccountByExternalId(account.externalID);
  if (byExternalId.result === 'found') return 'a look-up by its externalID still finds it';
  return undefined;
}

/** The workflow's own not-permitted failure (it is no activity's failure). */
export function isDeleteNotPermitted(error: unknown): error is ApplicationFailure {
  return error instanceof ApplicationFailure && error.type === DELETE_NOT_PERMITTED_FAILURE;
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
