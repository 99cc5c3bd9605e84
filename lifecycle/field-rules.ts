import { z } from 'zod';

/** Field rules shared by every lifecycle request, so the CLI, HTTP API and CSV import agree on "valid". */

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const noControlCharacters = (value: string) => !/[\u0000-\u001f\u007f]/.test(value);

const codePoint = (char: string) =>
  `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Half of a surrogate pair without its other half: not text (String.isWellFormed is not in our lib yet). */
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** C1 control characters (U+0080–U+009F): invisible, and never typed on purpose. */
const c1Control = /[\u0080-\u009f]/u;
/** Bidirectional text controls: they reorder what a person sees, so two different ids can look alike. */
const bidiControl = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/**
 * Zero-width and other invisible formatting characters (Unicode category Cf: U+200B–U+200D, U+2060,
 * U+FEFF, U+00AD, tags, …): an id with one looks like an id without it, but is another id.
 */
const invisibleFormat = /\p{Cf}/u;

/**
 * Why an externalID is refused beyond the usual length and control-character rules, or undefined.
 * Such ids are refused, never repaired: workflow ids and Staffbase look-ups match the externalID
 * exactly, so a silently rewritten id would name another person (or nobody). HR fixes them at the source.
 */
export function externalIdHygieneProblem(value: string): string | undefined {
  if (loneSurrogate.test(value)) return 'must be valid Unicode text (it holds a lone surrogate)';
  const c1 = c1Control.exec(value)?.[0];
  if (c1 !== undefined) return `must not contain control characters (${codePoint(c1)} is a C1 control)`;
  const bidi = bidiControl.exec(value)?.[0];
  if (bidi !== undefined)
    return `must not contain bidirectional text controls (${codePoint(bidi)}); fix the id in the HR system`;
  const invisible = invisibleFormat.exec(value)?.[0];
  if (invisible !== undefined)
    return `must not contain zero-width or invisible characters (${codePoint(invisible)}); fix the id in the HR system`;
  if (value.normalize('NFC') !== value)
    return 'must be in Unicode normalization form NFC (composed characters, as most systems store text); fix the id in the HR system';
  return undefined;
}

/**
 * The one rule for an externalID, at every edge (HTTP bodies and paths, CLI arguments, import rows,
 * the console through the HTTP API). The hygiene check runs before the trim, so a zero-width no-break
 * space (U+FEFF, which trim() removes) at either end is refused rather than dropped.
 */
export const externalIdSchema = z
  .string()
  .superRefine((value, context) => {
    const problem = externalIdHygieneProblem(value);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem, abort: true });
  })
  .trim()
  .min(1, 'must not be empty')
  .max(255, 'must be at most 255 characters')
  .refine(noControlCharacters, 'must not contain control characters');

/** Trimmed text of 1 to `maxLength` characters without control characters (names, IDs, filters). */
export function plainTextSchema(maxLength: number) {
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(maxLength, `must be at most ${maxLength} characters`)
    .refine(noControlCharacters, 'must not contain control characters');
}

export const personNameSchema = plainTextSchema(100);

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
