import type { ActivityOptions } from '@temporalio/workflow';

/**
 * Retries for every Staffbase call. Retryable failures (429, 5xx, timeouts) are retried without a
 * cap on attempts, so an outage or a rate-limit storm delays runs instead of failing them; the
 * activity sets nextRetryDelay from Retry-After. Failures the client marks non-retryable
 * (validation, auth, unresolvable conflict) fail at once.
 */
export const staffbaseActivityOptions: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
  },
};
