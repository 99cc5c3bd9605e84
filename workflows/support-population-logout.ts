import { ActivityFailure, condition, continueAsNew, log, patched, setHandler } from '@temporalio/workflow';
import type { MatchingUsersPage } from '../activities/support-activities';
import type { PopulationLogoutInput } from '../lifecycle/support-requests';
import {
  failureReason,
  inChunks,
  keepFailure,
  shouldContinueAsNew,
  supportActivities as staffbase,
} from './support-bulk';
import {
  bulkProgressQuery,
  cancelBulkRunSignal,
  confirmDeletionsSignal,
  type BulkFailure,
  type BulkOutcome,
  type BulkPhase,
  type BulkProgress,
  type BulkResult,
} from './support-messages';

export * from './support-messages';

/** Where the previous run of the chain stopped: the cursor, the counters, the last page's ids. */
export interface PopulationLogoutCarryOver {
  /** Offset of the next page. */
  offset: number;
  /** `total` of the last page read, to notice deletions that shift offsets. */
  lastTotal: number;
  /** Ids of the last page handled: re-read ones (after a shift) are not logged out twice. */
  recentIds: string[];
  done: number;
  failed: number;
  skipped: number;
  pagesDone: number;
  run: number;
  failures: BulkFailure[];
  startedAt: string;
  /** A logout above `confirmAbove` was confirmed; absent in chains from before the threshold. */
  confirmed?: boolean;
}

/**
 * Replay guard of the confirmation threshold: runs started before it (no marker in their history)
 * go on without pausing, as they did when they started.
 */
const CONFIRM_ABOVE_PATCH = 'population-logout-confirm-above';

/**
 * Forced logout of every activated user matching a filter (e.g. every SSO user after an SSO password
 * policy change). Pages through the population with growing offsets: logging out changes no
 * membership, so the matching set stays put while the run walks it. Progress lives in workflow state,
 * so a crashed or restarted worker resumes on the page it was on: finished pages are never read
 * again and no page is skipped. Each user is one rate-limited activity (`DELETE /users/{id}/sessions`).
 *
 * Others may still delete users meanwhile, which shifts later users towards the front: when a page's
 * `total` shrank, the next page starts that many users earlier (at most a page), and users already
 * handled on the previous page are left out, so nobody is skipped or logged out twice by a shift.
 */
export async function populationLogout(
  input: PopulationLogoutInput,
  carryOver?: PopulationLogoutCarryOver,
): Promise<BulkOutcome> {
  const { filter, statuses } = input;
  let phase: BulkPhase = carryOver ? 'running' : 'counting';
  let offset = carryOver?.offset ?? 0;
  let lastTotal = carryOver?.lastTotal;
  let recentIds = new Set(carryOver?.recentIds ?? []);
  let done = carryOver?.done ?? 0;
  let failed = carryOver?.failed ?? 0;
  let skipped = carryOver?.skipped ?? 0;
  let pagesDone = carryOver?.pagesDone ?? 0;
  const run = carryOver?.run ?? 1;
  const failures = carryOver?.failures ?? [];
  const startedAt = carryOver?.startedAt ?? new Date().toISOString();
  let cancelRequest: { reason?: string } | undefined;
  let outcome: BulkOutcome | undefined;
  let confirmed = carryOver?.confirmed ?? false;

  setHandler(cancelBulkRunSignal, (details) => {
    cancelRequest ??= { reason: details?.reason };
  });
  setHandler(confirmDeletionsSignal, (details) => {
    if (!confirmed) log.info('Population logout above the threshold confirmed', { by: details?.confirmedBy });
    confirmed = true;
  });
  setHandler(bulkProgressQuery, (): BulkProgress => ({
    operation: 'population-logout',
    phase,
    dryRun: input.dryRun,
    filter,
    statuses,
    total: lastTotal,
    done,
    failed,
    skipped,
    pagesDone,
    run,
    failures,
    startedAt,
    outcome,
    ...(input.confirmAbove !== undefined && { confirmAbove: input.confirmAbove, confirmed }),
  }));

  const finish = (
    result: BulkResult,
    extra: Pick<BulkOutcome, 'sample' | 'reason'> & { total?: number } = {},
  ): BulkOutcome => {
    outcome = {
      result,
      operation: 'population-logout',
      filter,
      total: extra.total ?? lastTotal ?? 0,
      done,
      failed,
      skipped,
      pagesDone,
      runs: run,
      failures,
      sample: extra.sample,
      reason: extra.reason ?? (result === 'cancelled' ? cancelRequest?.reason : undefined),
    };
    phase = 'completed';
    log.info('Population logout finished', { result, done, failed, skipped });
    return outcome;
  };

  const readPage = (at: number, limit: number, detail: 'ids' | 'summary'): Promise<MatchingUsersPage> =>
    staffbase.listMatchingUsers({ filter, statuses, offset: at, limit, detail });

  // A dry run counts and samples: one list call, nothing changes.
  if (input.dryRun) {
    const page = await readPage(0, input.sampleSize, 'summary');
    if (page.result === 'invalid-filter') return finish('invalid-filter', { reason: page.reason });
    lastTotal = page.total;
    return finish('dry-run', { total: page.total, sample: page.summaries ?? [] });
  }

  let pagesThisRun = 0;
  for (;;) {
    if (cancelRequest) return finish('cancelled');
    if (pagesThisRun > 0 && shouldContinueAsNew(pagesThisRun, input.pagesPerRun)) {
      await continueAsNew<typeof populationLogout>(input, {
        offset,
        lastTotal: lastTotal ?? 0,
        recentIds: [...recentIds],
        done,
        failed,
        skipped,
        pagesDone,
        run: run + 1,
        failures,
        startedAt,
        confirmed,
      });
    }

    let page = await readPage(offset, input.pageSize, 'ids');
    if (page.result === 'invalid-filter') return finish('invalid-filter', { reason: page.reason });
    if (lastTotal !== undefined && page.total < lastTotal && offset > 0) {
      // Users before the cursor may have been deleted: step back by the shrink (at most one page,
      // which `recentIds` covers) and re-read.
      const back = Math.min(lastTotal - page.total, input.pageSize, offset);
      offset -= back;
      page = await readPage(offset, input.pageSize, 'ids');
      if (page.result === 'invalid-filter') return finish('invalid-filter', { reason: page.reason });
    }
    lastTotal = page.total;
    // The safety threshold, as for clean-ups: a population larger than `confirmAbove` (a filter
    // broader than meant) waits for a confirmation, or a cancel, before anyone is logged out.
    if (
      !confirmed &&
      input.confirmAbove !== undefined &&
      page.total > input.confirmAbove &&
      patched(CONFIRM_ABOVE_PATCH)
    ) {
      phase = 'awaiting-confirmation';
      log.info('Population logout awaits confirmation', {
        total: page.total,
        confirmAbove: input.confirmAbove,
      });
      await condition(() => confirmed || cancelRequest !== undefined);
      if (cancelRequest) return finish('cancelled');
    }
    phase = 'running';

    const fresh = page.ids.filter((id) => !recentIds.has(id));
    await inChunks(
      fresh,
      input.parallelism,
      async (staffbaseUserId) => {
        try {
          const result = await staffbase.logoutUserById(staffbaseUserId);
          if (result === 'logged-out') done += 1;
          else skipped += 1;
        } catch (error) {
          if (!(error instanceof ActivityFailure)) throw error;
          failed += 1;
          keepFailure(failures, { staffbaseUserId, reason: failureReason(error) });
        }
      },
      () => cancelRequest !== undefined,
    );
    if (cancelRequest) return finish('cancelled');

    pagesDone += 1;
    pagesThisRun += 1;
    if (failed > input.maxFailures) {
      return finish('too-many-failures', {
        reason: `${failed} logouts failed (at most ${input.maxFailures} allowed); see failures.`,
      });
    }
    recentIds = new Set(page.ids);
    offset += page.ids.length;
    if (page.ids.length === 0 || offset >= page.total) return finish('completed');
  }
}
