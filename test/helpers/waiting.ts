import { type Client } from '@temporalio/client';

/** Polls `probe` in real time until it returns a value that passes `accept`; fails with the last value seen. */
export async function waitFor<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  { timeoutMs = 15_000, intervalMs = 50, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    try {
      last = await probe();
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
