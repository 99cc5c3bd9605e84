import type { SupportUserStatus } from '../lifecycle/support-requests';
import type { StaffbaseUser } from '../staffbase/schemas';

/** What support activities hand on of a user record: allow-listed views, never a secret. */

/**
 * A user as support sees it: an explicit allow-list of the record's fields. The invitation code
 * (`secret`) and any field this project does not know never leave the activity, so nothing secret
 * enters workflow history or a look-up answer.
 */
export interface UserView {
  id: string;
  externalID?: string;
  userName?: string;
  firstName?: string;
  lastName?: string;
  emails: { value: string; primary: boolean }[];
  status: SupportUserStatus;
  role?: string;
  groupIDs: string[];
  profile: Record<string, unknown>;
  locale?: string;
  /** Only when the API shows it (the plain JSON version usually does not). */
  creationType?: string;
  created?: string;
  updated?: string;
  activated?: string;
  deactivated?: string;
}

/** Who a bulk run would touch, for dry-run samples. */
export interface UserSummary {
  id: string;
  externalID?: string;
  userName?: string;
  firstName?: string;
  lastName?: string;
  status: SupportUserStatus;
  /** The dates a clean-up selects by, so a dry run shows why each user would be deleted. */
  created?: string;
  deactivated?: string;
}

export function toUserView(user: StaffbaseUser): UserView {
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const record = user as Record<string, unknown>;
  return {
    id: user.id,
    externalID: text(user.externalID),
    userName: text(user.userName),
    firstName: text(user.firstName),
    lastName: text(user.lastName),
    emails: user.emails.map((email) => ({ value: email.value, primary: email.primary })),
    status: user.status,
    role: text(user.role),
    groupIDs: [...(user.groupIDs ?? [])],
    profile: { ...(user.profile ?? {}) },
    locale: text(user.config?.locale),
    creationType: text(record.creationType),
    created: text(user.created),
    updated: text(user.updated),
    activated: text(user.activated),
    deactivated: text(user.deactivated),
  };
}

export function toSummary(user: StaffbaseUser): UserSummary {
  const view = toUserView(user);
  return {
    id: view.id,
    externalID: view.externalID,
    userName: view.userName,
    firstName: view.firstName,
    lastName: view.lastName,
    status: view.status,
    created: view.created,
    deactivated: view.deactivated,
  };
}
