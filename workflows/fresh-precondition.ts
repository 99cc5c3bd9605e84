/**
 * Read, decide, delete — on a read that is still fresh when the DELETE goes out. The DELETE activity
 * gets the moment of the read and what the deletion requires; when that read has grown old it reads
 * the account again itself (activities/fresh-read-check.ts) and answers `precondition-changed` if the
 * account no longer qualifies. The step then reads again and decides again, so an account activated
 * meanwhile is kept, with the outcome that says why. lifecycle/precondition-freshness.ts says why.
 */
import { ActivityFailure, ApplicationFailure, log, sleep } from '@temporalio/workflow';
import { STALE_PRECONDITION_FAILURE } from '../lifecycle/precondition-freshness';

export interface FreshDeletionSteps<Read, Verdict, GoAhead extends Verdict, Done> {
  /** The read right before the act; a found account carries the moment it was read. */
  read: () => Promise<Read>;
  decide: (read: Read) => Verdict;
  goAhead: (verdict: Verdict) => verdict is GoAhead;
  /** The DELETE, given the moment of the read it relies on. */
  remove: (readAt: number | undefined) => Promise<Done | 'precondition-changed'>;
}

/** Longest pause between two rounds when the account keeps changing under the deletion. */
const longestPauseSeconds = 60;

export async function deleteOnFreshRead<Read, Verdict, GoAhead extends Verdict, Done>(
  steps: FreshDeletionSteps<Read, Verdict, GoAhead, Done>,
): Promise<Exclude<Verdict, GoAhead> | Done> {
  for (let round = 0; ; round += 1) {
    // A second round reads at once; later ones after 1 s, 2 s, … (an account flapping, or acts
    // scheduled before the precondition was carried).
    if (round > 1) await sleep(`${Math.min(2 ** (round - 2), longestPauseSeconds)} seconds`);
    const read = await steps.read();
    const verdict = steps.decide(read);
    if (!steps.goAhead(verdict)) return verdict as Exclude<Verdict, GoAhead>;
    const done = await refusedAsChanged(() => steps.remove(readAtOf(read)));
    if (done !== 'precondition-changed') return done;
    log.info('The account changed before its deletion went out; reading it again', { round: round + 1 });
  }
}

function readAtOf(read: unknown): number | undefined {
  if (typeof read !== 'object' || read === null || !('readAt' in read)) return undefined;
  return typeof read.readAt === 'number' ? read.readAt : undefined;
}

/** An act scheduled before it carried its precondition is refused when its read is old: read again. */
async function refusedAsChanged<Done>(act: () => Promise<Done>): Promise<Done | 'precondition-changed'> {
  try {
    return await act();
  } catch (error) {
    const stale =
      error instanceof ActivityFailure &&
      error.cause instanceof ApplicationFailure &&
      error.cause.type === STALE_PRECONDITION_FAILURE;
    if (stale) return 'precondition-changed';
    throw error;
  }
}
