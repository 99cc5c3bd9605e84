import { ApplicationFailure } from '@temporalio/activity';
import { NotificationDeliveryError } from './notifications/errors';
import {
  StaffbaseConflictError,
  StaffbaseRateLimitedError,
  StaffbaseTransientError,
  type StaffbaseApiError,
  isStaffbaseApiError,
} from './staffbase/errors';
import { clampRetryAfterMs } from './staffbase/retry-after';

/**
 * Turns the typed errors of the Staffbase client and the notifier into Temporal retry decisions.
 * Whether an error is retryable was decided once, by the code that understood it; this only
 * carries that decision (and Retry-After) to the server.
 */
export function toActivityFailure(error: unknown): unknown {
  if (isStaffbaseApiError(error)) {
    return ApplicationFailure.create({
      type: error.constructor.name,
      message: error.message,
      nonRetryable: !error.retryable,
      nextRetryDelay: retryDelayOf(error),
      details: [
        { operation: error.operation, status: error.status, kind: error.kind, field: refusedFieldOf(error) },
      ],
    });
  }
  if (error instanceof NotificationDeliveryError) {
    return ApplicationFailure.create({
      type: 'NotificationDeliveryError',
      message: error.message,
      nonRetryable: !error.retryable,
      details: [{ kind: error.kind }],
    });
  }
  return error;
}

/** Request fields a refusal may name, as Staffbase's messages spell them. */
const refusableFields: ReadonlyArray<[RegExp, string]> = [
  [/\buser_?name\b/i, 'userName'],
  [/\bemails?\b/i, 'email'],
  [/\blocale\b/i, 'locale'],
  [/\bgroup(?:s|ids?)?\b/i, 'groupIDs'],
  [/\bprofile\b/i, 'profile'],
  [/\bfirst_?name\b/i, 'firstName'],
  [/\blast_?name\b/i, 'lastName'],
];

/**
 * The field a refusal is about, so a run in needs-attention can say what to correct: a conflict names
 * its taken field; a validation error names one in its message, when it does.
 */
export function refusedFieldOf(error: StaffbaseApiError): string | undefined {
  if (error instanceof StaffbaseConflictError) return error.field;
  if (error.kind !== 'validation') return undefined;
  const message = error.staffbase?.message ?? '';
  return refusableFields.find(([pattern]) => pattern.test(message))?.[1];
}

/**
 * The server's own word on when to come back (429, and a 503 that says so), clamped to 1 s – 15 min;
 * without one the retry policy's exponential backoff applies.
 */
function retryDelayOf(error: StaffbaseApiError): number | undefined {
  if (error instanceof StaffbaseRateLimitedError || error instanceof StaffbaseTransientError) {
    return clampRetryAfterMs(error.retryAfterMs);
  }
  return undefined;
}

/** Runs an activity body, converting the errors it throws into the failures Temporal should see. */
export async function withRetryDecisions<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw toActivityFailure(error);
  }
}
