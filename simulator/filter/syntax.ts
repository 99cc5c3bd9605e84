/**
 * The SCIM-style `filter=` language of `GET /users` (simulator): its tree, the attributes it names,
 * and the error every stage throws. Operators and keywords are case-insensitive (SCIM); attribute
 * names too, except the field after `profile.`. The stages: lexer.ts → parser.ts → evaluate.ts.
 */
import { type SimulatedUserRecord } from '../types';

export class FilterSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterSyntaxError';
  }
}

export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
export type FilterValue = string | number | boolean | null;

export type AttributeKind = 'text' | 'multiText' | 'date' | 'profile' | 'presenceOnly';

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
