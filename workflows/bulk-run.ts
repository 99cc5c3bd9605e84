/**
 * The core both bulk runs (population logout, clean-ups) share, as a state class in the style of
 * temporalio/samples-typescript's safe-message-handlers: the counters a run carries into its
 * continue-as-new successor, the `progress` query, the `cancel` and `confirmDeletions` signals, the
 * safety-threshold pause, counting each user's result or failure, and the outcome. What differs —
 * how each run pages, and what it carries besides — stays in its workflow. Deterministic, no I/O.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { SupportUserStatus } from '../lifecycle/support-requests';
import { isDeleteNotPermitted } from './deletion-confirmation';
import {
  bulkProgressQuery,
  cancelBulkRunSignal,
  confirmBulkRunUpdate,
  confirmDeletionsSignal,
  notAwaitingConfirmationType,
  type BulkFailure,
  type BulkOperation,
  type BulkOutcome,
  type BulkPhase,
  type BulkProgress,
  type BulkResult,
} from './support-messages';

/**
 * A run also continues as new above this many history events, whatever `pagesPerRun` says (a page
 * of 1,000 users writes ~6,000 events), or when the server suggests it.
 */
export const bulkHistoryEventLimit = 10_000;

/** Failures kept for the query and the outcome; the counters count them all. */
export const keptFailures = 20;

/** The counters every bulk run carries from one run of its chain to the next. */
export interface BulkCounters {
  done: number;
  failed: number;
  skipped: number;
  pagesDone: number;
  /** Which run of the continue-as-new chain this is (1 = the first). */
  run: number;
  failures: BulkFailure[];
  startedAt: string;
  confirmed: boolean;
}

/** What each run says about itself in `progress` beyond the shared counters. */
export interface BulkRunSettings {
  operation: BulkOperation;
  dryRun: boolean;
  filter: string;
  statuses: SupportUserStatus[];
  /** The run's threshold, shown in `progress` with `confirmed`; undefined shows neither. */
  confirmAbove?: number;
  /** The log lines of a confirmation and of the end, e.g. "Clean-up". */
  label: string;
  /**
   * Patch `bulk-service-thresholds` (workflows/bulk-patches.ts): a confirmation counts only in phase
   * `awaiting-confirmation` (the signal is ignored elsewhere). False in runs from before it.
   */
  confirmOnlyWhenAwaiting?: boolean;
}

/** How one user went: its change was made (`done`), or it was no longer there to change (`skipped`). */
export type UserResult = 'done' | 'skipped';

export class BulkRun {
  phase: BulkPhase;
  /** Matching users as last counted. */
  total: number | undefined;
  done: number;
  failed: number;
  skipped: number;
  pagesDone: number;
  /** Pages of this run only: continue-as-new comes after `pagesPerRun` of them. */
  pagesThisRun = 0;
  readonly run: number;
  readonly failures: BulkFailure[];
  readonly startedAt: string;
  confirmed: boolean;
  cancelRequest: { reason?: string } | undefined;
  outcome: BulkOutcome | undefined;

  constructor(
    readonly settings: BulkRunSettings,
    carried: { total?: number; counters?: Partial<BulkCounters> } = {},
  ) {
    const counters = carried.counters;
    this.phase = counters ? 'running' : 'counting';
    this.total = carried.total;
    this.done = counters?.done ?? 0;
    this.failed = counters?.failed ?? 0;
    this.skipped = counters?.skipped ?? 0;
    this.pagesDone = counters?.pagesDone ?? 0;
    this.run = counters?.run ?? 1;
    this.failures = counters?.failures ?? [];
    this.startedAt = counters?.startedAt ?? new Date().toISOString();
    this.confirmed = counters?.confirmed ?? false;
  }

  /**
   * Registers the `cancel` and `confirmDeletions` signals, the `confirm` update and the `progress`
   * query. Registering a handler is no command, so runs in flight replay unchanged.
   */
  handleMessages(): void {
    setHandler(cancelBulkRunSignal, (details) => {
      this.cancelRequest ??= { reason: details?.reason };
    });
    setHandler(confirmDeletionsSignal, (details) => {
      if (this.settings.confirmOnlyWhenAwaiting && !this.awaitingConfirmation()) {
        // Confirming before anyone was counted (or after the end) would confirm a number nobody saw.
        log.warn(`${this.settings.label}: confirmation ignored outside awaiting-confirmation`, {
          phase: this.phase,
          by: details?.confirmedBy,
        });
        return;
      }
      this.confirm(details?.confirmedBy);
    });
    setHandler(
      confirmBulkRunUpdate,
      (details) => {
        this.confirm(details?.confirmedBy);
        return this.progress();
      },
      {
        validator: (_details: { confirmedBy?: string }) => {
          if (this.awaitingConfirmation()) return;
          // Confirmed a moment ago (the run resumes in this task): it goes on running.
          const phase = this.confirmed && this.phase === 'awaiting-confirmation' ? 'running' : this.phase;
          throw ApplicationFailure.create({
            type: notAwaitingConfirmationType,
            message: `The run is not awaiting a confirmation (phase ${phase}).`,
            details: [phase],
            nonRetryable: true,
          });
        },
      },
    );
    setHandler(bulkProgressQuery, () => this.progress());
  }

  /** Paused above the threshold, not yet confirmed. */
  private awaitingConfirmation(): boolean {
    return this.phase === 'awaiting-confirmation' && !this.confirmed;
  }

  private confirm(by: string | undefined): void {
    if (!this.confirmed) log.info(`${this.settings.label} above the threshold confirmed`, { by });
    this.confirmed = true;
  }

  /** The thresholds the run applies from now on (workflows/bulk-limits.ts): `progress` shows them. */
  applyConfirmAbove(confirmAbove: number | undefined): void {
    this.settings.confirmAbove = confirmAbove;
  }

  get cancelled(): boolean {
    return this.cancelRequest !== undefined;
  }

  progress(): BulkProgress {
    const { operation, dryRun, filter, statuses, confirmAbove } = this.settings;
    return {
      operation,
      phase: this.phase,
      dryRun,
      filter,
      statuses,
      total: this.total,
      done: this.done,
      failed: this.failed,
      skipped: this.skipped,
      pagesDone: this.pagesDone,
      run: this.run,
      failures: this.failures,
      startedAt: this.startedAt,
      outcome: this.outcome,
      ...(confirmAbove !== undefined && { confirmAbove, confirmed: this.confirmed }),
    };
  }

  /** The counters the next run of the chain starts from. */
  counters(): BulkCounters {
    return {
      done: this.done,
      failed: this.failed,
      skipped: this.skipped,
      pagesDone: this.pagesDone,
      run: this.run + 1,
      failures: this.failures,
      startedAt: this.startedAt,
      confirmed: this.confirmed,
    };
  }

  /** The run's outcome, also shown by `progress` from now on. */
  finish(
    result: BulkResult,
    extra: Pick<BulkOutcome, 'sample' | 'reason' | 'skippedAccounts' | 'skippedFor'> = {},
  ): BulkOutcome {
    this.outcome = {
      result,
      operation: this.settings.operation,
      filter: this.settings.filter,
      total: this.total ?? 0,
      done: this.done,
      failed: this.failed,
      skipped: this.skipped,
      pagesDone: this.pagesDone,
      runs: this.run,
      failures: this.failures,
      sample: extra.sample,
      skippedAccounts: extra.skippedAccounts,
      skippedFor: extra.skippedFor,
      reason: extra.reason ?? (result === 'cancelled' ? this.cancelRequest?.reason : undefined),
    };
    this.phase = 'completed';
    log.info(`${this.settings.label} finished`, {
      operation: this.settings.operation,
      result,
      done: this.done,
      failed: this.failed,
      skipped: this.skipped,
    });
    return this.outcome;
  }

  /** Pauses above the safety threshold until a confirmation (true) or a cancel (false). */
  async awaitConfirmation(total: number): Promise<boolean> {
    this.phase = 'awaiting-confirmation';
    log.info(`${this.settings.label} awaits confirmation`, {
      total,
      confirmAbove: this.settings.confirmAbove,
    });
    await condition(() => this.confirmed || this.cancelled);
    // Confirmed: the run goes on (a clean-up reads the front of its set again first).
    if (!this.cancelled) this.phase = 'running';
    return !this.cancelled;
  }

  /**
   * Continues as new once this run has done its pages, or its history grew large, carrying what
   * `carried()` says. Checked before a page is read, so a run always does at least one.
   */
  async continueAsNewIfDue<Input, Carried>(pagesPerRun: number, input: Input, carried: () => Carried) {
    const info = workflowInfo();
    const due =
      this.pagesThisRun >= pagesPerRun ||
      info.continueAsNewSuggested ||
      info.historyLength >= bulkHistoryEventLimit;
    if (this.pagesThisRun > 0 && due) {
      await continueAsNew<(input: Input, carried: Carried) => Promise<BulkOutcome>>(input, carried());
    }
  }

  /**
   * Acts on each user of a page, at most `parallelism` at a time, stopping between chunks on a
   * cancel. Every act is a rate-limited activity, so parallelism only fills the worker's budget.
   * A user whose act failed for good is counted and kept (the first few) and handed to `onFailure`.
   */
  async eachUser(
    staffbaseUserIds: readonly string[],
    parallelism: number,
    act: (staffbaseUserId: string) => Promise<UserResult>,
    onFailure: (staffbaseUserId: string) => void = () => undefined,
  ): Promise<void> {
    const each = async (staffbaseUserId: string) => {
      try {
        if ((await act(staffbaseUserId)) === 'done') this.done += 1;
        else this.skipped += 1;
      } catch (error) {
        // A DELETE answered 404 for an account still there fails that user, not the run.
        if (!(error instanceof ActivityFailure) && !isDeleteNotPermitted(error)) throw error;
        this.failed += 1;
        onFailure(staffbaseUserId);
        if (this.failures.length < keptFailures) {
          this.failures.push({ staffbaseUserId, reason: failureReason(error) });
        }
      }
    };
    for (let start = 0; start < staffbaseUserIds.length; start += parallelism) {
      if (this.cancelled) return;
      await Promise.all(staffbaseUserIds.slice(start, start + parallelism).map(each));
    }
  }

  /** A page is done: counted for the progress and for this run's continue-as-new. */
  pageDone(): void {
    this.pagesDone += 1;
    this.pagesThisRun += 1;
  }
}

/** Why an activity failed for good, in the words of the error that ended it. */
export function failureReason(error: unknown): string {
  if (isDeleteNotPermitted(error)) return `not-permitted: ${error.message}`;
  if (error instanceof ActivityFailure && error.cause) {
    const cause = error.cause;
    return cause instanceof ApplicationFailure && cause.type
      ? `${cause.type}: ${cause.message}`
      : cause.message;
  }
  return error instanceof Error ? error.message : String(error);
}
