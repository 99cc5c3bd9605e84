/**
 * Keeps the names and emails of the people whose lifecycles run out of failures: every error an
 * activity throws leaves it with the person's values (from the activity's own input) and every email
 * address replaced, in its message, its stack and its causes. The SDK logs each failed activity with
 * its error, and the failure travels on to the workflow, whose failure is logged again; a failure's
 * type and details (where needs-attention reads the refused field) are kept as they are.
 *
 * The Staffbase failures already carry codes rather than Staffbase's words (activities/activity-failures.ts);
 * this is the net under every other error (a notifier's SMTP answer quoting the recipient, a bug's
 * TypeError, a future activity).
 */
import {
  type ActivityExecuteInput,
  type ActivityInboundCallsInterceptor,
  type ActivityInterceptorsFactory,
  type Next,
} from '@temporalio/worker';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';

export const PERSONAL_VALUE_REDACTED = '[personal data]';

/** Input fields that hold a person's name, address or number (at any depth of an activity's input). */
const personalFields: ReadonlySet<string> = new Set([
  'userName',
  'firstName',
  'lastName',
  'displayName',
  'name',
  'personName',
  'newHireName',
  'email',
  'emails',
  'contactEmail',
  'to',
  'phone',
  'phoneNumber',
  'mobile',
]);

const EMAIL_ADDRESS = /[^\s@"'<>()[\],;:]+@[^\s@"'<>()[\],;:]+\.[^\s@"'<>()[\],;:.]+/g;
/** Shorter values would blank out ordinary words in an error message; emails are caught as such. */
const MIN_PERSONAL_VALUE_LENGTH = 3;
const MAX_DEPTH = 6;

/** The personal values in an activity's input: strings under personal fields, and email addresses. */
export function personalValuesOf(args: readonly unknown[]): string[] {
  const values = new Set<string>();
  const visit = (value: unknown, personal: boolean, depth: number): void => {
    if (depth > MAX_DEPTH || value === null || value === undefined) return;
    if (typeof value === 'string') {
      if (personal && value.trim().length >= MIN_PERSONAL_VALUE_LENGTH) values.add(value.trim());
      for (const address of value.match(EMAIL_ADDRESS) ?? []) values.add(address);
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) visit(item, personal, depth + 1);
      return;
    }
    if (typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        visit(item, personal || personalFields.has(key), depth + 1);
      }
    }
  };
  for (const arg of args) visit(arg, false, 0);
  // Longest first: "Ada Lovelace" before "Ada".
  return [...values].sort((a, b) => b.length - a.length);
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Replaces the values (case-insensitively) and every email address in a text. */
export function scrubPersonalData(text: string, values: readonly string[]): string {
  let scrubbed = text;
  for (const value of values) {
    scrubbed = scrubbed.replace(new RegExp(escapeRegExp(value), 'gi'), PERSONAL_VALUE_REDACTED);
  }
  return scrubbed.replace(EMAIL_ADDRESS, PERSONAL_VALUE_REDACTED);
}

/** The error an activity threw, with the personal data taken out of its texts (and its causes'). */
export function scrubbedActivityError(error: unknown, values: readonly string[], depth = 0): unknown {
  // A cancellation must stay what it is: the SDK recognises it by its class.
  if (!(error instanceof Error) || error instanceof CancelledFailure || depth > MAX_DEPTH) return error;
  const scrub = (text: string) => scrubPersonalData(text, values);
  const cause = error.cause === undefined ? undefined : scrubbedActivityError(error.cause, values, depth + 1);
  if (error instanceof ApplicationFailure) {
    // A new failure (its fields are read-only), with the same type, retry decision, details and category.
    const scrubbed = new ApplicationFailure(
      scrub(error.message),
      error.type,
      error.nonRetryable,
      error.details,
      cause instanceof Error ? cause : undefined,
      error.nextRetryDelay,
      error.category,
    );
    scrubbed.stack = error.stack === undefined ? undefined : scrub(error.stack);
    return scrubbed;
  }
  error.message = scrub(error.message);
  if (error.stack !== undefined) error.stack = scrub(error.stack);
  if (cause !== undefined) error.cause = cause;
  return error;
}

class PersonalDataInterceptor implements ActivityInboundCallsInterceptor {
  async execute(
    input: ActivityExecuteInput,
    next: Next<ActivityInboundCallsInterceptor, 'execute'>,
  ): Promise<unknown> {
    try {
      return await next(input);
    } catch (error) {
      throw scrubbedActivityError(error, personalValuesOf(input.args));
    }
  }
}

/** For `Worker.create({ interceptors: { activity: [...] } })`: first, so it sees every error. */
export function personalDataActivityInterceptors(): ActivityInterceptorsFactory {
  return () => ({ inbound: new PersonalDataInterceptor() });
}
