import { z } from 'zod';

/** Field rules shared by every lifecycle request, so the CLI, HTTP API and CSV import agree on "valid". */

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const noControlCharacters = (value: string) => !/[\u0000-\u001f\u007f]/.test(value);

export const externalIdSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .refine(noControlCharacters, 'must not contain control characters');

export const personNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .refine(noControlCharacters, 'must not contain control characters');

export const emailSchema = z.string().trim().pipe(z.email('must be an email address'));

/** A calendar date such as 2027-01-15 (no time, no zone: the policy's time zone gives it a time). */
export const calendarDateSchema = z.iso.date('must be a date in the form YYYY-MM-DD');

/** Staffbase locales look like en_US or de_DE; a bare language (de) is accepted too. */
export const localeSchema = z
  .string()
  .trim()
  .regex(/^[a-z]{2}(_[A-Z]{2})?$/, 'must look like en_US or de');

export const groupIdsSchema = z
  .array(z.string().trim().min(1, 'group ids must not be empty'))
  .max(100, 'at most 100 groups');

/** Custom profile fields (department, position, …): flat strings, as Staffbase profiles are. */
export const profileSchema = z.record(
  z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9_.-]+$/, 'profile field names use letters, digits, _ . -'),
  z.string().max(1000),
);

export const timeZoneSchema = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Europe/Berlin');

export const timeOfDaySchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM');
