/**
 * The SCIM-style `filter=` language of `GET /users`: a recursive-descent parser into a small tree,
 * and an evaluator over simulator user records. Operators and keywords are case-insensitive (SCIM);
 * attribute names too, except the field after `profile.`.
 */
import { type SimulatedUserRecord } from './types';

export class FilterSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterSyntaxError';
  }
}

export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
export type FilterValue = string | number | boolean | null;

type AttributeKind = 'text' | 'multiText' | 'date' | 'profile' | 'presenceOnly';

export interface FilterAttribute {
  /** Canonical name, e.g. `staffbase.status`, `externalId`, `profile.department`. */
  name: string;
  kind: AttributeKind;
  /** Whether text comparisons ignore case. */
  caseInsensitive: boolean;
  read: (user: SimulatedUserRecord) => unknown;
}

export type FilterNode =
  | { kind: 'and'; left: FilterNode; right: FilterNode }
  | { kind: 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'present'; attribute: FilterAttribute }
  | { kind: 'compare'; attribute: FilterAttribute; operator: CompareOperator; value: FilterValue };

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

const operatorsByKind: Record<AttributeKind, readonly CompareOperator[]> = {
  text: ['eq', 'ne', 'co', 'sw', 'ew'],
  multiText: ['eq', 'ne', 'co', 'sw', 'ew'],
  profile: ['eq', 'ne', 'co', 'sw', 'ew'],
  date: ['eq', 'ne', 'gt', 'ge', 'lt', 'le'],
  presenceOnly: [],
};

const compareOperators = new Set<string>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);

function resolveAttribute(path: string): FilterAttribute {
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

// ---------------------------------------------------------------------------------------------
// Tokenizer

type Token =
  | { type: 'open' | 'close'; at: number }
  | { type: 'string'; value: string; at: number }
  | { type: 'number'; value: number; at: number }
  | { type: 'word'; value: string; at: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    if (/\s/.test(char)) {
      i += 1;
    } else if (char === '(' || char === ')') {
      tokens.push({ type: char === '(' ? 'open' : 'close', at: i });
      i += 1;
    } else if (char === '"') {
      const start = i;
      let value = '';
      i += 1;
      for (;;) {
        if (i >= text.length)
          throw new FilterSyntaxError(`unterminated string starting at position ${start}`);
        const c = text[i] as string;
        if (c === '\\') {
          const next = text[i + 1];
          if (next === undefined) throw new FilterSyntaxError(`dangling escape at position ${i}`);
          value += next;
          i += 2;
        } else if (c === '"') {
          i += 1;
          break;
        } else {
          value += c;
          i += 1;
        }
      }
      tokens.push({ type: 'string', value, at: start });
    } else if (/[-0-9]/.test(char)) {
      const match = /^-?\d+(\.\d+)?/.exec(text.slice(i));
      if (!match) throw new FilterSyntaxError(`unexpected "${char}" at position ${i}`);
      tokens.push({ type: 'number', value: Number(match[0]), at: i });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(char)) {
      const match = /^[A-Za-z_][\w.$-]*/.exec(text.slice(i)) as RegExpExecArray;
      tokens.push({ type: 'word', value: match[0], at: i });
      i += match[0].length;
    } else {
      throw new FilterSyntaxError(`unexpected "${char}" at position ${i}`);
    }
  }
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Parser:  or := and ('or' and)* ; and := unary ('and' unary)* ;
//          unary := 'not' '(' or ')' | '(' or ')' | attr 'pr' | attr op value

class Parser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): FilterNode {
    if (this.tokens.length === 0) throw new FilterSyntaxError('the filter is empty');
    const node = this.parseOr();
    const rest = this.peek();
    if (rest) throw new FilterSyntaxError(`unexpected ${describe(rest)} at position ${rest.at}`);
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private next(expected: string): Token {
    const token = this.tokens[this.position];
    if (!token) throw new FilterSyntaxError(`the filter ends where ${expected} was expected`);
    this.position += 1;
    return token;
  }

  private isKeyword(keyword: string): boolean {
    const token = this.peek();
    return token?.type === 'word' && token.value.toLowerCase() === keyword;
  }

  private parseOr(): FilterNode {
    let left = this.parseAnd();
    while (this.isKeyword('or')) {
      this.position += 1;
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseUnary();
    while (this.isKeyword('and')) {
      this.position += 1;
      left = { kind: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): FilterNode {
    if (this.isKeyword('not')) {
      this.position += 1;
      const open = this.next('"(" after not');
      if (open.type !== 'open')
        throw new FilterSyntaxError(`"not" must be followed by "(" at position ${open.at}`);
      return { kind: 'not', operand: this.parseGroupRest() };
    }
    const token = this.next('a condition');
    if (token.type === 'open') return this.parseGroupRest();
    if (token.type !== 'word') {
      throw new FilterSyntaxError(
        `expected an attribute but found ${describe(token)} at position ${token.at}`,
      );
    }
    return this.parseCondition(token.value);
  }

  private parseGroupRest(): FilterNode {
    const inner = this.parseOr();
    const close = this.next('")"');
    if (close.type !== 'close')
      throw new FilterSyntaxError(`expected ")" but found ${describe(close)} at position ${close.at}`);
    return inner;
  }

  private parseCondition(path: string): FilterNode {
    const attribute = resolveAttribute(path);
    const operatorToken = this.next(`an operator after "${path}"`);
    const operator = operatorToken.type === 'word' ? operatorToken.value.toLowerCase() : '';
    if (operator === 'pr') return { kind: 'present', attribute };
    if (!compareOperators.has(operator)) {
      throw new FilterSyntaxError(
        `expected an operator after "${path}" but found ${describe(operatorToken)}`,
      );
    }
    const compare = operator as CompareOperator;
    if (!operatorsByKind[attribute.kind].includes(compare)) {
      throw new FilterSyntaxError(`operator "${compare}" is not supported for "${attribute.name}"`);
    }
    const valueToken = this.next(`a value after "${path} ${compare}"`);
    const value = literal(valueToken);
    if (attribute.kind === 'date' && (typeof value !== 'string' || Number.isNaN(Date.parse(value)))) {
      throw new FilterSyntaxError(
        `"${attribute.name}" needs an ISO date in double quotes, got ${describe(valueToken)}`,
      );
    }
    if (attribute.kind !== 'date' && attribute.kind !== 'profile' && typeof value !== 'string') {
      throw new FilterSyntaxError(
        `"${attribute.name}" needs a string in double quotes, got ${describe(valueToken)}`,
      );
    }
    return { kind: 'compare', attribute, operator: compare, value };
  }
}

function literal(token: Token): FilterValue {
  if (token.type === 'string' || token.type === 'number') return token.value;
  if (token.type === 'word') {
    const word = token.value.toLowerCase();
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
  }
  throw new FilterSyntaxError(
    `expected a value (string in double quotes) but found ${describe(token)} at position ${token.at}`,
  );
}

function describe(token: Token): string {
  switch (token.type) {
    case 'open':
      return '"("';
    case 'close':
      return '")"';
    case 'string':
      return `string "${token.value}"`;
    default:
      return `"${token.value}"`;
  }
}

export function parseFilter(text: string): FilterNode {
  return new Parser(tokenize(text)).parse();
}

// ---------------------------------------------------------------------------------------------
// Evaluation

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
    case 'eq':
      return left === right;
    case 'ne':
      return left !== right;
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

/** Profile values may be numbers, booleans or objects; compare their text forms. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}
