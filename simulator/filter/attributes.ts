/** The attributes a filter may name, how each is read from a record, and the operators each kind allows. */
import { type AttributeKind, type CompareOperator, type FilterAttribute, FilterSyntaxError } from './syntax';

const attributes: Record<string, Omit<FilterAttribute, 'name'> & { name: string }> = {
  'staffbase.status': {
    name: 'staffbase.status',
    kind: 'text',
    caseInsensitive: true,
    read: (u) => u.status,
  },
  'staffbase.creationtype': {
    name: 'staffbase.creationType',
    kind: 'text',
    caseInsensitive: true,
    read: (u) => u.creationType,
  },
  'staffbase.role': { name: 'staffbase.role', kind: 'text', caseInsensitive: true, read: (u) => u.role },
  id: { name: 'id', kind: 'text', caseInsensitive: false, read: (u) => u.id },
  externalid: { name: 'externalId', kind: 'text', caseInsensitive: false, read: (u) => u.externalID },
  username: { name: 'userName', kind: 'text', caseInsensitive: true, read: (u) => u.userName },
  firstname: { name: 'firstName', kind: 'text', caseInsensitive: true, read: (u) => u.firstName },
  lastname: { name: 'lastName', kind: 'text', caseInsensitive: true, read: (u) => u.lastName },
  emails: {
    name: 'emails',
    kind: 'multiText',
    caseInsensitive: true,
    read: (u) => u.emails.map((email) => email.value),
  },
  'emails.value': {
    name: 'emails',
    kind: 'multiText',
    caseInsensitive: true,
    read: (u) => u.emails.map((email) => email.value),
  },
  groups: { name: 'groups', kind: 'multiText', caseInsensitive: false, read: (u) => u.groupIDs },
  created: { name: 'created', kind: 'date', caseInsensitive: false, read: (u) => u.created },
  updated: { name: 'updated', kind: 'date', caseInsensitive: false, read: (u) => u.updated },
  activated: { name: 'activated', kind: 'date', caseInsensitive: false, read: (u) => u.activated },
  deactivated: { name: 'deactivated', kind: 'date', caseInsensitive: false, read: (u) => u.deactivated },
  // [choice] The simulator stores no passwords: a user "has one" once they activated their account.
  password: { name: 'password', kind: 'presenceOnly', caseInsensitive: false, read: (u) => u.activated },
};

export const operatorsByKind: Record<AttributeKind, readonly CompareOperator[]> = {
  text: ['eq', 'ne', 'co', 'sw', 'ew'],
  multiText: ['eq', 'ne', 'co', 'sw', 'ew'],
  profile: ['eq', 'ne', 'co', 'sw', 'ew'],
  date: ['eq', 'ne', 'gt', 'ge', 'lt', 'le'],
  presenceOnly: [],
};

export const compareOperators = new Set<string>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);

export function resolveAttribute(path: string): FilterAttribute {
  const lower = path.toLowerCase();
  if (lower.startsWith('profile.') && path.length > 'profile.'.length) {
    const field = path.slice('profile.'.length);
    return {
      name: `profile.${field}`,
      kind: 'profile',
      caseInsensitive: false,
      read: (u) => u.profile[field],
    };
  }
  const known = attributes[lower];
  if (!known) throw new FilterSyntaxError(`unknown filter attribute "${path}"`);
  return known;
}
