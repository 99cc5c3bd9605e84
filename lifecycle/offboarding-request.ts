import { z } from 'zod';
import { DEFAULT_END_OF_WORKING_DAY, DEFAULT_RETENTION_DAYS, DEFAULT_TIME_ZONE } from '../config/defaults';
import { calendarDateSchema, externalIdSchema, timeOfDaySchema, timeZoneSchema } from './field-rules';

const offboardingRequestFields = {
  externalID: externalIdSchema,
  /** The last day the person works; the run starts at the end of it. Absent or past: at once. */
  lastWorkingDay: calendarDateSchema.optional(),
  /** Days between deactivation and deletion; the policy's default when absent. */
  retentionDays: z.number().int().min(0, 'must be 0 or more').max(3650, 'must be at most 3650').optional(),
  /** An explicit moment for the deletion (ISO date-time with zone), instead of retentionDays. */
  deleteAt: z.iso
    .datetime({ offset: true, message: 'must be an ISO date-time such as 2027-01-31T17:00:00Z' })
    .optional(),
  reason: z.string().trim().max(500, 'must be at most 500 characters').optional(),
};

const oneDeadlineRule = {
  check: (request: { retentionDays?: number; deleteAt?: string }) =>
    request.retentionDays === undefined || request.deleteAt === undefined,
  params: { message: 'give retentionDays or deleteAt, not both', path: ['deleteAt'] },
};

/** One leaver, as HR describes them. The single definition used by CLI, HTTP API, CSV and workflow. */
export const offboardingRequestSchema = z
  .strictObject(offboardingRequestFields)
  .refine(oneDeadlineRule.check, oneDeadlineRule.params);
export type OffboardingRequest = z.infer<typeof offboardingRequestSchema>;

/**
 * Where an offboarding's look-up of the account waits (lifecycle/priority-lanes.ts): `urgent` (default)
 * for a leaver HR starts alone, `bulk` for a file of leavers (an import), whose look-ups are batched
 * 50 to a request. Log-out and deactivation stay urgent either way. A priority hint, not authority:
 * any caller may choose it.
 */
export const offboardingLaneSchema = z.enum(['urgent', 'bulk'], 'must be urgent or bulk');
export type OffboardingLane = z.infer<typeof offboardingLaneSchema>;

/** `POST /v1/offboardings`: the leaver, and the lane of their look-up. */
export const offboardingStartBodySchema = z
  .strictObject({ ...offboardingRequestFields, lane: offboardingLaneSchema.optional() })
  .refine(oneDeadlineRule.check, oneDeadlineRule.params);

export const offboardingPolicySchema = z.strictObject({
  retentionDays: z.number().int().min(0).max(3650),
  /** The last working day ends at this local time, in `timeZone`. */
  endOfWorkingDay: timeOfDaySchema,
  timeZone: timeZoneSchema,
});
export type OffboardingPolicy = z.infer<typeof offboardingPolicySchema>;

export const defaultOffboardingPolicy: OffboardingPolicy = {
  retentionDays: DEFAULT_RETENTION_DAYS,
  endOfWorkingDay: DEFAULT_END_OF_WORKING_DAY,
  timeZone: DEFAULT_TIME_ZONE,
};

/** A new retention while the deletion waits: days after deactivation, or an explicit moment. */
export const retentionChangeSchema = z.union([
  z.strictObject({ retentionDays: z.number().int().min(0).max(3650) }),
  z.strictObject({ deleteAt: z.iso.datetime({ offset: true }) }),
]);
export type RetentionChange = z.infer<typeof retentionChangeSchema>;
