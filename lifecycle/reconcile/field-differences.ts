import type { ReconcileAccount } from './accounts';
import { primaryEmail } from './accounts';
import type { FieldDifference } from './situations';
import type { SnapshotPerson } from './snapshot-row';

/**
 * How a mover's row differs from their account. Only the fields the row has are compared (an empty
 * cell or a column the file lacks is a field HR does not manage). The change lifecycle
 * (lifecycle/support-requests.ts `moverRequestSchema`, workflows/support-single.ts) applies firstName,
 * lastName, locale, profile fields and added groups; it never changes an email or a userName and never
 * removes a group membership, so those differences are reported, not applied.
 */

/** Fields the change lifecycle applies. */
export const appliedFields = ['firstName', 'lastName', 'locale', 'profile.<field>', 'groupIDs (added)'];
/** Fields only reported. */
export const reportedFields = ['email', 'userName', 'groupIDs (removed)'];

/** Emails and user names are unique in Staffbase whatever their case: a case change is no difference. */
const sameWithoutCase = (a: string, b: string | null | undefined) =>
  b !== null && b !== undefined && a.toLowerCase() === b.toLowerCase();

const profileText = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

export function fieldDifferences(person: SnapshotPerson, account: ReconcileAccount): FieldDifference[] {
  const differences: FieldDifference[] = [];
  if (person.firstName !== undefined && person.firstName !== account.firstName) {
    differences.push({ field: 'firstName', handling: 'applied' });
  }
  if (person.lastName !== undefined && person.lastName !== account.lastName) {
    differences.push({ field: 'lastName', handling: 'applied' });
  }
  if (person.locale !== undefined && person.locale !== account.locale) {
    differences.push({ field: 'locale', handling: 'applied' });
  }
  for (const [field, value] of Object.entries(person.profile ?? {})) {
    if (value !== profileText(account.profile?.[field])) {
      differences.push({ field: `profile.${field}`, handling: 'applied' });
    }
  }
  if (person.groupIDs !== undefined) {
    const held = new Set(account.groupIDs ?? []);
    const wanted = new Set(person.groupIDs);
    const added = person.groupIDs.filter((group) => !held.has(group));
    const removed = [...held].filter((group) => !wanted.has(group));
    if (added.length > 0) differences.push({ field: 'groupIDs', handling: 'applied', groupIDs: added });
    if (removed.length > 0) differences.push({ field: 'groupIDs', handling: 'reported', groupIDs: removed });
  }
  if (person.email !== undefined && !sameWithoutCase(person.email, primaryEmail(account))) {
    differences.push({ field: 'email', handling: 'reported' });
  }
  if (person.userName !== undefined && !sameWithoutCase(person.userName, account.userName)) {
    differences.push({ field: 'userName', handling: 'reported' });
  }
  return differences;
}
