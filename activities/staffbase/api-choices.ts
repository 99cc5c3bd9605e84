/**
 * The [choice]s of docs/staffbase-user-api.md that the client depends on: behaviour Staffbase does not
 * document, decided once here so a tenant that behaves otherwise needs a change in one place only.
 */
import { type UserStatus } from './schemas';

/** Create answers 201 (+ Location) in the simulator; real tenants have been seen answering 200. */
export const CREATE_USER_SUCCESS_STATUSES: readonly number[] = [201, 200];

/** Delete answers 204; a 404 on delete means the user is already gone (delete is idempotent for us). */
export const DELETE_ALREADY_GONE_STATUS = 404;

/** Staffbase's documented default page size for `GET /users`. */
export const DEFAULT_PAGE_SIZE = 100;

/**
 * Every status. A filter without `staffbase.status` means `activated` only, so look-ups that must see
 * every user (by externalID) ask for all three explicitly.
 */
export const ALL_USER_STATUSES: readonly UserStatus[] = ['pending', 'activated', 'deactivated'];

/** Filter attribute for the externalID (the filter language spells it `externalId`). */
export const EXTERNAL_ID_FILTER_ATTRIBUTE = 'externalId';

/**
 * externalIDs are compared exactly (case-sensitive) after the server-side filter, so a server that
 * ignored or loosened the filter can never hand back somebody else's user.
 */
export function isSameExternalId(stored: string | null | undefined, wanted: string): boolean {
  return stored === wanted;
}
