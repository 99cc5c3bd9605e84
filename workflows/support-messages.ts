import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { UserSummary, UserView } from '../activities/support-views';
import type { CleanupSkipReason, SkippedAccount, SkippedCounts } from '../lifecycle/cleanup-holds';
import type { RecoveryRefusal } from '../lifecycle/support-guards';
import type { CleanupKind, SupportUserStatus } from '../lifecycle/support-requests';

/** Outcomes and messages of the support workflows, exported for the client (CLI, HTTP API) and tests. */

export type { UserSummary, UserView } from '../activities/support-views';
export type { RecoveryRefusal } from '../lifecycle/support-guards';
export type { CleanupSkipReason, SkippedAccount, SkippedCounts } from '../lifecycle/cleanup-holds';

// --- one person -------------------------------------------------------------------------------------

export interface MoverOutcome {
  result: 'changed' | 'unchanged' | 'user-not-found';
  externalID: string;
  staffbaseUserId?: string;
  /** `firstName`, `lastName`, `locale`, `profile.<field>`: what this run changed. */
  changedFields: string[];
  addedGroups: string[];
  reason?: string;
}

export interface RecoveryCodeOutcome {
  result: 'sent' | 'refused' | 'user-not-found';
  externalID: string;
  staffbaseUserId?: string;
  refusal?: RecoveryRefusal;
  reason?: string;
}

export interface UserLogoutOutcome {
  result: 'logged-out' | 'user-not-found';
  externalID: string;
  staffbaseUserId?: string;
  reason?: string;
}

export type UserLookupResult =
  | { result: 'found'; externalID: string; user: UserView; groupIDs: string[] }
  | { result: 'user-not-found'; externalID: string };

export interface GroupMembersResult {
  groupId: string;
  statuses: SupportUserStatus[];
  /** How many users Staffbase counts in the group (with these statuses). */
  total: number;
  members: UserView[];
  /** More members exist than `limit` allowed to return. */
  truncated: boolean;
}

// --- bulk runs (population logout, clean-ups) ---------------------------------------------------------

export type BulkOperation = 'population-logout' | `cleanup-${CleanupKind}`;

export type BulkPhase = 'counting' | 'awaiting-confirmation' | 'running' | 'completed';

export type BulkResult =
  /** Every matching user was handled (some may have failed: see `failed`). */
  | 'completed'
  /** Nothing was changed: `total` and `sample` say who would be affected. */
  | 'dry-run'
  | 'cancelled'
  | 'invalid-filter'
  /** The run stopped because more users failed for good than allowed (e.g. a revoked token). */
  | 'too-many-failures'
  /** A clean-up stopped because the list kept showing only users it had already handled. */
  | 'incomplete';

export interface BulkFailure {
  staffbaseUserId: string;
  reason: string;
}

export interface BulkProgress {
  operation: BulkOperation;
  phase: BulkPhase;
  dryRun: boolean;
  /** The filter the run pages through (statuses are ANDed onto it). */
  filter: string;
  statuses: SupportUserStatus[];
  /** Matching users as last counted (a clean-up counts its deletions in). */
  total?: number;
  /** Logged out, or deleted. */
  done: number;
  /** Failed for good (non-retryable); retryable failures are retried until they pass. */
  failed: number;
  /** Gone meanwhile, or (clean-ups) no longer matching when re-checked. */
  skipped: number;
  pagesDone: number;
  /** Which run of the continue-as-new chain answers (1 = the first). */
  run: number;
  /** Clean-ups: the safety threshold, and whether the operator confirmed going above it. */
  confirmAbove?: number;
  confirmed?: boolean;
  /** The first few failures, for the operator. */
  failures: BulkFailure[];
  startedAt: string;
  outcome?: BulkOutcome;
}

export interface BulkOutcome {
  result: BulkResult;
  operation: BulkOperation;
  filter: string;
  total: number;
  done: number;
  failed: number;
  skipped: number;
  pagesDone: number;
  runs: number;
  /**
   * Dry runs: who would be affected (at most `sampleSize`). A clean-up's sample marks the accounts it
   * would skip because an open run of the person holds them (`skipReason`).
   */
  sample?: SampledUser[];
  failures: BulkFailure[];
  reason?: string;
  /**
   * Clean-ups: accounts left alone because an open run of the person holds them (a legal hold, an
   * offboarding in retention, an open onboarding), the first `keptSkippedAccounts`; a dry run lists
   * those of its sample. Counted in `skipped` too.
   */
  skippedAccounts?: SkippedAccount[];
  /** Clean-ups: how many accounts were left alone for each reason (all of them, not only those listed). */
  skippedFor?: SkippedCounts;
}

/** A user of a dry run's sample; `skipReason` when a clean-up would leave the account alone. */
export type SampledUser = UserSummary & { skipReason?: CleanupSkipReason };

/** done / failed / total and where the run is. Answered by the newest run of the chain. */
export const bulkProgressQuery = defineQuery<BulkProgress>('progress');

/** Stop a bulk run after the users in flight; what is done stays done. */
export const cancelBulkRunSignal = defineSignal<[{ reason?: string }]>('cancel');

/**
 * The old confirmation, kept registered for runs that received it. Runs since patch
 * `bulk-service-thresholds` ignore it outside phase `awaiting-confirmation`; send `confirmBulkRunUpdate`.
 */
export const confirmDeletionsSignal = defineSignal<[{ confirmedBy?: string }]>('confirmDeletions');

/**
 * A bulk run paused above its safety threshold may go on (for the rest of the run); answers the
 * progress after the confirmation. Its validator refuses it outside phase `awaiting-confirmation`
 * with an ApplicationFailure of type {@link notAwaitingConfirmationType} (details: `[phase]`), so
 * nothing is written to the run's history then.
 */
export const confirmBulkRunUpdate = defineUpdate<BulkProgress, [{ confirmedBy?: string }]>('confirm');

/** The failure type of a confirmation refused because the run is not waiting for one. */
export const notAwaitingConfirmationType = 'NotAwaitingConfirmation';
