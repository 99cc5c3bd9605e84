import { ApplicationFailure } from '@temporalio/activity';
import { ApplicationFailureCategory } from '@temporalio/common';
import {
  MAX_PRECONDITION_AGE_MS,
  STALE_PRECONDITION_FAILURE,
  preconditionAgeMs,
} from '../lifecycle/precondition-freshness';

/** The read a DELETE relies on (its moment) and what the DELETE requires of the account. */
export interface DeletionCheck<Precondition> {
  readAt?: number;
  precondition?: Precondition;
}

export type CheckedDeletion = 'deleted' | 'already-gone' | 'precondition-changed';

/**
 * Sends a DELETE only on a fresh read, on every attempt. While the workflow's read is at most
 * MAX_PRECONDITION_AGE_MS old, the DELETE is the attempt's one request. Older (a slow workflow task, a
 * retry after a 5xx or a Retry-After, a crashed worker), the attempt reads the account itself right
 * before the DELETE — the one case of two requests in an attempt, so that a busy worker still makes
 * progress — and deletes only while the precondition holds; otherwise `precondition-changed`, and the
 * workflow reads again to say how. An act scheduled without a precondition (before it was carried)
 * cannot check again: it is refused, and the workflow reads again.
 */
export async function deleteWithFreshCheck<Precondition>(
  act: string,
  check: DeletionCheck<Precondition> | undefined,
  recheck: (precondition: Precondition) => Promise<'delete' | 'already-gone' | 'changed'>,
  remove: () => Promise<'deleted' | 'already-gone'>,
): Promise<CheckedDeletion> {
  const age = preconditionAgeMs(check?.readAt, Date.now());
  if (age !== undefined && age <= MAX_PRECONDITION_AGE_MS) return remove();
  if (check?.precondition === undefined) {
    throw ApplicationFailure.create({
      type: STALE_PRECONDITION_FAILURE,
      nonRetryable: true,
      // Expected: the workflow reads again. Logged at debug, not as a warning.
      category: ApplicationFailureCategory.BENIGN,
      message: `${act} refused: it carries no precondition to check again on a read of its own; read the account again.`,
    });
  }
  const now = await recheck(check.precondition);
  if (now === 'changed') return 'precondition-changed';
  return now === 'already-gone' ? now : remove();
}
