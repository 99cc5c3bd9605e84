import { type Client } from '@temporalio/client';

/**
 * Polls `probe` in real time until it returns a value that passes `accept`; fails with the last value
 * seen. A probe that never answers (a query the time-skipping server drops while a workflow task
 * fails) fails the wait 10 s past its deadline at the latest instead of hanging the test run; with
 * `probeTimeoutMs`, it is given up after that long and asked again.
 */
export async function waitFor<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  { timeoutMs = 15_000, intervalMs = 50, what = 'condition', probeTimeoutMs = Number.POSITIVE_INFINITY } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    try {
      const remaining = Math.min(probeTimeoutMs, Math.max(10_000, deadline - Date.now()));
      last = await withinMs(probe(), remaining, `probing for ${what}`);
      if (accept(last)) return last;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Settles as `promise` does, or fails after `ms` with a message naming `what` (the promise is left to settle). */
export async function withinMs<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`No answer within ${ms} ms ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits until Temporal visibility counts `expected` runs for `query` (it indexes a moment after a run says so). */
export async function waitForVisibleCount(
  client: Client,
  query: string,
  expected: number,
  { timeoutMs = 30_000, what = 'runs in visibility' } = {},
): Promise<number> {
  return waitFor(
    async () => (await client.workflow.count(query)).count,
    (count) => count === expected,
    { timeoutMs, intervalMs: 200, what },
  );
}
