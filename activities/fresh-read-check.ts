import { ApplicationFailure } from '@temporalio/activity';
import {
  MAX_PRECONDITION_AGE_MS,
  STALE_PRECONDITION_FAILURE,
  preconditionAgeMs,
} from '../lifecycle/precondition-freshness';

/**
 * Refuses an irreversible act, before its request, when the read it relies on is too old: on every
 * attempt, so a retry after a 5xx or a Retry-After never deletes on a read from before the wait.
 * Not retryable: only a new read can make the act safe again, and the workflow makes it.
 */
export function assertFreshRead(act: string, readAt: number | undefined): void {
  const age = preconditionAgeMs(readAt, Date.now());
  if (age !== undefined && age <= MAX_PRECONDITION_AGE_MS) return;
  throw ApplicationFailure.create({
    type: STALE_PRECONDITION_FAILURE,
    nonRetryable: true,
    message:
      age === undefined
        ? `${act} refused: it carries no moment of the read it relies on; read the account again.`
        : `${act} refused: the read it relies on is ${age} ms old (at most ${MAX_PRECONDITION_AGE_MS} ms); read the account again.`,
  });
}
