/**
 * The patch register: every `patched()` id the workflows use, which workflow types record it, where it
 * came from, and when it may go. A patch may be retired (`deprecatePatch`, then removed a release later;
 * CONTRIBUTING.md "Retiring a patch") once no open run of its workflow types lacks its marker:
 * `staffbase-lifecycle patches` counts those runs. test/workflows/patch-register.test.ts checks that
 * every id used in workflows/ is listed here.
 *
 * Recorded ids stay as they are, also where several workflows share one (replay depends on it); a NEW
 * patch gets an id of its own, used by one workflow type, and an entry here.
 *
 * Plain data, no imports: the workflow bundle and the CLI both read it.
 */

/** Workflow types (their registered names, workflows/index.ts) that record patch markers. */
export type PatchedWorkflowType =
  | 'onboarding'
  | 'offboarding'
  | 'mover'
  | 'recoveryCode'
  | 'userLogout'
  | 'populationLogout'
  | 'accountCleanup'
  | 'activationSweep'
  | 'lifecycleEventDispatcher'
  | 'leave';

export interface PatchEntry {
  id: string;
  /** The workflow types whose runs record (and replay) this marker. */
  workflows: readonly PatchedWorkflowType[];
  /** Where it came from: issue and commit summary. */
  origin: string;
  /**
   * The longest an open run started before it can live: the bound after which, with no new starts on
   * the old code, the last run lacking its marker has closed.
   */
  longestRun: string;
}

const onboardingLifetime =
  'an onboarding lives until activation or expiry: start-date lead time + ONBOARDING_EXPIRE_AFTER_DAYS ' +
  '(continue-as-new carries it on; needs-attention parks until expiry)';
const offboardingLifetime =
  'an offboarding lives until its deletion: the retention period (OFFBOARDING_RETENTION_DAYS, raised by ' +
  'retention changes and OFFBOARDING_MIN_RETENTION_DAYS) plus any legal hold, which has no end date';
const leaveLifetime =
  'a leave lives until its first day back (`until`, movable by HR) or until ended; an open-ended leave ' +
  'has no end date';
const sweepLifetime =
  'a sweep lasts one pass over the waiting onboardings (continue-as-new carries a long pass on); the ' +
  'Schedule starts the next one ACTIVATION_SWEEP_INTERVAL_MINUTES later';
const bulkLifetime =
  'a bulk run lasts its pages plus a wait for confirmation (until cancelled: no deadline of its own)';

/**
 * Ids shared by several workflow types, recorded before this register: they stay shared. Every other
 * id belongs to one workflow type (checked by the register's test).
 */
export const sharedPatchIdsBeforeRegister: readonly string[] = [
  'one-request-steps',
  'coordination-off-rate-limit',
  'needs-attention',
  'bulk-service-thresholds',
];

export const patchRegister: readonly PatchEntry[] = [
  {
    id: 'rehire-cancels-offboarding',
    workflows: ['onboarding'],
    origin: '30d1e7a (per-person safety): a new onboarding first settles the person’s open offboarding',
    longestRun: onboardingLifetime,
  },
  {
    id: 'one-request-steps',
    workflows: ['onboarding', 'offboarding', 'mover', 'recoveryCode', 'userLogout'],
    origin: '#13, 074cabf: one Staffbase request per activity attempt, in priority lanes',
    longestRun: offboardingLifetime,
  },
  {
    id: 'coordination-off-rate-limit',
    workflows: ['onboarding', 'offboarding'],
    origin: '#13, 2d01e5d: settling the other lifecycle runs on the workflow queue, not the Staffbase one',
    longestRun: offboardingLifetime,
  },
  {
    id: 'needs-attention',
    workflows: ['onboarding', 'offboarding'],
    origin: '#14, 2d6a837: a refusal a person can fix parks the run until corrected or retried',
    longestRun: offboardingLifetime,
  },
  {
    id: 'invite-local-time',
    workflows: ['onboarding'],
    origin: 'ebf1d1b: the invitation lead time counts calendar days in the tenant’s zone',
    longestRun: onboardingLifetime,
  },
  {
    id: 'onboarding-awaits-handlers',
    workflows: ['onboarding'],
    origin:
      'issue 26: the run waits for its correct/retry update handlers before finishing or continuing as new',
    longestRun: onboardingLifetime,
  },
  {
    id: 'awaited-onboarding-stop',
    workflows: ['offboarding'],
    origin: '30d1e7a (per-person safety): an open onboarding is cancelled and awaited',
    longestRun: offboardingLifetime,
  },
  {
    id: 'exact-account',
    workflows: ['offboarding'],
    origin: '30d1e7a (per-person safety): the account resolved once by exact externalID',
    longestRun: offboardingLifetime,
  },
  {
    id: 'guarded-deletion',
    workflows: ['offboarding'],
    origin: '30d1e7a (per-person safety): the deletion only of the account this run deactivated',
    longestRun: offboardingLifetime,
  },
  {
    id: 'legal-hold-search-attribute',
    workflows: ['offboarding'],
    origin: 'b6b1930: a legal hold upserts the LegalHold search attribute',
    longestRun: offboardingLifetime,
  },
  {
    id: 'retention-floor',
    workflows: ['offboarding'],
    origin: '#24, f503aca: the worker’s OFFBOARDING_MIN_RETENTION_DAYS floor before any deletion',
    longestRun: offboardingLifetime,
  },
  {
    id: 'delete-404-confirmed',
    workflows: ['offboarding'],
    origin: 'issue 27: a DELETE answered 404 is confirmed gone by a GET by id and an externalID look-up',
    longestRun: offboardingLifetime,
  },
  {
    id: 'staffbase-event-recheck',
    workflows: ['offboarding'],
    origin: 'issue 27: Staffbase’s event makes an offboarding in retention re-read its account at once',
    longestRun: offboardingLifetime,
  },
  {
    id: 'staffbase-user-id-attribute',
    workflows: ['offboarding'],
    origin: 'issue 27: the resolved account’s id upserted as StaffbaseUserId, for user.deleted events',
    longestRun: offboardingLifetime,
  },
  {
    id: 'staffbase-event-gone-confirmed',
    workflows: ['offboarding'],
    origin: 'issue 27: an event’s re-check that finds the account gone confirms it and ends the run',
    longestRun: offboardingLifetime,
  },
  {
    id: 'batched-lookup',
    workflows: ['offboarding'],
    origin:
      'issue 28: a bulk offboarding (import) looks its person up in a batch of 50 and acts on that read while recent',
    longestRun: offboardingLifetime,
  },
  {
    id: 'onboarding-delete-404-confirmed',
    workflows: ['onboarding'],
    origin: 'issue 27: the pending deletion’s DELETE answered 404 is confirmed gone by reads',
    longestRun: onboardingLifetime,
  },
  {
    id: 'cleanup-delete-404-confirmed',
    workflows: ['accountCleanup'],
    origin: 'issue 27: a clean-up DELETE answered 404 is confirmed gone by reads, else the user fails',
    longestRun: bulkLifetime,
  },
  {
    id: 'bulk-service-thresholds',
    workflows: ['populationLogout', 'accountCleanup'],
    origin: '#24, a957f18: the worker’s LOGOUT_CONFIRM_ABOVE / CLEANUP_CONFIRM_ABOVE / BULK_MAX_FAILURES',
    longestRun: bulkLifetime,
  },
  {
    id: 'cleanup-one-request-steps',
    workflows: ['accountCleanup'],
    origin: '#13, d899e68: each clean-up deletion a read, a compare, then the DELETE',
    longestRun: bulkLifetime,
  },
  {
    id: 'cleanup-skips-held-people',
    workflows: ['accountCleanup'],
    origin: '#24, c8a0087: clean-ups skip accounts held by a person’s open run',
    longestRun: bulkLifetime,
  },
  {
    id: 'population-logout-confirm-above',
    workflows: ['populationLogout'],
    origin: 'e9f1666: the population logout’s confirmation threshold',
    longestRun: bulkLifetime,
  },
  {
    id: 'activation-sweep-or-fallback',
    workflows: ['activationSweep'],
    origin:
      'issue 27: a refused `or` in the sweep filter falls back to one look-up per person, logged and counted',
    longestRun: sweepLifetime,
  },
  {
    id: 'onboarding-person-index',
    workflows: ['onboarding'],
    origin: 'issue 29: each stage change writes the person index (a local activity on the workflow worker)',
    longestRun: onboardingLifetime,
  },
  {
    id: 'offboarding-person-index',
    workflows: ['offboarding'],
    origin: 'issue 29: each stage change writes the person index (a local activity on the workflow worker)',
    longestRun: offboardingLifetime,
  },
  {
    id: 'offboarding-ends-leave',
    workflows: ['offboarding'],
    origin: 'issue 31: an offboarding that takes effect ends the person’s open leave without reactivating',
    longestRun: offboardingLifetime,
  },
  {
    id: 'event-dispatcher-woken-by-writes',
    workflows: ['lifecycleEventDispatcher'],
    origin:
      'issue 31: the person index’s write wakes the dispatcher when it queues events, so an idle dispatcher ' +
      'reads the outbox once a minute instead of every 2 s',
    longestRun:
      'the dispatcher never ends, but each run continues as new after about 4,000 history events (about ' +
      'half an hour at a 2 s poll); the new run records the marker, so the last run without it closes then',
  },
  {
    id: 'onboarding-refused-on-leave',
    workflows: ['onboarding'],
    origin: 'issue 31: the onboarding itself refuses to act while an earlier leave of the person is open',
    longestRun: onboardingLifetime,
  },
  {
    id: 'leave-refuses-open-lifecycle',
    workflows: ['leave'],
    origin:
      'issue 31: the leave itself refuses to act while the person’s earlier onboarding or offboarding is open',
    longestRun: leaveLifetime,
  },
  {
    id: 'mover-changed-fields-only',
    workflows: ['mover'],
    origin: 'issue 27: the mover’s PUT lists only the changed profile fields (placed per the tenant’s model)',
    longestRun: 'a mover lasts a few Staffbase requests (no timer of its own)',
  },
];
