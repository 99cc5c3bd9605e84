/**
 * Bodies and queries of the HTTP routes that are not a whole lifecycle request. Their fields reuse
 * the field rules of the lifecycle requests (`offboardingRequestSchema.shape.*`, `field-rules.ts`),
 * so "a valid reason" or "a valid retention" means the same here as in the CLI and CSV import.
 * Strict, like every request: an unknown field is an error, not silently ignored.
 */
import { z } from 'zod';
import { calendarDateSchema } from '../../lifecycle/field-rules';
import { offboardingRequestSchema } from '../../lifecycle/offboarding-request';

const offboardingFields = offboardingRequestSchema.shape;

/** `?rerun=true`: start again although an earlier run for this person completed (e.g. a rehire). */
export const startQuerySchema = z.strictObject({
  rerun: z.enum(['true', 'false'], 'must be true or false').optional(),
});

/** The HR system reports the new hire's activation; `source` shows in the run's history. */
export const activatedBodySchema = z.strictObject({
  source: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').optional(),
});

/** Cancel an onboarding (offer withdrawn) or an offboarding (reversal, rehire). */
export const cancelBodySchema = z.strictObject({ reason: offboardingFields.reason });

export const startDateBodySchema = z.strictObject({ startDate: calendarDateSchema });

export const legalHoldBodySchema = z.strictObject({
  reason: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters'),
});

/** delete-now, a legal hold's release: nothing, `{}`, or why (for the audit trail, e.g. a ticket number). */
export const actReasonBodySchema = z.strictObject({
  reason: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters').optional(),
});

/** For actions without input: nothing, or `{}`. */
export const emptyBodySchema = z.strictObject({});

/** A new retention: days after deactivation, or an explicit moment — exactly one of the two. */
export const retentionBodySchema = z
  .strictObject({
    retentionDays: offboardingFields.retentionDays,
    deleteAt: offboardingFields.deleteAt,
  })
  .refine((change) => change.retentionDays !== undefined || change.deleteAt !== undefined, {
    message: 'give retentionDays or deleteAt',
    path: ['retentionDays'],
  })
  .refine((change) => change.retentionDays === undefined || change.deleteAt === undefined, {
    message: 'give retentionDays or deleteAt, not both',
    path: ['deleteAt'],
  });

/** The lifecycle filter of `GET /v1/runs` and `GET /v1/people`. */
export const lifecycleFilterSchema = z.enum(
  ['onboarding', 'offboarding'],
  'must be onboarding or offboarding',
);

/** The stage filter of `GET /v1/runs` and `GET /v1/people`: a LifecycleStage value. */
export const stageFilterSchema = z
  .string()
  .trim()
  .regex(/^[a-z-]{1,50}$/, 'must be a stage name such as awaiting-activation or retention');

/** `GET /v1/runs` filters. */
export const listRunsQuerySchema = z.strictObject({
  lifecycle: lifecycleFilterSchema.optional(),
  /** A LifecycleStage value, e.g. awaiting-activation, retention, on-hold. */
  stage: stageFilterSchema.optional(),
  /** true (default): open runs only; false: closed runs too. */
  open: z.enum(['true', 'false'], 'must be true or false').optional(),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, 'must be a whole number from 1 to 1000')
    .refine((value) => Number(value) >= 1 && Number(value) <= 1000, 'must be a whole number from 1 to 1000')
    .optional(),
  /** Text in the externalID or the person's name (case-insensitive), among the `limit` newest runs. */
  q: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').optional(),
});
