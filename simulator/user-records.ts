/**
 * A simulated user record's shape rules, shared by every store operation: fresh ids and codes, the
 * primary email, group and profile merging, ending sessions, and the API view of a record.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { badRequest } from './errors';
import {
  type ApiUser,
  SYSTEM_PROFILE_FIELDS,
  type SimulatedUserRecord,
  type TopLevelProfileFields,
  type UserEmail,
} from './types';

type EmailInput = { value: string; primary?: boolean; providerID?: string | null };

export const newId = (): string => randomBytes(12).toString('hex');
export const newInvitationCode = (): string => randomBytes(8).toString('hex');
export const newRecoveryCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

/** The API view of a record: what `GET /api/users/{id}` shows, without the simulator's counters. */
export function toApiUser(user: SimulatedUserRecord): ApiUser {
  return {
    id: user.id,
    externalID: user.externalID,
    userName: user.userName,
    firstName: user.firstName,
    lastName: user.lastName,
    emails: user.emails.map((email) => ({ ...email })),
    status: user.status,
    role: user.role,
    groupIDs: [...user.groupIDs],
    profile: structuredClone(user.profile),
    ...topLevelProfileFieldsOf(user),
    config: { ...user.config },
    created: user.created,
    updated: user.updated,
    activated: user.activated,
    deactivated: user.deactivated,
    secret: user.secret ? { ...user.secret } : null,
  };
}

/** The system profile fields a record keeps at the top level (only those it has). */
export function topLevelProfileFieldsOf(user: Readonly<TopLevelProfileFields>): TopLevelProfileFields {
  const present = SYSTEM_PROFILE_FIELDS.filter((field) => typeof user[field] === 'string');
  return Object.fromEntries(present.map((field) => [field, user[field]]));
}

/** Sets the top-level system fields a body sends on `user`; a field sent as null is removed. */
export function applyTopLevelProfileFields(
  user: TopLevelProfileFields,
  body: Readonly<Partial<Record<keyof TopLevelProfileFields, string | null>>>,
): void {
  for (const field of SYSTEM_PROFILE_FIELDS) {
    const value = body[field];
    if (value === null) delete user[field];
    else if (value !== undefined) user[field] = value;
  }
}

export function endAllSessions(user: SimulatedUserRecord): number {
  const ended = user.sessions;
  user.sessions = 0;
  user.sessionsEnded += ended;
  return ended;
}

/** At most one primary; when none is marked, the first email is the primary one. */
export function normalizeEmails(input: EmailInput[]): UserEmail[] {
  const primaries = input.filter((email) => email.primary === true).length;
  if (primaries > 1) throw badRequest('emails: only one email can be primary');
  return input.map((email, index) => ({
    value: email.value,
    primary: primaries === 0 ? index === 0 : email.primary === true,
    providerID: email.providerID ?? null,
  }));
}

export function primaryEmail(emails: UserEmail[]): string | undefined {
  return emails.find((email) => email.primary)?.value;
}

export function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/**
 * [choice] `profile` in a PUT is merged field by field; a field sent as null is removed. The
 * `profile-put-replaces` shape replaces it whole instead (the routes decide, simulator/shapes.ts).
 */
export function mergeProfile(
  current: Record<string, unknown>,
  change: Record<string, unknown> | null,
): Record<string, unknown> {
  if (change === null) return {};
  const merged = { ...current };
  for (const [key, value] of Object.entries(change)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}
