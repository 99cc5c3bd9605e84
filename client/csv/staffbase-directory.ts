import { ALL_USER_STATUSES, GONE_STATUSES } from '../../activities/staffbase/api-choices';
import { type UserStatus } from '../../activities/staffbase/schemas';
import { type RequestPacer } from './request-pacer';

/**
 * Every Staffbase account, indexed by externalID, userName and email, for the import preflight.
 *
 * Why read the whole directory instead of one look-up per row: the documented filter language only
 * allows `pr` (present) on `userName` and `emails`, so no documented filter finds "the account with
 * this user name"; the client's list call carries no free-text `query`. Reading every account once
 * (all statuses: pending and deactivated accounts hold their names too) and comparing exactly here is
 * the documented way, and costs one request per 100 accounts whatever the size of the file.
 */

/** What the preflight needs of an account; the client's listed users have (at least) these fields. */
export interface DirectoryAccount {
  id: string;
  externalID?: string | null;
  userName?: string | null;
  emails: readonly { value: string }[];
  status: string;
  /** The status as Staffbase sent it, when the client mapped it (an unknown one reads as `unmanaged`). */
  reportedStatus?: string;
}

/** The status as Staffbase names it, for messages. */
export function statusOf(account: DirectoryAccount): string {
  return account.reportedStatus ?? account.status;
}

/** The one client method the directory uses (`StaffbaseClient.listUsersPage`). */
export interface AccountPageSource {
  listUsersPage(params: {
    statuses?: UserStatus[];
    offset: number;
    limit: number;
  }): Promise<{ total: number; users: readonly DirectoryAccount[] }>;
}

export interface StaffbaseDirectory {
  byExternalID(externalID: string): DirectoryAccount | undefined;
  /** User names are unique without case in Staffbase. */
  byUserName(userName: string): DirectoryAccount | undefined;
  /** Any address of an account, primary or not, without case. */
  byEmail(email: string): DirectoryAccount | undefined;
  readonly accountCount: number;
}

export interface ReadDirectoryOptions {
  pacer: RequestPacer;
  pageSize?: number;
  /** After each page: pages read, and pages in all as far as known. */
  onPage?: (pagesRead: number, pagesTotal: number) => void;
}

export async function readStaffbaseDirectory(
  source: AccountPageSource,
  options: ReadDirectoryOptions,
): Promise<StaffbaseDirectory> {
  const pageSize = options.pageSize ?? 100;
  const externalIDs = new Map<string, DirectoryAccount>();
  const userNames = new Map<string, DirectoryAccount>();
  const emails = new Map<string, DirectoryAccount>();
  let offset = 0;
  let pagesRead = 0;
  let accountCount = 0;
  for (;;) {
    await options.pacer.next();
    const page = await source.listUsersPage({ statuses: [...ALL_USER_STATUSES], offset, limit: pageSize });
    pagesRead += 1;
    for (const account of page.users) {
      // A deleted account no longer holds its names (api-choices: GONE_STATUSES).
      if (GONE_STATUSES.includes(statusOf(account))) continue;
      accountCount += 1;
      if (account.externalID) externalIDs.set(account.externalID, account);
      if (account.userName) userNames.set(account.userName.toLowerCase(), account);
      for (const email of account.emails) emails.set(email.value.toLowerCase(), account);
    }
    // Advance by what came back: a server capping the page size must not make us skip accounts.
    offset += page.users.length;
    options.onPage?.(pagesRead, Math.max(pagesRead, Math.ceil(page.total / pageSize)));
    if (page.users.length === 0 || offset >= page.total) break;
  }
  return {
    byExternalID: (externalID) => externalIDs.get(externalID),
    byUserName: (userName) => userNames.get(userName.toLowerCase()),
    byEmail: (email) => emails.get(email.toLowerCase()),
    accountCount,
  };
}
