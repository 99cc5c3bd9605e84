import { patched } from '@temporalio/workflow';
import type { MatchingUsersPage } from '../activities/support-activities';
import type { PopulationLogoutInput } from '../lifecycle/support-inputs';
import { bulkStaffbase as staffbase } from './bulk-activities';
import { bulkLimitsOf, usesServiceThresholds } from './bulk-limits';
import { type BulkCounters, BulkRun } from './bulk-run';
import type { BulkOutcome } from './support-messages';

/** Where the previous run of the chain stopped: the cursor, the counters, the last page's ids. */
export interface PopulationLogoutCarryOver extends Omit<BulkCounters, 'confirmed'> {
  /** Offset of the next page. */
  offset: number;
  /** `total` of the last page read, to notice deletions that shift offsets. */
  lastTotal: number;
  /** Ids of the last page handled: re-read ones (after a shift) are not logged out twice. */
  recentIds: string[];
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
  const serviceThresholds = usesServiceThresholds();
  const bulk = new BulkRun(
    {
      operation: 'population-logout',
      dryRun: input.dryRun,
      filter,
      statuses,
      confirmAbove: input.confirmAbove,
      label: 'Population logout',
      confirmOnlyWhenAwaiting: serviceThresholds,
    },
    { total: carryOver?.lastTotal, counters: carryOver },
  );
  bulk.handleMessages();
  let offset = carryOver?.offset ?? 0;
  let recentIds = new Set(carryOver?.recentIds ?? []);

  const readPage = (at: number, limit: number, detail: 'ids' | 'summary'): Promise<MatchingUsersPage> =>
    staffbase.listMatchingUsers({ filter, statuses, offset: at, limit, detail });

  // A dry run counts and samples: one list call, nothing changes.
  if (input.dryRun) {
    const page = await readPage(0, input.sampleSize, 'summary');
    if (page.result === 'invalid-filter') return bulk.finish('invalid-filter', { reason: page.reason });
    bulk.total = page.total;
    return bulk.finish('dry-run', { sample: page.summaries ?? [] });
  }

  // The worker's thresholds win when lower (patch `bulk-service-thresholds`).
  const limits = await bulkLimitsOf('population-logout', input, serviceThresholds);
  bulk.applyConfirmAbove(limits.confirmAbove);

  for (;;) {
    if (bulk.cancelled) return bulk.finish('cancelled');
    await bulk.continueAsNewIfDue(input.pagesPerRun, input, (): PopulationLogoutCarryOver => ({
      offset,
      lastTotal: bulk.total ?? 0,
      recentIds: [...recentIds],
      ...bulk.counters(),
    }));

    let page = await readPage(offset, input.pageSize, 'ids');
    if (page.result === 'invalid-filter') return bulk.finish('invalid-filter', { reason: page.reason });
    if (bulk.total !== undefined && page.total < bulk.total && offset > 0) {
      // Users before the cursor may have been deleted: step back by the shrink (at most one page,
      // which `recentIds` covers) and re-read.
      const back = Math.min(bulk.total - page.total, input.pageSize, offset);
      offset -= back;
      page = await readPage(offset, input.pageSize, 'ids');
      if (page.result === 'invalid-filter') return bulk.finish('invalid-filter', { reason: page.reason });
    }
    bulk.total = page.total;
    // The safety threshold, as for clean-ups: a population larger than `confirmAbove` (a filter
    // broader than meant) waits for a confirmation, or a cancel, before anyone is logged out.
    if (
      !bulk.confirmed &&
      limits.confirmAbove !== undefined &&
      page.total > limits.confirmAbove &&
      patched(CONFIRM_ABOVE_PATCH) &&
      !(await bulk.awaitConfirmation(page.total))
    ) {
      return bulk.finish('cancelled');
    }
    bulk.phase = 'running';

    await bulk.eachUser(
      page.ids.filter((id) => !recentIds.has(id)),
      input.parallelism,
      async (staffbaseUserId) =>
        (await staffbase.logoutUserById(staffbaseUserId)) === 'logged-out' ? 'done' : 'skipped',
    );
    if (bulk.cancelled) return bulk.finish('cancelled');

    bulk.pageDone();
    if (bulk.failed > limits.maxFailures) {
      return bulk.finish('too-many-failures', {
        reason: `${bulk.failed} logouts failed (at most ${limits.maxFailures} allowed); see failures.`,
      });
    }
    recentIds = new Set(page.ids);
    offset += page.ids.length;
    if (page.ids.length === 0 || offset >= page.total) return bulk.finish('completed');
  }
}
