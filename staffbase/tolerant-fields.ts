/**
 * Field readers for the shapes Staffbase's pages disagree on. Each turns every documented variant
 * into the one shape the rest of the project uses, and turns what it cannot read into null rather
 * than failing: one odd user must never break a whole list page. The decisions are in api-choices.ts.
 */
import { z } from 'zod';
import {
  type AccountStatus,
  EPOCH_SECONDS_BELOW,
  MANAGED_USER_STATUSES,
  ROLE_OBJECT_KEY,
  UNMANAGED_STATUS,
  type UserStatus,
} from './api-choices';

export function isManagedStatus(value: unknown): value is UserStatus {
  return typeof value === 'string' && (MANAGED_USER_STATUSES as readonly string[]).includes(value);
}

/** A managed status as is; anything else (`deleted`, `contact`, missing, …) as `unmanaged`. */
export const accountStatusField = z
  .unknown()
  .transform((value): AccountStatus => (isManagedStatus(value) ? value : UNMANAGED_STATUS));

/** What the server said the status was, for reports about unmanaged users. */
export function reportedStatusOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '(none)';
  return JSON.stringify(value);
}

/** `"admin"` or `{"type": "admin"}` → `"admin"`; null, missing or unreadable → null. */
export const roleField = z.unknown().transform((value): string | null => {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    const type = (value as Record<string, unknown>)[ROLE_OBJECT_KEY];
    if (typeof type === 'string') return type;
  }
  return null;
});

/** An ISO string as sent; epoch seconds or milliseconds as an ISO string; anything else → null. */
export const timestampField = z.unknown().transform((value): string | null => {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' && Number.isFinite(value)) {
    const ms = Math.abs(value) < EPOCH_SECONDS_BELOW ? value * 1000 : value;
    const date = new Date(ms);
    return Number.isNaN(date.getTime()) ? null : date.toISOString();
  }
  return null;
});

const emailEntry = z.looseObject({
  value: z.string(),
  // Only one address is primary; a missing flag means "not primary".
  primary: z
    .boolean()
    .nullish()
    .transform((primary) => primary ?? false),
  providerID: z.string().nullish(),
});
export type UserEmail = z.infer<typeof emailEntry>;

/** Users without any address exist (username-only logins): normalised to a list; unreadable entries dropped. */
export const emailsField = z.unknown().transform((value): UserEmail[] => {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => {
    const parsed = emailEntry.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
});

/** A list of ids; null entries and non-strings dropped, null for a missing list. */
export const idListField = z
  .unknown()
  .transform((value): string[] | null =>
    Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : null,
  );

/** A text field; null for missing, null or a non-string (a number-like id is kept as text). */
export const textField = z.unknown().transform((value): string | null => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
});

/** A JSON object field (`profile`, …); null for anything that is not an object. */
export const objectField = z
  .unknown()
  .transform((value): Record<string, unknown> | null =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null,
  );
