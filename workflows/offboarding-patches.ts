import { needsAttentionPatch } from './needs-attention';

/**
 * Patches (see test/replay): runs started before them keep the steps they recorded.
 * - `awaited-onboarding-stop`: an earlier open onboarding is cancelled and awaited until it stopped
 *   (a later one is left alone: it settles this run), and a cancel that arrived meanwhile is honoured.
 * - `exact-account`: the account is resolved once by exact externalID, then logged out and
 *   deactivated by its id, each step re-checking it is still that person's account.
 * - `guarded-deletion`: the deletion re-reads the account and deletes it only while it is still the
 *   deactivated account this run deactivated; otherwise the run ends `kept`.
 * - `one-request-steps`: the same compare-and-act steps, each as a read activity and an act activity
 *   (one Staffbase request per attempt; workflows/account-steps.ts), the leaver's logout and
 *   deactivation in the urgent lane.
 * - `coordination-off-rate-limit`: settling the person's onboarding runs on the workflow queue, not
 *   on the rate-limited Staffbase queue (it sends no Staffbase request).
 */
export const offboardingPatches = {
  awaitedOnboardingStop: 'awaited-onboarding-stop',
  exactAccount: 'exact-account',
  guardedDeletion: 'guarded-deletion',
  oneRequestSteps: 'one-request-steps',
  coordinationOffRateLimit: 'coordination-off-rate-limit',
  /**
   * `needs-attention`: a refusal a person can fix (a rotated token above all) parks the run where it
   * stopped, retention clock intact, until an operator retries; a cancel still works meanwhile.
   */
  needsAttention: needsAttentionPatch,
  /**
   * `legal-hold-search-attribute`: placing and releasing a legal hold upserts the `LegalHold` search
   * attribute (true / false), so clean-ups and the UI see the hold from outside the run.
   */
  legalHoldSearchAttribute: 'legal-hold-search-attribute',
  /**
   * `retention-floor`: the run reads the worker's OFFBOARDING_MIN_RETENTION_DAYS (an activity, so a
   * replay decides as the original did) and never deletes sooner than that after the deactivation,
   * whatever the start or a retention change asked (delete-now excepted); each raise is audited.
   */
  retentionFloor: 'retention-floor',
  /**
   * `delete-404-confirmed`: a DELETE answered 404 counts as gone only when a GET by id also answers 404
   * and the exact externalID look-up finds nothing; otherwise the run parks in needs-attention as
   * `not-permitted` (Staffbase answers 404 to actions not permitted). Asked only after such a 404.
   */
  deleteNotFoundConfirmed: 'delete-404-confirmed',
  /**
   * `staffbase-event-recheck`: in retention, Staffbase's event about the account (signal
   * `accountRecheck`, from workflows/staffbase-event.ts) makes the run re-read it at once (bulk lane);
   * reactivated or replaced by hand, the run ends `kept` now instead of at the deadline. Nothing is
   * ever deleted sooner because of an event; a failed re-read only leaves the deadline's own check.
   */
  staffbaseEventRecheck: 'staffbase-event-recheck',
  /**
   * `staffbase-user-id-attribute`: once the account is resolved, the run upserts the `StaffbaseUserId`
   * search attribute, so a `user.deleted` event (which names only that id) finds the run.
   */
  staffbaseUserIdAttribute: 'staffbase-user-id-attribute',
  /**
   * `staffbase-event-gone-confirmed`: the event's re-check that reads the account gone (404) confirms
   * it as the deletion does (an exact externalID look-up finds nothing either) and, confirmed, ends the
   * run now as the deletion would have (`deleted`, already gone) — it sends no DELETE. Asked only after
   * the re-check's read answered 404.
   */
  staffbaseEventGoneConfirmed: 'staffbase-event-gone-confirmed',
  /**
   * `batched-lookup`: a run started with `lane: 'bulk'` (an import) looks its person up in a batch of up
   * to 50 (one list request in the bulk lane, workflows/lookup-batcher.ts), alone where the batch cannot
   * answer; while the batch's read is at most 30 s old it stands in for the read before log-out and
   * deactivation. Asked only by bulk runs: single runs record nothing new.
   */
  batchedLookup: 'batched-lookup',
  /**
   * `offboarding-person-index` (issue 29): decided first thing in a run; each stage change writes the
   * person index through a local activity (workflows/person-index.ts).
   */
  personIndex: 'offboarding-person-index',
  /**
   * `offboarding-ends-leave` (issue 31): as it takes effect, the offboarding ends the person's open
   * leave (workflows/leave.ts) without reactivating, and waits until it has ended.
   */
  endsLeave: 'offboarding-ends-leave',
} as const;
