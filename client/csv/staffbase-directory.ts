import { type DirectoryAccount } from '../../activities/directory-lookup-activities';

/**
 * The Staffbase accounts the import preflight found holding a name of the file (workflow
 * `directoryLookup`), indexed by externalID, userName and email.
 */

export type { DirectoryAccount } from '../../activities/directory-lookup-activities';

/** The status as Staffbase names it, for messages. */
export function statusOf(account: DirectoryAccount): string {
  return account.reportedStatus ?? account.status;
}

export interface StaffbaseDirectory {
  byExternalID(externalID: string): DirectoryAccount | undefined;
  /** User names are unique without case in Staffbase. */
  byUserName(userName: string): DirectoryAccount | undefined;
  /** Any address of an account, primary or not, without case. */
  byEmail(email: string): DirectoryAccount | undefined;
  /** Accounts compared, not only those found. */
  readonly accountCount: number;
}

export function staffbaseDirectoryOf(
  accounts: readonly DirectoryAccount[],
  accountCount: number,
): StaffbaseDirectory {
  const externalIDs = new Map<string, DirectoryAccount>();
  const userNames = new Map<string, DirectoryAccount>();
  const emails = new Map<string, DirectoryAccount>();
  for (const account of accounts) {
    if (account.externalID) externalIDs.set(account.externalID, account);
    if (account.userName) userNames.set(account.userName.toLowerCase(), account);
    for (const email of account.emails) emails.set(email.value.toLowerCase(), account);
  }
  return {
    byExternalID: (externalID) => externalIDs.get(externalID),
    byUserName: (userName) => userNames.get(userName.toLowerCase()),
    byEmail: (email) => emails.get(email.toLowerCase()),
    accountCount,
  };
}
