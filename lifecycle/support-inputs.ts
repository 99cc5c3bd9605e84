/**
 * What the support workflows run on: each request (lifecycle/support-requests.ts, validated) turned
 * into its workflow input, with the defaults and the organisation's policy filled in and filters
 * normalised, so the workflow needs no defaults and no filter code of its own. Used by the starters
 * (client/support-runs.ts, worker/schedules.ts); workflows import only the types.
 */
import { groupMember, normalizeFilter } from '../staffbase/filters';
import {
  type BulkStartLimits,
  type CleanupKind,
  type GroupMembersLookupRequest,
  type PopulationLogoutRequest,
  type CleanupRequest,
  type SupportUserStatus,
  toInstant,
} from './support-requests';

// --- bulk runs ------------------------------------------------------------------------------------

/** How a bulk run pages and how long each run in its continue-as-new chain gets. */
export interface BulkTuning {
  pageSize: number;
  pagesPerRun: number;
  parallelism: number;
  sampleSize: number;
}

/**
 * Defaults: 100 users a page (Staffbase's own default) and 10 pages a run keep one run's history
 * at roughly 10 × (3 + 100 × 6) ≈ 6,000 events, far below Temporal's 51,200; 100,000 users make a
 * chain of ~100 runs whose carried state is a cursor, counters and one page of ids.
 */
export const defaultBulkTuning: BulkTuning = {
  pageSize: 100,
  pagesPerRun: 10,
  parallelism: 10,
  sampleSize: 10,
};

/** The lower of two optional limits; undefined when neither is set. */
function lowerOf(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  return b === undefined ? a : Math.min(a, b);
}

function tuningOf(request: Partial<BulkTuning>): BulkTuning {
  return {
    pageSize: request.pageSize ?? defaultBulkTuning.pageSize,
    pagesPerRun: request.pagesPerRun ?? defaultBulkTuning.pagesPerRun,
    parallelism: request.parallelism ?? defaultBulkTuning.parallelism,
    sampleSize: request.sampleSize ?? defaultBulkTuning.sampleSize,
  };
}

// --- forced logout of a population ----------------------------------------------------------------

/**
 * [choice] Only `activated` users are logged out, whatever the filter says: pending users have never
 * logged in (the first login activates them) and deactivation already ended every session.
 */
export const populationLogoutStatuses: readonly SupportUserStatus[] = ['activated'];

export interface PopulationLogoutInput extends BulkTuning {
  /** The normalised filter; `statuses` is ANDed onto it. */
  filter: string;
  /** Always `populationLogoutStatuses`; part of the input so that history shows it. */
  statuses: SupportUserStatus[];
  dryRun: boolean;
  /**
   * More failures than this stop the run: a revoked token must not "fail" 100,000 users one by one.
   * The run applies the lower of this and the worker's BULK_MAX_FAILURES; absent: the worker's.
   */
  maxFailures?: number;
  /**
   * Above this many users the run waits for a confirmation. The run applies the lower of this and
   * the worker's LOGOUT_CONFIRM_ABOVE; absent: the worker's (runs from before the threshold: none).
   */
  confirmAbove?: number;
  reason?: string;
}

/** The filter a population logout runs over, normalised (a group becomes `groups eq "<id>"`). */
export function populationFilterOf(request: Pick<PopulationLogoutRequest, 'filter' | 'groupId'>): string {
  if (request.groupId !== undefined) return groupMember(request.groupId.trim());
  return normalizeFilter(request.filter ?? '');
}

export function toPopulationLogoutInput(
  request: PopulationLogoutRequest,
  limits: BulkStartLimits = {},
): PopulationLogoutInput {
  const maxFailures = lowerOf(request.maxFailures, limits.maxFailures);
  const confirmAbove = lowerOf(request.confirmAbove, limits.confirmAbove);
  return {
    filter: populationFilterOf(request),
    statuses: [...populationLogoutStatuses],
    dryRun: request.dryRun ?? false,
    ...(maxFailures !== undefined && { maxFailures }),
    ...(confirmAbove !== undefined && { confirmAbove }),
    reason: request.reason,
    ...tuningOf(request),
  };
}

// --- clean-ups -------------------------------------------------------------------------------------

export interface CleanupInput extends BulkTuning {
  kind: CleanupKind;
  /** pending-accounts: created more than this many days before the run started. */
  olderThanDays?: number;
  /** deactivated-users: the window, as ISO instants. */
  deactivatedFrom?: string;
  deactivatedBefore?: string;
  dryRun: boolean;
  /**
   * Above this many deletions the run waits for a confirmation. The run applies the lower of this
   * and the worker's CLEANUP_CONFIRM_ABOVE; absent: the worker's.
   */
  confirmAbove?: number;
  /** The run applies the lower of this and the worker's BULK_MAX_FAILURES; absent: the worker's. */
  maxFailures?: number;
  reason?: string;
}

export function toCleanupInput(request: CleanupRequest, limits: BulkStartLimits = {}): CleanupInput {
  const maxFailures = limits.maxFailures;
  // The request may only lower a threshold; the workflow lowers it further to the worker's.
  const confirmAbove = lowerOf(request.confirmAbove, limits.confirmAbove);
  const common = {
    dryRun: request.dryRun ?? false,
    ...(confirmAbove !== undefined && { confirmAbove }),
    ...(maxFailures !== undefined && { maxFailures }),
    reason: request.reason,
    ...tuningOf(request),
  };
  if (request.kind === 'pending-accounts') {
    return { kind: request.kind, olderThanDays: request.olderThanDays, ...common };
  }
  return {
    kind: request.kind,
    deactivatedFrom: new Date(toInstant(request.deactivatedFrom)).toISOString(),
    deactivatedBefore: new Date(toInstant(request.deactivatedBefore)).toISOString(),
    ...common,
  };
}

// --- look-ups ---------------------------------------------------------------------------------------

export interface GroupMembersLookupInput {
  groupId: string;
  /** `groups eq "<groupId>"`, quoted here so the workflow needs no filter code. */
  filter: string;
  statuses: SupportUserStatus[];
  pageSize: number;
  limit: number;
}

export function toGroupMembersLookupInput(request: GroupMembersLookupRequest): GroupMembersLookupInput {
  return {
    groupId: request.groupId,
    filter: groupMember(request.groupId),
    statuses: request.statuses ?? ['pending', 'activated', 'deactivated'],
    pageSize: request.pageSize ?? 100,
    limit: request.limit ?? 200,
  };
}
