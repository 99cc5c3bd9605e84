/**
 * A leave of absence, as HR describes it: the single definition used by the CLI, the HTTP API and the
 * workflow (workflows/leave.ts). `until` is the first day back; absent, the leave is open-ended.
 */
import { z } from 'zod';
import type { OffboardingPolicy } from './offboarding-request';
import { calendarDateSchema, externalIdSchema } from './field-rules';

const untilAfterFrom = {
  check: (request: { from: string; until?: string }) =>
    request.until === undefined || request.until > request.from,
  params: { message: 'must be a day after from (the first day back)', path: ['until'] },
};

export const leaveRequestSchema = z
  .strictObject({
    externalID: externalIdSchema,
    /** The first day of the leave: the account is deactivated at the end of the working day before. */
    from: calendarDateSchema,
    /** The first day back: the account is reactivated at its start. Absent: until ended. */
    until: calendarDateSchema.optional(),
    reason: z.string().trim().max(500, 'must be at most 500 characters').optional(),
  })
  .refine(untilAfterFrom.check, untilAfterFrom.params);
export type LeaveRequest = z.infer<typeof leaveRequestSchema>;

/** `POST /v1/leaves/{externalID}/until` and `leave-until`: the new first day back. */
export const leaveUntilSchema = z.strictObject({ until: calendarDateSchema });

/** A leave's clock: the offboarding's end of the working day, in the policy time zone. */
export type LeavePolicy = Pick<OffboardingPolicy, 'endOfWorkingDay' | 'timeZone'>;

export function leavePolicyOf(offboarding: OffboardingPolicy): LeavePolicy {
  return { endOfWorkingDay: offboarding.endOfWorkingDay, timeZone: offboarding.timeZone };
}
