import { asyncLocalStorage, heartbeat } from '@temporalio/activity';

/**
 * Runs an activity body while heartbeating every `intervalMs`, so the server notices a crashed
 * worker within its heartbeat timeout instead of the (long) start-to-close timeout. Outside an
 * activity (unit tests calling the function directly) it only runs the body.
 */
export async function whileHeartbeating<T>(intervalMs: number, body: () => Promise<T>): Promise<T> {
  if (!asyncLocalStorage.getStore()) return body();
  heartbeat();
  const timer = setInterval(() => heartbeat(), intervalMs);
  try {
    return await body();
  } finally {
    clearInterval(timer);
  }
}
