import {
  ActivityFailure,
  condition,
  continueAsNew,
  log,
  patched,
  setHandler,
  sleep,
} from '@temporalio/workflow';
import { type CleanupCriteria, cleanupVerdict } from '../lifecycle/support-guards';
import type { CleanupInput } from '../lifecycle/support-requests';
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
  type BulkOperation,
  type BulkOutcome,
  type BulkPhase,
  type BulkProgress,
  type BulkResult,
} from './support-messages';

export * from './support-messages';

/** Where the previous run of the chain stopped. */
export interface CleanupCarryOver {
  /** The filter fixed at the first run (its cut-off comes from that run's time). */
  filter: string;
  /** Users whose deletion failed for good: they still match, and sit at the front of the set. */
  failedIds: string[];
  /** Ids handled on the last page, in case the list still shows them for a moment. */
  recentIds: string[];
  total: number;
  done: number;
  skipped: number;
  pagesDone: number;
  confirmed: boolean;
  run: number;
  failures: BulkFailure[];
  startedAt: string;
  /** The criteria fixed at the first run; absent in chains started before criteria were carried. */
  criteria?: CleanupCriteria;
}

/** Re-reads of a page that shows only users already handled, before the run gives up as `incomplete`. */
const maxStaleReads = 5;
const staleReadPause = '2 seconds';

const millisecondsPerDay = 24 * 60 * 60 * 1000;

/**
 * Patch of issue #13: each deletion is a read, the compare in the workflow, then the DELETE, one
 * Staffbase request per activity; runs started before keep the one two-call `deleteUserInStatus`.
 */
const ONE_REQUEST_PATCH = 'cleanup-one-request-steps';

/** Deletes one listed user only while, read right before the DELETE, it still meets the criteria. */
async function deleteIfStillMatching(
  staffbaseUserId: string,
  criteria: CleanupCriteria,
): Promise<'deleted' | 'already-gone' | 'no-longer-matching'> {
  const target = { staffbaseUserId, ...criteria };
  if (!patched(ONE_REQUEST_PATCH)) return staffbase.deleteUserInStatus(target);
  const verdict = cleanupVerdict(await staffbase.readCleanupCandidate(staffbaseUserId), target);
  return verdict === 'delete' ? staffbase.deleteCleanupAccount(staffbaseUserId) : verdict;
}

/** The clean-up's filter and the criteria its users must still meet when deleted. */
function selectionOf(input: CleanupInput, nowMs: number): { filter: string; criteria: CleanupCriteria } {
  if (input.kind === 'pending-accounts') {
    // "Older than N days" from workflow time: deterministic on replay, and fixed for the whole chain.
    const cutoff = new Date(nowMs - (input.olderThanDays ?? 0) * millisecondsPerDay).toISOString();
    return { filter: `created lt "${cutoff}"`, criteria: { status: 'pending', createdBefore: cutoff } };
  }
  return {
    filter: `deactivated ge "${input.deactivatedFrom}" and deactivated lt "${input.deactivatedBefore}"`,
    criteria: {
      status: 'deactivated',
      deactivatedFrom: input.deactivatedFrom,
      deactivatedBefore: input.deactivatedBefore,
    },
  };
}

/**
 * Staffbase's clean-up guidance as a bulk run: delete pending accounts older than N days, or users
 * deactivated within a date window. Dry run, progress by query, and a safety threshold: when more
 * than `confirmAbove` users would be deleted, the run pauses before deleting (phase
 * `awaiting-confirmation`) until a `confirmDeletions` signal, or a `cancel`.
 *
 * Paging: deleting shrinks the very set being paged, so growing offsets would skip users. The run
 * always re-reads the *front* of the still-matching set instead. Deleted users leave it; users whose
 * deletion failed for good stay, and in the server's stable order they are exactly the first
 * `failedIds.length` users (everything before them on their page was deleted), so each read starts
 * at that offset. Nothing is skipped, nothing already deleted is asked for again (a 404 would count
 * as done anyway), and users appearing meanwhile are picked up by a later read.
 */
export async function accountCleanup(
  input: CleanupInput,
  carryOver?: CleanupCarryOver,
): Promise<BulkOutcome> {
  const operation: BulkOperation = `cleanup-${input.kind}`;
  const selection = selectionOf(input, Date.now());
  const filter = carryOver?.filter ?? selection.filter;
  // A chain from before criteria were carried re-checks the status only (its cut-off is in `filter`).
  const criteria: CleanupCriteria = carryOver
    ? (carryOver.criteria ?? { status: selection.criteria.status })
    : selection.criteria;
  const statuses = [criteria.status];
  let phase: BulkPhase = carryOver ? 'running' : 'counting';
  const failedIds = carryOver?.failedIds ?? [];
  const failedSet = new Set(failedIds);
  let recentIds = new Set(carryOver?.recentIds ?? []);
  let total = carryOver?.total;
  let done = carryOver?.done ?? 0;
  let skipped = carryOver?.skipped ?? 0;
  let pagesDone = carryOver?.pagesDone ?? 0;
  let confirmed = carryOver?.confirmed ?? false;
  const run = carryOver?.run ?? 1;
  const failures = carryOver?.failures ?? [];
  const startedAt = carryOver?.startedAt ?? new Date().toISOString();
  let cancelRequest: { reason?: string } | undefined;
  let outcome: BulkOutcome | undefined;

  setHandler(cancelBulkRunSignal, (details) => {
    cancelRequest ??= { reason: details?.reason };
  });
  setHandler(confirmDeletionsSignal, (details) => {
    if (!confirmed) log.info('Deletions above the threshold confirmed', { by: details?.confirmedBy });
    confirmed = true;
  });
  setHandler(bulkProgressQuery, (): BulkProgress => ({
    operation,
    phase,
    dryRun: input.dryRun,
    filter,
    statuses,
    total,
    done,
    failed: failedIds.length,
    skipped,
    pagesDone,
    run,
    confirmAbove: input.confirmAbove,
    confirmed,
    failures,
    startedAt,
    outcome,
  }));

  const finish = (result: BulkResult, extra: Pick<BulkOutcome, 'sample' | 'reason'> = {}): BulkOutcome => {
    outcome = {
      result,
      operation,
      filter,
      total: total ?? 0,
      done,
      failed: failedIds.length,
      skipped,
      pagesDone,
      runs: run,
      failures,
      sample: extra.sample,
      reason: extra.reason ?? (result === 'cancelled' ? cancelRequest?.reason : undefined),
    };
    phase = 'completed';
    log.info('Clean-up finished', { operation, result, done, failed: failedIds.length, skipped });
    return outcome;
  };

  if (input.dryRun) {
    const page = await staffbase.listMatchingUsers({
      filter,
      statuses,
      offset: 0,
      limit: input.sampleSize,
      detail: 'summary',
    });
    if (page.result === 'invalid-filter') return finish('invalid-filter', { reason: page.reason });
    total = page.total;
    return finish('dry-run', { sample: page.summaries ?? [] });
  }

  let pagesThisRun = 0;
  let staleReads = 0;
  for (;;) {
    if (cancelRequest) return finish('cancelled');
    if (pagesThisRun > 0 && shouldContinueAsNew(pagesThisRun, input.pagesPerRun)) {
      await continueAsNew<typeof accountCleanup>(input, {
        filter,
        failedIds,
        recentIds: [...recentIds],
        total: total ?? 0,
        done,
        skipped,
        pagesDone,
        confirmed,
        run: run + 1,
        failures,
        startedAt,
        criteria,
      });
    }

    const page = await staffbase.listMatchingUsers({
      filter,
      statuses,
      offset: failedIds.length,
      limit: input.pageSize,
      detail: 'ids',
    });
    if (page.result === 'invalid-filter') return finish('invalid-filter', { reason: page.reason });
    // Everything counted so far plus what still matches (failed users are in both, once).
    total = Math.max(total ?? 0, done + skipped + page.total);
    if (page.ids.length === 0) return finish('completed');

    const fresh = page.ids.filter((id) => !failedSet.has(id) && !recentIds.has(id));
    if (fresh.length === 0) {
      // The list still shows users handled a moment ago (a lagging index) or its order moved.
      staleReads += 1;
      if (staleReads > maxStaleReads) {
        return finish('incomplete', {
          reason: `The user list kept showing ${page.ids.length} already handled user(s); run the clean-up again later.`,
        });
      }
      await sleep(staleReadPause);
      continue;
    }
    staleReads = 0;

    // The safety threshold: pause before deleting more than `confirmAbove` users in this chain.
    if (!confirmed && (total > input.confirmAbove || done + fresh.length > input.confirmAbove)) {
      phase = 'awaiting-confirmation';
      log.info('Clean-up awaits confirmation', { total, confirmAbove: input.confirmAbove });
      await condition(() => confirmed || cancelRequest !== undefined);
      if (cancelRequest) return finish('cancelled');
      continue; // the pause may have been long: read the front of the set again
    }
    phase = 'running';

    await inChunks(
      fresh,
      input.parallelism,
      async (staffbaseUserId) => {
        try {
          const result = await deleteIfStillMatching(staffbaseUserId, criteria);
          if (result === 'deleted') done += 1;
          else skipped += 1;
        } catch (error) {
          if (!(error instanceof ActivityFailure)) throw error;
          failedIds.push(staffbaseUserId);
          failedSet.add(staffbaseUserId);
          keepFailure(failures, { staffbaseUserId, reason: failureReason(error) });
        }
      },
      () => cancelRequest !== undefined,
    );
    recentIds = new Set(fresh);
    pagesDone += 1;
    pagesThisRun += 1;
    if (failedIds.length > input.maxFailures) {
      return finish('too-many-failures', {
        reason: `${failedIds.length} deletions failed (the policy allows ${input.maxFailures}).`,
      });
    }
  }
}
