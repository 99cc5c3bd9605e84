import { whileHeartbeating } from './heartbeating';

/**
 * Bulk activities heartbeat this often while their one call runs; the bulk runs give them a heartbeat
 * timeout of a few times this (`workflows/bulk-run.ts`). A task lost in a worker restart (polled,
 * never run) is then retried within seconds instead of after the one-minute start-to-close timeout.
 */
export const bulkHeartbeatIntervalMs = 2_000;

/** Runs a bulk activity's one call while heartbeating every `bulkHeartbeatIntervalMs`. */
export const whileHeartbeatingBulk = <T>(body: () => Promise<T>) =>
  whileHeartbeating(bulkHeartbeatIntervalMs, body);
