import { z } from 'zod';
import {
  calendarDateSchema,
  externalIdSchema,
  groupIdsSchema,
  localeSchema,
  personNameSchema,
  profileSchema,
} from './field-rules';

/**
 * Support operations between joining and leaving (movers, recovery codes, forced logouts, clean-ups,
 * look-ups): the one definition of a valid request, used by the CLI, the HTTP API and the starters in
 * `client/support-runs.ts`. Workflows import only the *types* from here (this module loads zod); the
 * starters turn a request into a workflow input with the `to…Input` functions below.
 */

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const hasNoControlCharacters = (value: string) => !/[\u0000-\u001f\u007f]/.test(value);

const reasonSchema = z.string().trim().max(500, 'must be at most 500 characters');

export const groupIdSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .refine(hasNoControlCharacters, 'must not contain control characters');

/** The statuses Staffbase knows; a list filter without one means `activated` only. */
export const userStatusesSchema = z
  .array(z.enum(['pending', 'activated', 'deactivated'], 'must be pending, activated or deactivated'))
  .min(1, 'name at least one status')
  .max(3);
export type SupportUserStatus = 'pending' | 'activated' | 'deactivated';

/** A User API filter expression (SCIM-style), e.g. `staffbase.creationType eq "sso"`. */
export const userFilterSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(2000, 'must be at most 2000 characters')
  .refine(hasNoControlCharacters, 'must not contain control characters')
  .refine((filter) => quotesAreClosed(filter), 'has an unclosed double quote')
  // Refused at the edge: Staffbase's reading of an unbalanced filter is undocumented, and a mass
  // action must never run over a population that is broader than the filter reads.
  .refine((filter) => parenthesesAreBalanced(filter), 'has unbalanced parentheses');

// --- 1. mover -----------------------------------------------------------------------------------

/**
 * A change for one person (a "mover"): only the fields given change; `addToGroups` adds memberships
 * and never removes any. Re-running the same change changes nothing more.
 */
export const moverRequestSchema = z
  .strictObject({
    externalID: externalIdSchema,
    firstName: personNameSchema.optional(),
    lastName: personNameSchema.optional(),
    locale: localeSchema.optional(),
    /** Custom profile fields to set (department, position, …); fields not named keep their value. */
    profile: profileSchema.optional(),
    addToGroups: groupIdsSchema.optional(),
    reason: reasonSchema.optional(),
  })
  .refine(
    (request) =>
      request.firstName !== undefined ||
      request.lastName !== undefined ||
      request.locale !== undefined ||
      (request.profile !== undefined && Object.keys(request.profile).length > 0) ||
      (request.addToGroups !== undefined && request.addToGroups.length > 0),
    {
      message: 'give at least one change: firstName, lastName, locale, profile or addToGroups',
      path: ['profile'],
    },
  );
export type MoverRequest = z.infer<typeof moverRequestSchema>;

// --- 2. + 3. one person ---------------------------------------------------------------------------

export const recoveryCodeRequestSchema = z.strictObject({
  externalID: externalIdSchema,
  reason: reasonSchema.optional(),
});
export type RecoveryCodeRequest = z.infer<typeof recoveryCodeRequestSchema>;

export const userLogoutRequestSchema = z.strictObject({
  externalID: externalIdSchema,
  reason: reasonSchema.optional(),
});
export type UserLogoutRequest = z.infer<typeof userLogoutRequestSchema>;

// --- bulk runs --------------------------------------------------------------------------------------

/** How a bulk run pages and how long each run in its continue-as-new chain gets. */
const bulkTuningShape = {
  /** Users per page (one list call per page). */
  pageSize: z.number().int().min(1, 'must be at least 1').max(1000, 'must be at most 1000').optional(),
  /** Pages per workflow run; then the run continues as new, carrying its cursor and counters. */
  pagesPerRun: z.number().int().min(1, 'must be at least 1').max(1000, 'must be at most 1000').optional(),
  /** How many users of a page are handled at once (the worker's rate limit still caps the calls). */
  parallelism: z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100').optional(),
  /** How many affected users a dry run lists. */
  sampleSize: z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100').optional(),
};

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
/** Failures for good (non-retryable) after which a bulk run stops. */
export const defaultMaxFailures = 100;

export const defaultBulkTuning: BulkTuning = {
  pageSize: 100,
  pagesPerRun: 10,
  parallelism: 10,
  sampleSize: 10,
};

function tuningOf(request: Partial<BulkTuning>): BulkTuning {
  return {
    pageSize: request.pageSize ?? defaultBulkTuning.pageSize,
    pagesPerRun: request.pagesPerRun ?? defaultBulkTuning.pagesPerRun,
    parallelism: request.parallelism ?? defaultBulkTuning.parallelism,
    sampleSize: request.sampleSize ?? defaultBulkTuning.sampleSize,
  };
}

// --- 4. forced logout of a population -------------------------------------------------------------

/** Every user matching a User API filter, or every member of a group, is logged out everywhere. */
export const populationLogoutRequestSchema = z
  .strictObject({
    filter: userFilterSchema.optional(),
    groupId: groupIdSchema.optional(),
    /** Count and sample the population; change nothing. */
    dryRun: z.boolean().optional(),
    /** The run stops (result `too-many-failures`) once more logouts than this failed for good. */
    maxFailures: z.number().int().min(0, 'must be 0 or more').max(10_000, 'must be at most 10000').optional(),
    /**
     * Lower the safety threshold for this run (never raise it): above this many users the run pauses
     * until a `confirmDeletions` signal (the bulk confirm route) or a `cancel`.
     */
    confirmAbove: z.number().int().min(0, 'must be 0 or more').max(1_000_000).optional(),
    reason: reasonSchema.optional(),
    ...bulkTuningShape,
  })
  .refine((request) => (request.filter === undefined) !== (request.groupId === undefined), {
    message: 'give filter or groupId (exactly one)',
    path: ['filter'],
  });
export type PopulationLogoutRequest = z.infer<typeof populationLogoutRequestSchema>;

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
  /** More failures than this stop the run: a revoked token must not "fail" 100,000 users one by one. */
  maxFailures: number;
  /** Above this many users the run waits for a confirmation; absent in runs from before the threshold. */
  confirmAbove?: number;
  reason?: string;
}

/** The organisation's population-logout rule (LOGOUT_CONFIRM_ABOVE), copied into each run's input. */
export interface PopulationLogoutPolicy {
  confirmAbove: number;
}

export const defaultPopulationLogoutPolicy: PopulationLogoutPolicy = { confirmAbove: 50 };

/** The filter a population logout runs over, normalised (a group becomes `groups eq "<id>"`). */
export function populationFilterOf(request: Pick<PopulationLogoutRequest, 'filter' | 'groupId'>): string {
  if (request.groupId !== undefined) return `groups eq ${quoteFilterValue(request.groupId.trim())}`;
  return normalizeFilter(request.filter ?? '');
}

export function toPopulationLogoutInput(
  request: PopulationLogoutRequest,
  policy: PopulationLogoutPolicy = defaultPopulationLogoutPolicy,
): PopulationLogoutInput {
  return {
    filter: populationFilterOf(request),
    statuses: [...populationLogoutStatuses],
    dryRun: request.dryRun ?? false,
    maxFailures: request.maxFailures ?? defaultMaxFailures,
    confirmAbove: Math.min(request.confirmAbove ?? policy.confirmAbove, policy.confirmAbove),
    reason: request.reason,
    ...tuningOf(request),
  };
}

// --- 5. clean-ups -------------------------------------------------------------------------------------

const instantSchema = z.union(
  [calendarDateSchema, z.iso.datetime({ offset: true })],
  'must be a date (YYYY-MM-DD, midnight UTC) or an ISO date-time such as 2027-01-31T17:00:00Z',
);

const cleanupShape = {
  /** Count and sample who would be deleted; delete nothing. */
  dryRun: z.boolean().optional(),
  /**
   * Lower the policy's safety threshold for this run (never raise it): above this many deletions
   * the run pauses until a `confirmDeletions` signal (or a `cancel`).
   */
  confirmAbove: z.number().int().min(0, 'must be 0 or more').max(1_000_000).optional(),
  reason: reasonSchema.optional(),
  ...bulkTuningShape,
};

/** Staffbase's guidance: pending accounts whose invitation was never accepted for N days. */
export const pendingAccountsCleanupRequestSchema = z.strictObject({
  kind: z.literal('pending-accounts'),
  /** Delete pending accounts created more than this many days ago (counted from the run's start). */
  olderThanDays: z.number().int().min(1, 'must be at least 1').max(3650, 'must be at most 3650'),
  ...cleanupShape,
});

/** Staffbase's guidance: users deactivated within a date window, [from, before). */
export const deactivatedUsersCleanupRequestSchema = z
  .strictObject({
    kind: z.literal('deactivated-users'),
    deactivatedFrom: instantSchema,
    deactivatedBefore: instantSchema,
    ...cleanupShape,
  })
  .refine((request) => toInstant(request.deactivatedFrom) < toInstant(request.deactivatedBefore), {
    message: 'must be after deactivatedFrom',
    path: ['deactivatedBefore'],
  });

export const cleanupRequestSchema = z.discriminatedUnion('kind', [
  pendingAccountsCleanupRequestSchema,
  deactivatedUsersCleanupRequestSchema,
]);
export type CleanupRequest = z.infer<typeof cleanupRequestSchema>;
export type CleanupKind = CleanupRequest['kind'];

/** The organisation's clean-up rules, from configuration (copied into each run's input). */
export const cleanupPolicySchema = z.strictObject({
  /** Above this many deletions a run pauses for an explicit confirmation. */
  confirmAbove: z.number().int().min(0).max(1_000_000),
  /** A run stops (result `too-many-failures`) once this many deletions failed for good. */
  maxFailures: z.number().int().min(0).max(10_000),
});
export type CleanupPolicy = z.infer<typeof cleanupPolicySchema>;

export const defaultCleanupPolicy: CleanupPolicy = { confirmAbove: 50, maxFailures: defaultMaxFailures };

export interface CleanupInput extends BulkTuning {
  kind: CleanupKind;
  /** pending-accounts: created more than this many days before the run started. */
  olderThanDays?: number;
  /** deactivated-users: the window, as ISO instants. */
  deactivatedFrom?: string;
  deactivatedBefore?: string;
  dryRun: boolean;
  confirmAbove: number;
  maxFailures: number;
  reason?: string;
}

export function toCleanupInput(request: CleanupRequest, policy: CleanupPolicy): CleanupInput {
  const common = {
    dryRun: request.dryRun ?? false,
    // The request may only lower the configured threshold.
    confirmAbove: Math.min(request.confirmAbove ?? policy.confirmAbove, policy.confirmAbove),
    maxFailures: policy.maxFailures,
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

// --- 6. look-ups ------------------------------------------------------------------------------------------

export const userLookupRequestSchema = z.strictObject({ externalID: externalIdSchema });
export type UserLookupRequest = z.infer<typeof userLookupRequestSchema>;

export const groupMembersLookupRequestSchema = z.strictObject({
  groupId: groupIdSchema,
  /** Default: every status (a group's pending and deactivated members are members too). */
  statuses: userStatusesSchema.optional(),
  pageSize: z.number().int().min(1, 'must be at least 1').max(200, 'must be at most 200').optional(),
  /** At most this many members are returned (`truncated` says when there were more). */
  limit: z.number().int().min(1, 'must be at least 1').max(1000, 'must be at most 1000').optional(),
});
export type GroupMembersLookupRequest = z.infer<typeof groupMembersLookupRequestSchema>;

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
    filter: `groups eq ${quoteFilterValue(request.groupId)}`,
    statuses: request.statuses ?? ['pending', 'activated', 'deactivated'],
    pageSize: request.pageSize ?? 100,
    limit: request.limit ?? 200,
  };
}

// --- workflow IDs -----------------------------------------------------------------------------------------

export type SupportOperation =
  | 'mover'
  | 'recovery-code'
  | 'user-logout'
  | 'population-logout'
  | 'cleanup'
  | 'user-lookup'
  | 'group-lookup';

/** One open run per person and operation: a second trigger finds the open run. */
export function personSupportWorkflowId(
  operation: 'mover' | 'recovery-code' | 'user-logout' | 'user-lookup',
  externalID: string,
): string {
  return `${operation}-${externalID}`;
}

/**
 * One population logout per filter at a time: the ID carries a stable hash of the normalised filter
 * (`populationFilterOf`), so the same filter written with other spacing finds the open run. A dry run
 * has IDs of its own: it neither blocks nor waits for the real run.
 */
export function populationLogoutWorkflowId(input: Pick<PopulationLogoutInput, 'filter' | 'dryRun'>): string {
  return `population-logout-${input.dryRun ? 'dry-run-' : ''}${stableHash(input.filter)}`;
}

/**
 * [choice] One clean-up per kind at a time (two overlapping windows would race for the same users);
 * dry runs are keyed by their whole input, so different dry runs can run side by side.
 */
export function cleanupWorkflowId(input: CleanupInput): string {
  if (!input.dryRun) return `cleanup-${input.kind}`;
  const key = [input.kind, input.olderThanDays, input.deactivatedFrom, input.deactivatedBefore].join('|');
  return `cleanup-${input.kind}-dry-run-${stableHash(key)}`;
}

export function groupLookupWorkflowId(input: GroupMembersLookupInput): string {
  const key = [input.groupId, [...input.statuses].sort().join(','), input.pageSize, input.limit].join('|');
  return `group-lookup-${stableHash(key)}`;
}

// --- pure helpers (no Node built-ins: usable anywhere) ------------------------------------------------------

/** FNV-1a, 64 bit, over the UTF-16 code units: 16 hex characters, stable across processes and versions. */
export function stableHash(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

/**
 * The same filter written differently gets the same text: outside quoted values, runs of whitespace
 * become one space, and space just inside parentheses goes. Quoted values are kept exactly.
 */
export function normalizeFilter(filter: string): string {
  let out = '';
  let inQuote = false;
  let pendingSpace = false;
  for (let i = 0; i < filter.length; i += 1) {
    const char = filter[i] ?? '';
    if (inQuote) {
      out += char;
      if (char === '\\' && i + 1 < filter.length) {
        out += filter[i + 1] ?? '';
        i += 1;
      } else if (char === '"') {
        inQuote = false;
      }
      continue;
    }
    if (/\s/.test(char)) {
      pendingSpace = out.length > 0;
      continue;
    }
    if (pendingSpace && char !== ')' && !out.endsWith('(')) out += ' ';
    pendingSpace = false;
    out += char;
    if (char === '"') inQuote = true;
  }
  return out;
}

/** A filter string literal: double quotes, `\` and `"` escaped (as the client's filters.ts does). */
export function quoteFilterValue(value: string): string {
  return `"${value.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}

/** Every `(` outside quoted values has its `)`, in order. */
function parenthesesAreBalanced(filter: string): boolean {
  let depth = 0;
  let inQuote = false;
  for (let i = 0; i < filter.length; i += 1) {
    const char = filter[i];
    if (inQuote && char === '\\') i += 1;
    else if (char === '"') inQuote = !inQuote;
    else if (!inQuote && char === '(') depth += 1;
    else if (!inQuote && char === ')') {
      depth -= 1;
      if (depth < 0) return false;
    }
  }
  return depth === 0;
}

function quotesAreClosed(filter: string): boolean {
  let inQuote = false;
  for (let i = 0; i < filter.length; i += 1) {
    const char = filter[i];
    if (inQuote && char === '\\') i += 1;
    else if (char === '"') inQuote = !inQuote;
  }
  return !inQuote;
}

function toInstant(value: string): number {
  return Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
}
