import { ApplicationFailure } from '@temporalio/activity';
import { NotificationDeliveryError } from './notifications/errors';
import { StaffbaseRateLimitedError, isStaffbaseApiError } from './staffbase/errors';

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
      nextRetryDelay: error instanceof StaffbaseRateLimitedError ? error.retryAfterMs : undefined,
      details: [{ operation: error.operation, status: error.status, kind: error.kind }],
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

/** Runs an activity body, converting the errors it throws into the failures Temporal should see. */
export async function withRetryDecisions<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw toActivityFailure(error);
  }
}
