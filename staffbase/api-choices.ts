/**
 * The [choice]s of docs/staffbase-user-api.md that the client depends on: behaviour Staffbase does not
 * document (or documents in more than one way), decided once here so a tenant that behaves otherwise
 * needs a change in one place only. Every tolerance of the reader is one entry below, and each has
 * its test in test/staffbase/tolerant-reader.test.ts.
 */

import { DEFAULT_STAFFBASE_PROFILE_PLACEMENT, DEFAULT_STAFFBASE_PROFILE_UPDATE } from '../config/defaults';

/** The statuses this project manages accounts in. */
export const MANAGED_USER_STATUSES = ['pending', 'activated', 'deactivated'] as const;
export type UserStatus = (typeof MANAGED_USER_STATUSES)[number];

/**
 * [choice] Any other status (`deleted`, `contact` of newer user models, or one nobody has seen yet) is
 * read as this value: "not an account we manage". It never breaks a list page; single-user reads
 * refuse it (StaffbaseUnmanagedUserError) so nothing acts on such a user.
 */
export const UNMANAGED_STATUS = 'unmanaged';
export type AccountStatus = UserStatus | typeof UNMANAGED_STATUS;

/**
 * [choice] Statuses that mean the account no longer exists: a single-user read answers them like a
 * 404, and a look-up by externalID passes over them (a new account may reuse the externalID).
 */
export const GONE_STATUSES: readonly string[] = ['deleted'];

/**
 * [choice] Create answers 201 (+ Location) in the simulator; real tenants have been seen answering 200;
 * the connector declares a Location header with an empty body, so 202 and 204 are accepted too.
 * Without a readable user in the body the client reads the user back (`CREATE_READ_BACK`).
 */
export const CREATE_USER_SUCCESS_STATUSES: readonly number[] = [201, 200, 202, 204];

/**
 * [choice] How a create without a readable body is confirmed: the id at the end of `Location` first
 * (relative or absolute URL), then a look-up by the externalID that was sent.
 */
export const CREATE_READ_BACK = ['location', 'externalID'] as const;

/** Delete answers 204; a 404 on delete means the user is already gone (delete is idempotent for us). */
export const DELETE_ALREADY_GONE_STATUS = 404;

/** Staffbase's documented default page size for `GET /users`. */
export const DEFAULT_PAGE_SIZE = 100;

/**
 * Every managed status. A filter without `staffbase.status` means `activated` only, so look-ups that
 * must see every user (by externalID) ask for all three explicitly.
 */
export const ALL_USER_STATUSES: readonly UserStatus[] = MANAGED_USER_STATUSES;

/** Filter attribute for the externalID (the filter language spells it `externalId`). */
export const EXTERNAL_ID_FILTER_ATTRIBUTE = 'externalId';

/**
 * [choice] When the tenant answers 400 to `externalId eq "…"` (the current filter page lists
 * `externalId` as presence-only), look-ups use `GET /users/{externalID}` instead, for the rest of the
 * client's life, but only after a control filter on another attribute
 * ({@link EXTERNAL_ID_FILTER_CONTROL}, one request of its own) is accepted: then it is the attribute
 * that is refused. A 400 to the control too is reported as a refused filter syntax or encoding, and
 * nothing switches. Any other answer keeps the filter.
 */
export const EXTERNAL_ID_FILTER_REFUSED_STATUS = 400;

/**
 * [choice] The control filter: the externalID look-up's syntax and encoding (`attribute eq "value"`,
 * spaces and quotes on the wire) on an attribute every tenant filters on; asked with limit 1.
 */
export const EXTERNAL_ID_FILTER_CONTROL = { attribute: 'staffbase.status', value: 'activated' } as const;

/**
 * [choice] Query values (filters above all) are percent-encoded as the reference's filter examples
 * show: a space as `%20`, a quote as `%22`; by default never `+` for a space (URLSearchParams' form
 * encoding), which the reference does not show and a tenant may read as a literal `+`. This is the
 * default of STAFFBASE_FILTER_SPACE_ENCODING; `+` is there for a tenant the doctor finds reads only that.
 */
export const DEFAULT_FILTER_SPACE_ENCODING = '%20';

export function encodeQueryValue(
  value: string,
  spaceEncoding: '%20' | '+' = DEFAULT_FILTER_SPACE_ENCODING,
): string {
  const encoded = encodeURIComponent(value);
  // encodeURIComponent writes a literal `+` as %2B, so every %20 left is a space.
  return spaceEncoding === '+' ? encoded.replace(/%20/g, '+') : encoded;
}

/**
 * externalIDs are compared exactly (case-sensitive) after the server-side filter or path look-up, so
 * a server that ignored or loosened the filter (or matched a Staffbase id) never hands back
 * somebody else's user.
 */
export function isSameExternalId(stored: string | null | undefined, wanted: string): boolean {
  return stored === wanted;
}

/**
 * [choice] Timestamps may come as epoch numbers. Below this value a number is read as seconds
 * (1e11 s is the year 5138), from it on as milliseconds (1e11 ms is March 1973). Normalised to ISO.
 */
export const EPOCH_SECONDS_BELOW = 1e11;

/** The user fields that hold timestamps. */
export const TIMESTAMP_FIELDS = ['created', 'updated', 'activated', 'deactivated'] as const;

/**
 * [choice] `role` is read as a string or as the role-type page's object `{"type": "admin"}` (the
 * object's `type`), normalised to the string.
 */
export const ROLE_OBJECT_KEY = 'type';

/**
 * [choice] A list envelope without `total`: paging goes on while pages come back full, so `total`
 * is taken as "at least one more" after a full page and as exact after a short one.
 */
export function totalWhenMissing(offset: number, returned: number, limit: number): number {
  return offset + returned + (returned >= limit && returned > 0 ? 1 : 0);
}

/**
 * [choice] PUT (update, deactivate, reactivate) is documented as 200 + user; an empty or unreadable
 * 2xx body is confirmed by reading the user back instead of failing the change.
 */
export const UPDATE_READ_BACK_ON_EMPTY_BODY = true;

/**
 * The five system profile fields. HR requests, CSV and the console write them as `profile.<field>`
 * like any custom field; only the wire format (wire-format.ts) moves them where the tenant keeps them.
 */
export const SYSTEM_PROFILE_FIELDS = [
  'position',
  'department',
  'location',
  'phoneNumber',
  'publicEmailAddress',
] as const;
export type SystemProfileField = (typeof SYSTEM_PROFILE_FIELDS)[number];

export function isSystemProfileField(field: string): field is SystemProfileField {
  return (SYSTEM_PROFILE_FIELDS as readonly string[]).includes(field);
}

/**
 * [choice] Where the system profile fields go on the wire: `top-level` of the user (the legacy model,
 * the plain `application/json` media type this client speaks, and the connector) or under `profile`
 * (the newer v3 model). Custom fields always go under `profile`. Reads accept either place.
 * `STAFFBASE_PROFILE_PLACEMENT`; `doctor --write` probes it.
 */
export const PROFILE_PLACEMENTS = ['top-level', 'profile'] as const;
export type ProfilePlacement = (typeof PROFILE_PLACEMENTS)[number];
export const DEFAULT_PROFILE_PLACEMENT: ProfilePlacement = DEFAULT_STAFFBASE_PROFILE_PLACEMENT;

/**
 * [choice] How a PUT treats the `profile` object, which Staffbase does not document: `replace` (the
 * fields not sent are lost, so a change sends the profile as read with its changes: correct under
 * either behaviour) or `merge` (a change sends only the fields it changes). `replace` until a tenant
 * shows it merges. `STAFFBASE_PROFILE_UPDATE`; `doctor --write` probes it.
 */
export const PROFILE_UPDATE_MODES = ['replace', 'merge'] as const;
export type ProfileUpdateMode = (typeof PROFILE_UPDATE_MODES)[number];
export const DEFAULT_PROFILE_UPDATE: ProfileUpdateMode = DEFAULT_STAFFBASE_PROFILE_UPDATE;
