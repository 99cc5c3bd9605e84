/**
 * Confirming a write whose answer did not show its result: a create answered with only a `Location`
 * header (or nothing readable), an update answered without a user. The user is read back instead of
 * the write being repeated (api-choices `CREATE_READ_BACK`, `UPDATE_READ_BACK_ON_EMPTY_BODY`).
 */
import { StaffbaseNotFoundError, StaffbaseUnreadableWriteError } from './errors';
import { type StaffbaseUser } from './schemas';

/** The user id at the end of a `Location` (`/api/users/<id>` or an absolute URL); undefined otherwise. */
export function userIdFromLocation(location: string | string[] | undefined): string | undefined {
  const value = Array.isArray(location) ? location[0] : location;
  if (!value) return undefined;
  let path: string;
  try {
    // Any base works: only the path is read, and a relative Location resolves against it.
    path = new URL(value, 'http://location.invalid').pathname;
  } catch {
    return undefined;
  }
  const match = /\/users\/([^/]+)\/?$/.exec(path);
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
}

export interface CreateReadBack {
  operation: string;
  /** Why the answer itself was not enough, for the error message. */
  why: string;
  locationId: string | undefined;
  externalID: string;
  getUser(id: string): Promise<StaffbaseUser>;
  findUserByExternalId(externalID: string): Promise<StaffbaseUser | undefined>;
}

/** The created user, read by its Location id, else by its externalID; a distinct error when neither shows it. */
export async function readBackCreatedUser(readBack: CreateReadBack): Promise<StaffbaseUser> {
  if (readBack.locationId !== undefined) {
    try {
      return await readBack.getUser(readBack.locationId);
    } catch (error) {
      // A Location pointing nowhere (a proxy rewrote it, or a lagging read): still try the externalID.
      if (!(error instanceof StaffbaseNotFoundError)) throw error;
    }
  }
  const found = await readBack.findUserByExternalId(readBack.externalID);
  if (found) return found;
  throw new StaffbaseUnreadableWriteError({
    operation: readBack.operation,
    summary:
      `${readBack.why}, and reading the user back (Location, then externalID ` +
      `${JSON.stringify(readBack.externalID)}) found nothing: the create may not have taken effect yet`,
  });
}
