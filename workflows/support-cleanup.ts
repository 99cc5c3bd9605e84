import { patched, sleep } from '@temporalio/workflow';
import { type CleanupCriteria, cleanupSelectionOf, cleanupVerdict } from '../lifecycle/support-guards';
import type { CleanupInput } from '../lifecycle/support-inputs';
import { bulkActs, bulkStaffbase as staffbase } from './bulk-activities';
import { bulkLimitsOf, usesServiceThresholds } from './bulk-limits';
import { type BulkCounters, BulkRun } from './bulk-run';
import { deleteOnFreshRead } from './fresh-precondition';
import type { BulkOutcome } from './support-messages';

/** Where the previous run of the chain stopped. */
export interface CleanupCarryOver extends Omit<BulkCounters, 'failed'> {
  /** The filter fixed at the first run (its cut-off comes from that run's time). */
  filter: string;
  /** Users whose deletion failed for good: they still match, and sit at the front of the set. */
  failedIds: string[];
  /** Ids handled on the last page, in case the list still shows them for a moment. */
  recentIds: string[];
  total: number;
  /** The criteria fixed at the first run; absent in chains started before criteria were carried. */
  criteria?: CleanupCriteria;
}

/** Re-reads of a page that shows only users already handled, before the run gives up as `incomplete`. */
const maxStaleReads = 5;
const staleReadPause = '2 seconds';

/**
 * Patch of issue #13: each deletion is a read, the compare in the workflow, then the DELETE, one
 * Staffbase request per activity; runs started before keep the one two-call `deleteUserInStatus`.
 */
const ONE_REQUEST_PATCH = 'cleanup-one-request-steps';

/**
 * Deletes one listed user only while, read right before the DELETE (and at most
 * MAX_PRECONDITION_AGE_MS before it), it still meets the criteria.
 */
async function deleteIfStillMatching(
  staffbaseUserId: string,
  criteria: CleanupCriteria,
): Promise<'deleted' | 'already-gone' | 'no-longer-matching'> {
  const target = { staffbaseUserId, ...criteria };
  if (!patched(ONE_REQUEST_PATCH)) return staffbase.deleteUserInStatus(target);
  return deleteOnFreshRead({
    read: () => staffbase.readCleanupCandidate(staffbaseUserId),
    decide: (read) => cleanupVerdict(read, target),
    goAhead: (verdict): verdict is 'delete' => verdict === 'delete',
    remove: (readAt) => bulkActs.deleteCleanupAccount(staffbaseUserId, { readAt, precondition: criteria }),
  });
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
  const serviceThresholds = usesServiceThresholds();
  // "Older than N days" from workflow time: deterministic on replay, and fixed for the whole chain.
  const selection = cleanupSelectionOf(input, Date.now());
  const filter = carryOver?.filter ?? selection.filter;
  // A chain from before criteria were carried re-checks the status only (its cut-off is in `filter`).
  const criteria: CleanupCriteria = carryOver
    ? (carryOver.criteria ?? { status: selection.criteria.status })
    : selection.criteria;
  const failedIds = carryOver?.failedIds ?? [];
  const failedSet = new Set(failedIds);
  let recentIds = new Set(carryOver?.recentIds ?? []);
  const bulk = new BulkRun(
    {
      operation: `cleanup-${input.kind}`,
      dryRun: input.dryRun,
      filter,
      statuses: [criteria.status],
      confirmAbove: input.confirmAbove,
      label: 'Clean-up',
      confirmOnlyWhenAwaiting: serviceThresholds,
    },
    // The chain carries the failed users themselves; the count follows from them.
    { total: carryOver?.total, counters: carryOver && { ...carryOver, failed: failedIds.length } },
  );
  bulk.handleMessages();
  const statuses = [criteria.status];

  if (input.dryRun) {
    const page = await staffbase.listMatchingUsers({
      filter,
      statuses,
      offset: 0,
      limit: input.sampleSize,
      detail: 'summary',
    });
    if (page.result === 'invalid-filter') return bulk.finish('invalid-filter', { reason: page.reason });
    bulk.total = page.total;
    return bulk.finish('dry-run', { sample: page.summaries ?? [] });
  }

  // The worker's thresholds win when lower (patch `bulk-service-thresholds`).
  const { confirmAbove, maxFailures } = await bulkLimitsOf('cleanup', input, serviceThresholds);
  bulk.applyConfirmAbove(confirmAbove);

  let staleReads = 0;
  for (;;) {
    if (bulk.cancelled) return bulk.finish('cancelled');
    await bulk.continueAsNewIfDue(input.pagesPerRun, input, (): CleanupCarryOver => {
      // The chain carries the failed users themselves, not their count.
      const { failed: _failed, ...counters } = bulk.counters();
      return { filter, failedIds, recentIds: [...recentIds], total: bulk.total ?? 0, ...counters, criteria };
    });

    const page = await staffbase.listMatchingUsers({
      filter,
      statuses,
      offset: failedIds.length,
      limit: input.pageSize,
      detail: 'ids',
    });
    if (page.result === 'invalid-filter') return bulk.finish('invalid-filter', { reason: page.reason });
    // Everything counted so far plus what still matches (failed users are in both, once).
    const total = Math.max(bulk.total ?? 0, bulk.done + bulk.skipped + page.total);
    bulk.total = total;
    if (page.ids.length === 0) return bulk.finish('completed');

    const fresh = page.ids.filter((id) => !failedSet.has(id) && !recentIds.has(id));
    if (fresh.length === 0) {
      // The list still shows users handled a moment ago (a lagging index) or its order moved.
      staleReads += 1;
      if (staleReads > maxStaleReads) {
        return bulk.finish('incomplete', {
          reason: `The user list kept showing ${page.ids.length} already handled user(s); run the clean-up again later.`,
        });
      }
      await sleep(staleReadPause);
      continue;
    }
    staleReads = 0;

    // The safety threshold: pause before deleting more than `confirmAbove` users in this chain.
    if (
      !bulk.confirmed &&
      confirmAbove !== undefined &&
      (total > confirmAbove || bulk.done + fresh.length > confirmAbove)
    ) {
      if (!(await bulk.awaitConfirmation(total))) return bulk.finish('cancelled');
      continue; // the pause may have been long: read the front of the set again
    }
    bulk.phase = 'running';

    await bulk.eachUser(
      fresh,
      input.parallelism,
      async (staffbaseUserId) =>
        (await deleteIfStillMatching(staffbaseUserId, criteria)) === 'deleted' ? 'done' : 'skipped',
      (staffbaseUserId) => {
        failedIds.push(staffbaseUserId);
        failedSet.add(staffbaseUserId);
      },
    );
    recentIds = new Set(fresh);
    bulk.pageDone();
    if (failedIds.length > maxFailures) {
      return bulk.finish('too-many-failures', {
        reason: `${failedIds.length} deletions failed (the policy allows ${maxFailures}).`,
      });
    }
  }
}
