import { z } from 'zod';
import { DEFAULT_BULK_MAX_FAILURES, DEFAULT_CLEANUP_CONFIRM_ABOVE } from '../config/defaults';
import {
  calendarDateSchema,
  externalIdSchema,
  groupIdsSchema,
  localeSchema,
  personNameSchema,
  plainTextSchema,
  profileSchema,
} from './field-rules';
import { parenthesesAreBalanced, quotesAreClosed } from '../staffbase/filters';

/**
 * Support operations between joining and leaving (movers, recovery codes, forced logouts, clean-ups,
 * look-ups): the one definition of a valid request, and the organisation's policies for them, used by
 * the CLI, the HTTP API and the starters in `client/support-runs.ts`. Workflows import only the
 * *types* from here (this module loads zod). Requests become workflow inputs in support-inputs.ts;
 * their workflow IDs come from workflow-ids.ts, their filter text from staffbase/filters.ts.
 */

const reasonSchema = z.string().trim().max(500, 'must be at most 500 characters');

export const groupIdSchema = plainTextSchema(255);

/** The statuses Staffbase knows; a list filter without one means `activated` only. */
export const userStatusesSchema = z
  .array(z.enum(['pending', 'activated', 'deactivated'], 'must be pending, activated or deactivated'))
  .min(1, 'name at least one status')
  .max(3);
export type SupportUserStatus = 'pending' | 'activated' | 'deactivated';

/** A User API filter expression (SCIM-style), e.g. `staffbase.creationType eq "sso"`. */
export const userFilterSchema = plainTextSchema(2000)
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

/** Failures for good (non-retryable) after which a bulk run stops (BULK_MAX_FAILURES, the worker's). */
export const defaultMaxFailures = DEFAULT_BULK_MAX_FAILURES;

// --- 4. forced logout of a population -------------------------------------------------------------

/** Every user matching a User API filter, or every member of a group, is logged out everywhere. */
export const populationLogoutRequestSchema = z
  .strictObject({
    filter: userFilterSchema.optional(),
    groupId: groupIdSchema.optional(),
    /** Count and sample the population; change nothing. */
    dryRun: z.boolean().optional(),
    /**
     * Lower the worker's BULK_MAX_FAILURES for this run (never raise it): the run stops (result
     * `too-many-failures`) once more logouts than this failed for good.
     */
    maxFailures: z.number().int().min(0, 'must be 0 or more').max(10_000, 'must be at most 10000').optional(),
    /**
     * Lower the worker's safety threshold (LOGOUT_CONFIRM_ABOVE) for this run (never raise it): above
     * this many users the run pauses until confirmed (the bulk confirm route) or cancelled.
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
 * Thresholds a starter may copy into a bulk run's input (the worker's clean-up Schedule does). The HR
 * API and the CLI copy none: the workflow applies the lower of the input's and the worker's own
 * (config/bulk-safety.ts), so a starter can only lower them.
 */
export interface BulkStartLimits {
  confirmAbove?: number;
  maxFailures?: number;
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
   * Lower the worker's safety threshold (CLEANUP_CONFIRM_ABOVE) for this run (never raise it): above
   * this many deletions the run pauses until confirmed (the bulk confirm route) or cancelled.
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

/** The clean-up Schedule's thresholds (the worker's CLEANUP_CONFIRM_ABOVE, BULK_MAX_FAILURES), copied into its input. */
export const cleanupPolicySchema = z.strictObject({
  /** Above this many deletions a run pauses for an explicit confirmation. */
  confirmAbove: z.number().int().min(0).max(1_000_000),
  /** A run stops (result `too-many-failures`) once this many deletions failed for good. */
  maxFailures: z.number().int().min(0).max(10_000),
});
export type CleanupPolicy = z.infer<typeof cleanupPolicySchema>;

export const defaultCleanupPolicy: CleanupPolicy = {
  confirmAbove: DEFAULT_CLEANUP_CONFIRM_ABOVE,
  maxFailures: defaultMaxFailures,
};

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

/** A date (YYYY-MM-DD, midnight UTC) or an ISO date-time, as epoch milliseconds. */
export function toInstant(value: string): number {
  return Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
}
