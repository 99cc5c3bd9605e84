import type { StaffbaseAccount } from '../../staffbase/schemas';
import type { UserStatus } from '../../staffbase/api-choices';

/**
 * What the reconciliation reads of a Staffbase account: its identity, status and the fields a snapshot
 * can manage. Only accounts in a managed status (pending, activated, deactivated) take part; a deleted
 * or `contact` account is passed over, as every look-up of the project does.
 */
export interface ReconcileAccount {
  id: string;
  externalID: string | null;
  status: UserStatus;
  userName: string | null;
  firstName: string | null;
  lastName: string | null;
  emails: readonly { value: string; primary?: boolean }[];
  locale: string | null;
  groupIDs: readonly string[] | null;
  profile: Readonly<Record<string, unknown>> | null;
}

/** A directory page's user → a reconcile account; undefined for a status the project does not manage. */
export function reconcileAccountOf(account: StaffbaseAccount): ReconcileAccount | undefined {
  if (account.status === 'unmanaged') return undefined;
  return {
    id: account.id,
    externalID: account.externalID,
    status: account.status,
    userName: account.userName,
    firstName: account.firstName,
    lastName: account.lastName,
    emails: account.emails.map((email) => ({ value: email.value, primary: email.primary })),
    locale: account.config?.locale ?? null,
    groupIDs: account.groupIDs,
    profile: account.profile,
  };
}

/** The address Staffbase shows as the account's email: the primary one, else the first. */
export function primaryEmail(account: ReconcileAccount): string | undefined {
  return (account.emails.find((email) => email.primary === true) ?? account.emails[0])?.value;
}
