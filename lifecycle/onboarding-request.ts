import { z } from 'zod';
import {
  DEFAULT_CANCEL_ACTION,
  DEFAULT_EXPIRE_AFTER_DAYS,
  DEFAULT_EXPIRED_ACTION,
  DEFAULT_INVITE_LEAD_TIME_DAYS,
  DEFAULT_INVITE_TIME_OF_DAY,
  DEFAULT_REHIRE_POLICY,
  DEFAULT_REMINDER_DAYS,
  DEFAULT_STATUS_CHECK_INTERVAL_MINUTES,
  DEFAULT_TIME_ZONE,
} from '../config/defaults';
import {
  calendarDateSchema,
  emailSchema,
  externalIdSchema,
  groupIdsSchema,
  localeSchema,
  personNameSchema,
  profileSchema,
  timeOfDaySchema,
  timeZoneSchema,
} from './field-rules';

/** When to remind a still-pending new hire, counted in days from the invitation. */
export const reminderPolicySchema = z
  .object({
    remindAfterDays: z
      .array(z.number().int().positive('reminder days must be positive'))
      .max(10, 'at most 10 reminders')
      .refine(
        (days) => days.every((day, i) => i === 0 || day > (days[i - 1] ?? 0)),
        'must be strictly increasing',
      ),
    expireAfterDays: z.number().int().positive(),
  })
  .refine((policy) => policy.expireAfterDays > (policy.remindAfterDays.at(-1) ?? 0), {
    message: 'expireAfterDays must come after the last reminder',
    path: ['expireAfterDays'],
  });
export type ReminderPolicy = z.infer<typeof reminderPolicySchema>;

/** One new hire, as HR describes them. The single definition used by CLI, HTTP API, CSV and workflow. */
export const onboardingRequestSchema = z.strictObject({
  externalID: externalIdSchema,
  userName: personNameSchema,
  firstName: personNameSchema,
  lastName: personNameSchema,
  email: emailSchema,
  startDate: calendarDateSchema.optional(),
  locale: localeSchema.optional(),
  groupIDs: groupIdsSchema.optional(),
  profile: profileSchema.optional(),
  /** Manager or HR contact: copied on reminders, told when the onboarding expires. */
  contactEmail: emailSchema.optional(),
  reminderPolicy: reminderPolicySchema.optional(),
});
export type OnboardingRequest = z.infer<typeof onboardingRequestSchema>;

/**
 * The organisation's onboarding rules, from configuration. The starter copies them into each run's
 * input, so a run keeps the rules it started with and its history shows them.
 */
export const onboardingPolicySchema = z.strictObject({
  /** Days before the start date on which the invitation goes out. */
  inviteLeadTimeDays: z.number().int().min(0).max(90),
  /** Local time of day for scheduled invitations, in `timeZone`. */
  inviteTimeOfDay: timeOfDaySchema,
  timeZone: timeZoneSchema,
  reminderPolicy: reminderPolicySchema,
  /** How often a pending account's status is checked when no `activated` signal arrives. */
  statusCheckIntervalMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60),
  /** A deactivated account with the same externalID: bring it back, or stop and tell HR. */
  rehirePolicy: z.enum(['reactivate', 'stop']),
  /** Never activated by the deadline: keep the pending account, or delete it. HR is told either way. */
  expiredAction: z.enum(['leave-pending', 'delete-pending']),
  /** Offer withdrawn: delete the pending account, or leave it. An activated account is never deleted. */
  cancelAction: z.enum(['delete-pending', 'leave-pending']),
});
export type OnboardingPolicy = z.infer<typeof onboardingPolicySchema>;

export const defaultOnboardingPolicy: OnboardingPolicy = {
  inviteLeadTimeDays: DEFAULT_INVITE_LEAD_TIME_DAYS,
  inviteTimeOfDay: DEFAULT_INVITE_TIME_OF_DAY,
  timeZone: DEFAULT_TIME_ZONE,
  reminderPolicy: { remindAfterDays: [...DEFAULT_REMINDER_DAYS], expireAfterDays: DEFAULT_EXPIRE_AFTER_DAYS },
  statusCheckIntervalMinutes: DEFAULT_STATUS_CHECK_INTERVAL_MINUTES,
  rehirePolicy: DEFAULT_REHIRE_POLICY,
  expiredAction: DEFAULT_EXPIRED_ACTION,
  cancelAction: DEFAULT_CANCEL_ACTION,
};
