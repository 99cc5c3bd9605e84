import { patched, sleep } from '@temporalio/workflow';
import type { UserSummary } from '../activities/support-views';
import type { SkippedAccount, SkippedCounts } from '../lifecycle/cleanup-holds';
import { type CleanupCriteria, cleanupSelectionOf } from '../lifecycle/support-guards';
import type { CleanupInput } from '../lifecycle/support-inputs';
import { bulkStaffbase as staffbase } from './bulk-activities';
import { bulkLimitsOf, usesServiceThresholds } from './bulk-limits';
import { HeldAccounts } from './cleanup-held-accounts';
import { type BulkCounters, BulkRun } from './bulk-run';
import { personRuns } from './person-runs';
import { deleteIfStillMatching } from './support-cleanup-deletion';
import type { BulkOutcome, BulkResult, SampledUser } from './support-messages';

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
  /**
   * Users left alone because an open run of the person holds them: they still match, and sit at the
   * front of the set with the failed ones (absent before `cleanup-skips-held-people`).
   */
  heldIds?: string[];
  /** The first of them with the reason, and the counts by reason, for the outcome. */
  skippedAccounts?: SkippedAccount[];
  skippedFor?: SkippedCounts;
}

/** Re-reads of a page that shows only users already handled, before the run gives up as `incomplete`. */
const maxStaleReads = 5;
const staleReadPause = '2 seconds';

/**
 * Patch of issue #24: before each deletion (and in a dry run's sample) the clean-up asks Temporal
 * whether an open run of the person holds the account — an offboarding under a legal hold, one still
 * in retention, an open onboarding — and leaves it alone, listing it with the reason. The page lists
 * the users' externalIDs for it; pages listed before the patch delete as before.
 */
const SKIPS_HELD_PEOPLE_PATCH = 'cleanup-skips-held-people';

/** A dry run's sample, each user marked when an open run of the person would keep the account. */
async function sampleWithHolds(sample: UserSummary[], held: HeldAccounts): Promise<SampledUser[]> {
  if (!patched(SKIPS_HELD_PEOPLE_PATCH)) return sample;
  return Promise.all(
    sample.map(async (user): Promise<SampledUser> => {
      const externalID = user.externalID;
      if (!externalID) return user;
      const hold = await personRuns.findCleanupHold(externalID);
      if (!hold) return user;
      held.note({ staffbaseUserId: user.id, externalID, reason: hold.reason }, { inSet: false });
      return { ...user, skipReason: hold.reason };
    }),
  );
}

/**
 * Staffbase's clean-up guidance as a bulk run: delete pending accounts older than N days, or users
 * deactivated within a date window. Dry run, progress by query, and a safety threshold: when more
 * than `confirmAbove` users would be deleted, the run pauses before deleting (phase
 * `awaiting-confirmation`) until a `confirmDeletions` signal, or a `cancel`.
 *
 * People first: an account whose person has an open run that decides about it (a legal hold, an
 * offboarding in retention, an open onboarding) is left alone and listed with the reason in the
 * outcome (`skippedAccounts`) and, for a dry run, in its sample (`cleanup-skips-held-people`).
 *
 * Paging: deleting shrinks the very set being paged, so growing offsets would skip users. The run
 * always re-reads the *front* of the still-matching set instead. Deleted users leave it; users whose
 * deletion failed for good, and held users, stay, and in the server's stable order they are exactly
 * the first `failedIds.length + heldIds.length` users (everything before them on their page was
 * deleted), so each read starts at that offset. Nothing is skipped, nothing already deleted is asked
 * for again (a 404 would count as done anyway), and users appearing meanwhile are picked up by a
 * later read.
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
  const held = new HeldAccounts(carryOver);
  // Every outcome lists the accounts left alone for a person's open run, when there were any.
  const finish = (result: BulkResult, extra: Pick<BulkOutcome, 'sample' | 'reason'> = {}) =>
    bulk.finish(result, { ...extra, ...held.report() });

  if (input.dryRun) {
    const page = await staffbase.listMatchingUsers({
      filter,
      statuses,
      offset: 0,
      limit: input.sampleSize,
      detail: 'summary',
    });
    if (page.result === 'invalid-filter') return finish('invalid-filter', { reason: page.reason });
    bulk.total = page.total;
    return finish('dry-run', { sample: await sampleWithHolds(page.summaries ?? [], held) });
  }

  // The worker's thresholds win when lower (patch `bulk-service-thresholds`).
  const { confirmAbove, maxFailures } = await bulkLimitsOf('cleanup', input, serviceThresholds);
  bulk.applyConfirmAbove(confirmAbove);

  let staleReads = 0;
  for (;;) {
    if (bulk.cancelled) return finish('cancelled');
    await bulk.continueAsNewIfDue(input.pagesPerRun, input, (): CleanupCarryOver => {
      // The chain carries the failed users themselves, not their count.
      const { failed: _failed, ...counters } = bulk.counters();
      return {
        filter,
        failedIds,
        recentIds: [...recentIds],
        total: bulk.total ?? 0,
        ...counters,
        criteria,
        ...held.carried(),
      };
    });

    const page = await staffbase.listMatchingUsers({
      filter,
      statuses,
      // Failed and held users stay in the set, at its front: start behind them.
      offset: failedIds.length + held.ids.length,
      limit: input.pageSize,
      detail: 'ids',
      ...(patched(SKIPS_HELD_PEOPLE_PATCH) && { withExternalIDs: true }),
    });
    if (page.result === 'invalid-filter') return finish('invalid-filter', { reason: page.reason });
    // Everything counted so far plus what still matches (failed users are in both, once; held users
    // are counted as skipped and still match, so once only).
    const total = Math.max(bulk.total ?? 0, bulk.done + bulk.skipped - held.ids.length + page.total);
    bulk.total = total;
    if (page.ids.length === 0) return finish('completed');

    const fresh = page.ids.filter((id) => !failedSet.has(id) && !held.idSet.has(id) && !recentIds.has(id));
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
    if (
      !bulk.confirmed &&
      confirmAbove !== undefined &&
      (total > confirmAbove || bulk.done + fresh.length > confirmAbove)
    ) {
      if (!(await bulk.awaitConfirmation(total))) return finish('cancelled');
      continue; // the pause may have been long: read the front of the set again
    }
    bulk.phase = 'running';

    // Pages listed past the patch carry the users' externalIDs: their people's open runs are asked.
    const externalIDs = page.externalIDs;
    await bulk.eachUser(
      fresh,
      input.parallelism,
      async (staffbaseUserId) => {
        const listedExternalID = externalIDs && (externalIDs[staffbaseUserId] ?? null);
        const result = await deleteIfStillMatching(staffbaseUserId, criteria, listedExternalID);
        if (typeof result === 'object') {
          held.note({ staffbaseUserId, externalID: result.externalID, reason: result.held.reason });
          return 'skipped';
        }
        return result === 'deleted' ? 'done' : 'skipped';
      },
      (staffbaseUserId) => {
        failedIds.push(staffbaseUserId);
        failedSet.add(staffbaseUserId);
      },
    );
    recentIds = new Set(fresh);
    bulk.pageDone();
    if (failedIds.length > maxFailures) {
      return finish('too-many-failures', {
        reason: `${failedIds.length} deletions failed (the policy allows ${maxFailures}).`,
      });
    }
  }
}
