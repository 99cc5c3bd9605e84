import { needsAttentionPatch } from './needs-attention';

/**
 * Patches (see test/replay): `rehire-cancels-offboarding` — a new run first settles the person's open
 * offboarding, so a rehire is never deleted by the leaver's retention timer.
 */
export const onboardingPatches = {
  rehireCancelsOffboarding: 'rehire-cancels-offboarding',
  /**
   * `one-request-steps`: one Staffbase request per activity (create first, a 409 leads to the
   * look-up; the pending deletion reads, then deletes) and the bulk lane for the status checks.
   */
  oneRequestSteps: 'one-request-steps',
  /** `coordination-off-rate-limit`: the settling activity runs on the workflow queue. */
  coordinationOffRateLimit: 'coordination-off-rate-limit',
  /**
   * `needs-attention`: a refusal a person can fix (taken userName, bad field, rotated token) parks the
   * run until HR corrects or an operator retries; a refused reminder mail no longer fails the run.
   */
  needsAttention: needsAttentionPatch,
  /** `invite-local-time`: the lead time counts calendar days in the tenant's zone (summer time). */
  inviteLocalTime: 'invite-local-time',
  /**
   * `onboarding-awaits-handlers` (issue 26): decided first thing in a run; the run waits until its
   * `correct` / `retry` update handlers finished before it finishes or continues as new.
   */
  awaitsHandlers: 'onboarding-awaits-handlers',
  /**
   * `onboarding-delete-404-confirmed` (issue 27): the pending deletion's DELETE answered 404 counts as
   * gone only once a GET by id answers 404 and the externalID look-up finds nothing; otherwise the run
   * parks in needs-attention as `not-permitted`. Asked only after such a 404.
   */
  deleteNotFoundConfirmed: 'onboarding-delete-404-confirmed',
  /**
   * `onboarding-person-index` (issue 29): decided first thing in a run; each stage change writes the
   * person index through a local activity (workflows/person-index.ts).
   */
  personIndex: 'onboarding-person-index',
  /**
   * `onboarding-refused-on-leave` (issue 31): decided first thing in a new run; the settling activity
   * (that of `rehire-cancels-offboarding`) becomes one that first asks whether a leave of the person that
   * started before is open — then the run ends `refused-on-leave`, creates nothing and writes nothing
   * to the person index — and comes before the first index write.
   */
  refusedOnLeave: 'onboarding-refused-on-leave',
} as const;
