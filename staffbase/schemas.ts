/**
 * zod schemas for what the Staffbase User API (plain `application/json` version) sends back, and the
 * inputs the client accepts. Types come from the schemas. The reader is tolerant by design (see
 * tolerant-fields.ts and the [choice]s in api-choices.ts): every documented variant of a field is
 * normalised, `null` is accepted for every optional field, unknown fields pass through untouched,
 * and an unknown status makes a user `unmanaged` instead of failing the page it is on.
 */
import { z } from 'zod';
import { SYSTEM_PROFILE_FIELDS, type UNMANAGED_STATUS, type UserStatus } from './api-choices';
import {
  accountStatusField,
  emailsField,
  idListField,
  objectField,
  reportedStatusOf,
  roleField,
  textField,
  timestampField,
} from './tolerant-fields';

export { type AccountStatus, type UserStatus } from './api-choices';
export { type UserEmail } from './tolerant-fields';

/** The optional fields read below: a missing one reads like `null`, so both have one meaning. */
const OPTIONAL_FIELDS = [
  'externalID',
  'userName',
  'firstName',
  'lastName',
  'emails',
  'status',
  'role',
  'groupIDs',
  'profile',
  'config',
  'created',
  'updated',
  'activated',
  'deactivated',
  'secret',
] as const;

/**
 * Missing optional fields become null, and the status as sent is copied before it is normalised,
 * so reports can name `contact` or `deleted`.
 */
function prepareUser(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const record = raw as Record<string, unknown>;
  const missing = OPTIONAL_FIELDS.filter((field) => record[field] === undefined).map((field) => [
    field,
    null,
  ]);
  return {
    ...record,
    ...Object.fromEntries(missing),
    ...withSystemFieldsInProfile(record),
    reportedStatus: reportedStatusOf(record.status),
  };
}

/**
 * The system profile fields read from wherever the tenant keeps them (api-choices
 * PROFILE_PLACEMENTS) into `profile`, the project's one model, so comparisons see one shape. A value
 * at the top level wins over one under `profile` (the legacy model's own field); nothing when the
 * user shows none at the top level.
 */
function withSystemFieldsInProfile(record: Record<string, unknown>): { profile?: Record<string, unknown> } {
  const topLevel = SYSTEM_PROFILE_FIELDS.filter(
    (field) => record[field] !== undefined && record[field] !== null,
  ).map((field) => [field, record[field]] as const);
  if (topLevel.length === 0) return {};
  const profile = record.profile;
  const current =
    typeof profile === 'object' && profile !== null && !Array.isArray(profile)
      ? (profile as Record<string, unknown>)
      : {};
  return { profile: { ...current, ...Object.fromEntries(topLevel) } };
}

const accountObject = z.looseObject({
  // The one field nothing works without.
  id: z.union([z.string().min(1), z.number().transform(String)]),
  externalID: textField,
  // Nullable like every non-id field: users created by CSV/SSO can lack a userName, even names.
  userName: textField,
  firstName: textField,
  lastName: textField,
  emails: emailsField,
  status: accountStatusField,
  /** The status exactly as the server sent it (`contact`, `deleted`, …). */
  reportedStatus: z.string(),
  role: roleField,
  groupIDs: idListField,
  profile: objectField,
  config: z.unknown().transform((value) => {
    const object = objectField.parse(value);
    return object ? { ...object, locale: textField.parse(object.locale) } : null;
  }),
  created: timestampField,
  updated: timestampField,
  activated: timestampField,
  deactivated: timestampField,
  // The invitation code; `expires` -1 means it never expires.
  secret: z
    .looseObject({
      plain: z.string().nullish(),
      expires: z.union([z.number(), z.string()]).nullish(),
    })
    .nullish()
    .catch(null),
});

/** Any user the API returns, managed or not. */
export const staffbaseAccountSchema = z.preprocess(prepareUser, accountObject);
export type StaffbaseAccount = z.infer<typeof accountObject>;

/** A user in a status this project manages: the only kind the client hands out for single reads and writes. */
export type StaffbaseUser = StaffbaseAccount & { status: UserStatus };

/** A user in a status this project does not manage (`contact`, …): listed, never acted on. */
export type UnmanagedUser = StaffbaseAccount & { status: typeof UNMANAGED_STATUS };

export function isManagedUser(user: StaffbaseAccount): user is StaffbaseUser {
  return user.status !== 'unmanaged';
}

/** The `GET /users` envelope; `total` may be missing (api-choices `totalWhenMissing`). */
export const userListSchema = z.looseObject({
  total: z.number().int().nonnegative().nullish(),
  limit: z.number().int().nonnegative().nullish(),
  offset: z.number().int().nonnegative().nullish(),
  data: z.array(staffbaseAccountSchema),
});
export type UserList = z.infer<typeof userListSchema>;

export interface UserPage {
  total: number;
  limit: number;
  offset: number;
  /** Managed and unmanaged users in the server's order: check `status` before acting on one. */
  users: StaffbaseAccount[];
}

/** Staffbase's error body; every field is optional because proxies (Cloudflare) answer with HTML. */
export const staffbaseErrorBodySchema = z.looseObject({
  traceId: z.union([z.string(), z.number()]).nullish(),
  type: z.string().nullish(),
  ref: z.union([z.string(), z.number()]).nullish(),
  statusCode: z.number().nullish(),
  message: z.string().nullish(),
  identifier: z.union([z.string(), z.number()]).nullish(),
});

/** A new user, in this project's words; `wire-format.ts` maps it to the request body. */
export interface CreateUserInput {
  externalID: string;
  userName: string;
  firstName: string;
  lastName: string;
  /** Becomes the single, primary address. */
  email: string;
  /** true → Staffbase sends the invitation mail. */
  sendMail: boolean;
  locale?: string;
  groupIDs?: string[];
  profile?: Record<string, string>;
}

/** A partial change: only the fields present are sent, and only they change. */
export interface UserPatch {
  firstName?: string;
  lastName?: string;
  userName?: string;
  /** Replaces the user's addresses with this one as primary. */
  email?: string;
  /**
   * The profile fields to change, in the project's model (system fields by name like custom ones);
   * the wire format puts each where the tenant keeps it (api-choices PROFILE_PLACEMENTS).
   */
  profile?: Record<string, string>;
  /**
   * The profile as read right before the change (system fields included), when `profile` holds only
   * the changed fields: under a replacing PUT (STAFFBASE_PROFILE_UPDATE=replace) the fields sent under
   * `profile` are completed from it so nothing unchanged is lost. Absent: `profile` is sent as given
   * (changes made before the mover sent only changed fields).
   */
  profileAsRead?: Record<string, unknown>;
  groupIDs?: string[];
  locale?: string;
}
