import { ApplicationFailure } from '@temporalio/activity';
import { ApplicationFailureCategory } from '@temporalio/common';
import { STAFFBASE_WORDS_DETAIL } from '../lifecycle/staffbase-words';
import { NotificationDeliveryError } from './notifications/errors';
import {
  StaffbaseConflictError,
  StaffbaseRateLimitedError,
  StaffbaseTransientError,
  type StaffbaseApiError,
  type StaffbaseErrorKind,
  isStaffbaseApiError,
  loggableMessage,
} from '../staffbase/errors';
import { clampRetryAfterMs } from '../staffbase/retry-after';

/**
 * Refusals that are part of the story — the run parks in needs-attention and a person fixes the
 * request — not faults: BENIGN, so the SDK logs them at debug instead of warning once per step.
 * A refused token (`auth`) stays a warning: that is the operator's to fix.
 */
const expectedRefusals: ReadonlySet<StaffbaseErrorKind> = new Set(['conflict', 'validation', 'not-found']);

/**
 * Turns the typed errors of the Staffbase client and the notifier into Temporal retry decisions.
 * Whether an error is retryable was decided once, by the code that understood it; this only
 * carries that decision (and Retry-After) to the server. The message carries codes, never
 * Staffbase's own words (they can quote a name or an email, and failures are logged): those travel
 * in the details (lifecycle/staffbase-words.ts).
 */
export function toActivityFailure(error: unknown): unknown {
  if (isStaffbaseApiError(error)) {
    return ApplicationFailure.create({
      type: error.constructor.name,
      message: loggableMessage(error),
      nonRetryable: !error.retryable,
      nextRetryDelay: retryDelayOf(error),
      ...(expectedRefusals.has(error.kind) && { category: ApplicationFailureCategory.BENIGN }),
      details: [
        {
          operation: error.operation,
          status: error.status,
          kind: error.kind,
          field: refusedFieldOf(error),
          ...(error.staffbase?.message !== undefined && {
            [STAFFBASE_WORDS_DETAIL]: error.staffbase.message,
          }),
        },
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
