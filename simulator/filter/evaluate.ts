/** A parsed filter applied to a simulator user record. */
import { type SimulatedUserRecord } from '../types';
import { type CompareOperator, type FilterAttribute, type FilterNode, type FilterValue } from './syntax';

export function matchesFilter(node: FilterNode, user: SimulatedUserRecord): boolean {
  switch (node.kind) {
    case 'and':
      return matchesFilter(node.left, user) && matchesFilter(node.right, user);
    case 'or':
      return matchesFilter(node.left, user) || matchesFilter(node.right, user);
    case 'not':
      return !matchesFilter(node.operand, user);
    case 'present':
      return isPresent(node.attribute.read(user));
    case 'compare':
      return compare(node.attribute, node.operator, node.value, node.attribute.read(user));
  }
}

/** Whether the filter names `staffbase.status` anywhere: without it, only activated users are listed. */
export function mentionsStatus(node: FilterNode): boolean {
  switch (node.kind) {
    case 'and':
    case 'or':
      return mentionsStatus(node.left) || mentionsStatus(node.right);
    case 'not':
      return mentionsStatus(node.operand);
    default:
      return node.attribute.name === 'staffbase.status';
  }
}

function isPresent(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

function compare(
  attribute: FilterAttribute,
  operator: CompareOperator,
  expected: FilterValue,
  actual: unknown,
): boolean {
  if (attribute.kind === 'multiText') {
    const values = Array.isArray(actual) ? (actual as unknown[]) : [];
    // `ne` on a multi-valued attribute means "no value equals", e.g. `groups ne "x"` = not a member.
    if (operator === 'ne') return !values.some((v) => compareText(attribute, 'eq', expected, v));
    return values.some((v) => compareText(attribute, operator, expected, v));
  }
  if (attribute.kind === 'date') {
    if (typeof actual !== 'string') return operator === 'ne';
    const left = Date.parse(actual);
    const right = Date.parse(expected as string);
    return compareOrdered(operator, left, right);
  }
  if (attribute.kind === 'profile' && typeof expected !== 'string') {
    return operator === 'eq' ? actual === expected : operator === 'ne' ? actual !== expected : false;
  }
  return compareText(attribute, operator, expected, actual);
}

function compareText(
  attribute: FilterAttribute,
  operator: CompareOperator,
  expected: FilterValue,
  actual: unknown,
): boolean {
  if (actual === null || actual === undefined) return operator === 'ne';
  const fold = (s: string): string => (attribute.caseInsensitive ? s.toLowerCase() : s);
  const left = fold(asText(actual));
  const right = fold(String(expected));
  switch (operator) {
    // Text has no order here: gt/ge/lt/le on it match nothing (default).
    case 'eq':
    case 'ne':
      return compareOrdered(operator, left, right);
    case 'co':
      return left.includes(right);
    case 'sw':
      return left.startsWith(right);
    case 'ew':
      return left.endsWith(right);
    default:
      return false;
  }
}

/** eq, ne and the order operators, on numbers (dates as milliseconds) or text alike. */
function compareOrdered<T extends number | string>(operator: CompareOperator, left: T, right: T): boolean {
  switch (operator) {
    case 'eq':
      return left === right;
    case 'ne':
      return left !== right;
    case 'gt':
      return left > right;
    case 'ge':
      return left >= right;
    case 'lt':
      return left < right;
    case 'le':
      return left <= right;
    default:
      return false;
  }
}

/** Profile values may be numbers, booleans or objects; compare their text forms. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}
