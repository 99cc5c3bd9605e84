/**
 * Builds SCIM-style filter expressions from input. Values are always emitted as double-quoted string
 * literals with `\` and `"` backslash-escaped (and nothing else, so any SCIM-like parser reads them
 * back unchanged): an externalID can never change the meaning of the filter around it.
 */
import { ALL_USER_STATUSES, EXTERNAL_ID_FILTER_ATTRIBUTE } from './api-choices';
import { type UserStatus } from './schemas';

export function quoteFilterValue(value: string): string {
  return `"${value.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}

export function equals(attribute: string, value: string): string {
  if (!/^[A-Za-z][\w.]*$/.test(attribute)) throw new TypeError(`Not a filter attribute: ${attribute}`);
  return `${attribute} eq ${quoteFilterValue(value)}`;
}

/** `(a) and (b)`: each part parenthesised so `or` inside one cannot leak into the other. */
export function and(...parts: (string | undefined)[]): string | undefined {
  const present = parts.map((part) => part?.trim()).filter((part): part is string => !!part);
  if (present.length <= 1) return present[0];
  return present.map((part) => `(${part})`).join(' and ');
}

/** A status condition; undefined for none or an empty list (then the server default, `activated`, applies). */
export function statusCondition(statuses: readonly UserStatus[] | undefined): string | undefined {
  const unique = [...new Set(statuses ?? [])];
  for (const status of unique) {
    if (!ALL_USER_STATUSES.includes(status)) throw new TypeError(`Unknown user status: ${String(status)}`);
  }
  if (unique.length === 0) return undefined;
  return unique.map((status) => equals('staffbase.status', status)).join(' or ');
}

export function externalIdEquals(externalID: string): string {
  return equals(EXTERNAL_ID_FILTER_ATTRIBUTE, externalID);
}

export function groupMember(groupId: string): string {
  return equals('groups', groupId);
}
