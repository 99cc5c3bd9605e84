/**
 * Spaces requests evenly at a rate, e.g. STAFFBASE_REQUESTS_PER_SECOND: the preflight's look-ups run
 * while workers may be calling the same tenant, so they never ask faster than the configured rate.
 * One caller at a time (the preflight reads page after page); it is not a shared token bucket.
 */
export interface RequestPacer {
  /** Resolves when the next request may be sent. */
  next(): Promise<void>;
}

export function createRequestPacer(
  requestsPerSecond: number,
  clock: { now: () => number; sleep: (ms: number) => Promise<void> } = {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  },
): RequestPacer {
  if (!(requestsPerSecond > 0))
    throw new RangeError(`requests per second must be > 0, got ${requestsPerSecond}`);
  const interval = 1000 / requestsPerSecond;
  let nextSlot = 0;
  return {
    async next() {
      const now = clock.now();
      const wait = nextSlot - now;
      nextSlot = Math.max(now, nextSlot) + interval;
      if (wait > 0) await clock.sleep(wait);
    },
  };
}
