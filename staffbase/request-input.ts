/**
 * What the client checks before it sends anything: ids become path segments or filter values, so
 * empty ids, dot segments and control characters are refused up front as validation errors.
 */
import { StaffbaseValidationError } from './errors';

/** `/users/{id}` for a checked id. */
export function userPath(operation: string, userId: string): string {
  requireId(operation, 'userId', userId);
  return `/users/${encodeURIComponent(userId)}`;
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f]/;

/** Ids become path segments or filter values: empty, dot segments and control characters are refused up front. */
export function requireId(operation: string, name: string, value: string): void {
  if (
    typeof value !== 'string' ||
    value.trim() === '' ||
    value === '.' ||
    value === '..' ||
    CONTROL_CHARACTER.test(value)
  ) {
    invalidInput(operation, `${name} must be a non-empty id, got ${JSON.stringify(value)}`);
  }
}

export function invalidInput(operation: string, summary: string): never {
  throw new StaffbaseValidationError({ operation, summary: `invalid input: ${summary}` });
}
