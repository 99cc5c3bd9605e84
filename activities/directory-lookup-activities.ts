import { whileHeartbeating } from './heartbeating';
import { withRetryDecisions } from './activity-failures';
import { ALL_USER_STATUSES, GONE_STATUSES } from '../staffbase/api-choices';
import type { StaffbaseClient } from '../staffbase/client';

/**
 * The import preflight's look-up (workflow `directoryLookup`): one page of the account directory per
 * attempt, every status (pending and deactivated accounts hold their names too), on the rate-limited
 * Staffbase queue in the bulk lane.
 *
 * The page is compared here, in the activity, with the names of the file being imported, and only the
 * accounts holding one of them leave it: the directory of the tenant never enters workflow history,
 * only the file's own names (which the run's input holds anyway) and the accounts that collide with them.
 */

/** What the preflight needs of an account. */
export interface DirectoryAccount {
  id: string;
  externalID?: string | null;
  userName?: string | null;
  emails: readonly { value: string }[];
  status: string;
  /** The status as Staffbase sent it, when the client mapped it (an unknown one reads as `unmanaged`). */
  reportedStatus?: string;
}

/**
 * The names of the rows to look for. externalIDs compare exactly; userNames and emails without case
 * (api-choices), so they are sent in lower case.
 */
export interface DirectoryKeys {
  externalIDs: string[];
  userNames: string[];
  emails: string[];
}

export interface DirectoryPageQuery {
  offset: number;
  limit: number;
  keys: DirectoryKeys;
}

export interface DirectoryPage {
  /** `total` as Staffbase counted it with this page. */
  total: number;
  /** Users on the page (the next offset moves by this: a server capping the page size skips nobody). */
  received: number;
  /** Accounts on the page that hold names (a deleted account no longer does). */
  accounts: number;
  /** The accounts on the page holding one of the keys. */
  matches: DirectoryAccount[];
}

/** Bulk heartbeat, as the other bulk activities (`bulkHeartbeatIntervalMs`). */
const heartbeatIntervalMs = 2_000;

/** The accounts of `users` that hold one of the keys, reduced to what the preflight compares. */
export function matchingAccounts(
  users: readonly DirectoryAccount[],
  keys: DirectoryKeys,
): { accounts: number; matches: DirectoryAccount[] } {
  const externalIDs = new Set(keys.externalIDs);
  const userNames = new Set(keys.userNames.map((name) => name.toLowerCase()));
  const emails = new Set(keys.emails.map((email) => email.toLowerCase()));
  let accounts = 0;
  const matches: DirectoryAccount[] = [];
  for (const user of users) {
    const status = user.reportedStatus ?? user.status;
    if (GONE_STATUSES.includes(status)) continue;
    accounts += 1;
    const holds =
      (user.externalID != null && externalIDs.has(user.externalID)) ||
      (user.userName != null && userNames.has(user.userName.toLowerCase())) ||
      user.emails.some((email) => emails.has(email.value.toLowerCase()));
    if (!holds) continue;
    matches.push({
      id: user.id,
      externalID: user.externalID ?? null,
      userName: user.userName ?? null,
      emails: user.emails.map((email) => ({ value: email.value })),
      status: user.status,
      ...(user.reportedStatus !== undefined && { reportedStatus: user.reportedStatus }),
    });
  }
  return { accounts, matches };
}

export function createDirectoryLookupActivities(staffbase: StaffbaseClient) {
  return {
    /** One `GET /users` page of every status, compared with the keys. */
    async readDirectoryPage(query: DirectoryPageQuery): Promise<DirectoryPage> {
      return withRetryDecisions(() =>
        whileHeartbeating(heartbeatIntervalMs, async () => {
          const page = await staffbase.listUsersPage({
            statuses: [...ALL_USER_STATUSES],
            offset: query.offset,
            limit: query.limit,
          });
          return {
            total: page.total,
            received: page.users.length,
            ...matchingAccounts(page.users, query.keys),
          };
        }),
      );
    },
  };
}

export type DirectoryLookupActivities = ReturnType<typeof createDirectoryLookupActivities>;
