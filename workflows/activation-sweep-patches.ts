/**
 * Patches of the activation sweep (see test/replay). Each is evaluated once, at the start of a run, so
 * one run takes one path throughout.
 *
 * `activation-sweep-or-fallback`: a batch is asked with `checkActivatedAmong`, which answers
 * `or-refused` when the tenant refuses the batch's `externalId eq … or …` filter (400); from then on
 * the run asks `isActivated` per person. Runs started before ask `findActivatedAmong` only.
 */
export const activationSweepPatches = {
  orFallback: 'activation-sweep-or-fallback',
} as const;
