/**
 * Read, decide, delete — with a read that is still fresh when the DELETE goes out. The DELETE activity
 * refuses an attempt whose read is older than MAX_PRECONDITION_AGE_MS (a retry after a 5xx or a
 * Retry-After, a crashed worker); the step then reads the account again and decides again, so an
 * account activated in the meantime is kept. lifecycle/precondition-freshness.ts says why.
 */
import { ActivityFailure, ApplicationFailure, log, sleep } from '@temporalio/workflow';
import { STALE_PRECONDITION_FAILURE } from '../lifecycle/precondition-freshness';

export interface FreshDeletionSteps<Read, Verdict, GoAhead extends Verdict, Done> {
  /** The read right before the act; a found account carries the moment it was read. */
  read: () => Promise<Read>;
  decide: (read: Read) => Verdict;
  goAhead: (verdict: Verdict) => verdict is GoAhead;
  /** The DELETE, given the moment of the read it relies on. */
  remove: (readAt: number | undefined) => Promise<Done>;
}

/** Longest pause between two reads when acts keep finding their read too old (a congested queue). */
const longestPauseSeconds = 60;

export async function deleteOnFreshRead<Read, Verdict, GoAhead extends Verdict, Done>(
  steps: FreshDeletionSteps<Read, Verdict, GoAhead, Done>,
): Promise<Exclude<Verdict, GoAhead> | Done> {
  for (let staleRounds = 0; ; staleRounds += 1) {
    // At once after the first refusal; after more, 1 s, 2 s, … so a congested queue is not flooded.
    if (staleRounds > 1) await sleep(`${Math.min(2 ** (staleRounds - 2), longestPauseSeconds)} seconds`);
    const read = await steps.read();
    const verdict = steps.decide(read);
    if (!steps.goAhead(verdict)) return verdict as Exclude<Verdict, GoAhead>;
    try {
      return await steps.remove(readAtOf(read));
    } catch (error) {
      if (!isStaleRefusal(error)) throw error;
      log.warn('The deletion was refused because its read got too old; reading the account again', {
        staleRounds: staleRounds + 1,
      });
    }
  }
}

function readAtOf(read: unknown): number | undefined {
  if (typeof read !== 'object' || read === null || !('readAt' in read)) return undefined;
  return typeof read.readAt === 'number' ? read.readAt : undefined;
}

function isStaleRefusal(error: unknown): boolean {
  return (
    error instanceof ActivityFailure &&
    error.cause instanceof ApplicationFailure &&
    error.cause.type === STALE_PRECONDITION_FAILURE
  );
}
