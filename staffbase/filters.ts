/**
 * The one home of filter text: builds SCIM-style filter expressions from input, and reads the filters
 * people write (normalised, checked for closed quotes and balanced parentheses). Values are always
 * emitted as double-quoted string literals with `\` and `"` backslash-escaped (and nothing else, so
 * any SCIM-like parser reads them back unchanged): an externalID can never change the meaning of the
 * filter around it. No I/O and no Node built-ins: the HR edge, lifecycle/ and workflows use it too.
 */
import { ALL_USER_STATUSES, EXTERNAL_ID_FILTER_ATTRIBUTE } from './api-choices';
import { type UserStatus } from './schemas';

export function quoteFilterValue(value: string): string {
  return `"${value.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}

/** `attribute <operator> "value"`: the attribute checked, the value quoted. */
function condition(attribute: string, operator: 'eq' | 'lt' | 'ge', value: string): string {
  if (!/^[A-Za-z][\w.]*$/.test(attribute)) throw new TypeError(`Not a filter attribute: ${attribute}`);
  return `${attribute} ${operator} ${quoteFilterValue(value)}`;
}

export function equals(attribute: string, value: string): string {
  return condition(attribute, 'eq', value);
}

/** `attribute lt "value"`, e.g. created before an instant. */
export function lessThan(attribute: string, value: string): string {
  return condition(attribute, 'lt', value);
}

/** `attribute ge "value"`, e.g. deactivated at or after an instant. */
export function atLeast(attribute: string, value: string): string {
  return condition(attribute, 'ge', value);
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

/**
 * The same filter written differently gets the same text: outside quoted values, runs of whitespace
 * become one space, and space just inside parentheses goes. Quoted values are kept exactly.
 */
export function normalizeFilter(filter: string): string {
  let out = '';
  let inQuote = false;
  let pendingSpace = false;
  for (let i = 0; i < filter.length; i += 1) {
    const char = filter[i] ?? '';
    if (inQuote) {
      out += char;
      if (char === '\\' && i + 1 < filter.length) {
        out += filter[i + 1] ?? '';
        i += 1;
      } else if (char === '"') {
        inQuote = false;
      }
      continue;
    }
    if (/\s/.test(char)) {
      pendingSpace = out.length > 0;
      continue;
    }
    if (pendingSpace && char !== ')' && !out.endsWith('(')) out += ' ';
    pendingSpace = false;
    out += char;
    if (char === '"') inQuote = true;
  }
  return out;
}

/** Every `(` outside quoted values has its `)`, in order. */
export function parenthesesAreBalanced(filter: string): boolean {
  let depth = 0;
  let inQuote = false;
  for (let i = 0; i < filter.length; i += 1) {
    const char = filter[i];
    if (inQuote && char === '\\') i += 1;
    else if (char === '"') inQuote = !inQuote;
    else if (!inQuote && char === '(') depth += 1;
    else if (!inQuote && char === ')') {
      depth -= 1;
      if (depth < 0) return false;
    }
  }
  return depth === 0;
}

/** Every double quote that opens a value closes it (a `\` inside a value escapes the next character). */
export function quotesAreClosed(filter: string): boolean {
  let inQuote = false;
  for (let i = 0; i < filter.length; i += 1) {
    const char = filter[i];
    if (inQuote && char === '\\') i += 1;
    else if (char === '"') inQuote = !inQuote;
  }
  return !inQuote;
}
