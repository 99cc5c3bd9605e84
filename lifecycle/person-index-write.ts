/**
 * One write to the person index (store/, docs/store.md) as a lifecycle run sends it at a stage change:
 * the person's whole row as this run sees it, its position (run start time + a per-run sequence) and
 * the milestones reached since the run's previous write. Workflows build it, the `recordPersonStage`
 * activity writes it, and `store rebuild` builds the same shape from Temporal.
 *
 * Names and the email travel only inside this input (codec-encrypted like every payload): never in a
 * log line or an error.
 */
export interface PersonStageWrite {
  lifecycle: 'onboarding' | 'offboarding' | 'leave';
  externalID: string;
  /** Onboarding only. Absent (an offboarding): the index keeps the names it has. */
  firstName?: string;
  lastName?: string;
  email?: string;
  stage: string;
  startDate?: string;
  lastWorkingDay?: string;
  attentionCode?: string;
  outcome?: string;
  runId: string;
  /** The run's start time (UTC ISO): a later run's write wins over an earlier run's. */
  runStartedAt: string;
  /** Grows with each write of this run: a retried, replayed or late earlier write never wins. */
  sequence: number;
  /** Whether the run is still open after this write. */
  open: boolean;
  /** Workflow time of the change (UTC ISO). */
  at: string;
  /** Milestones reached at `at` (started, invited, reminder, activated, …). */
  milestones: string[];
}

/** `no-store`: this worker runs without a store (workflow tests that do not need one). */
export type PersonStageWriteResult = 'applied' | 'stale' | 'no-store';
