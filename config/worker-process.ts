/**
 * The worker process's memory settings that only work from its environment at start-up (glibc and V8
 * read them before any project code runs). The Dockerfile sets them for the image (checked by
 * test/deploy/compose.test.ts) and the parked benchmark starts its worker with them.
 *
 * Measured with `npm run bench -- parked` (2,000 parked, 2-CPU VM): worker RSS peak 326 MB and median
 * 318 MB without them; 301 / 280 MB with the smaller young generation alone; 280 / 265 MB with both.
 */
export const WORKER_PROCESS_ENV = {
  // glibc keeps up to 8 malloc arenas per CPU for the SDK's native threads, each holding on to freed
  // memory; two are plenty for a worker that spends its time waiting on the network.
  MALLOC_ARENA_MAX: '2',
  // Under load V8 grows each isolate's young generation to 3 × 16 MB (the main thread's and the
  // workflow thread's): 8 MB semi-spaces keep the scavenges short and the peak lower.
  NODE_OPTIONS: '--max-semi-space-size=8',
} as const;

export const WORKER_PROCESS_ENV_VARS = Object.keys(WORKER_PROCESS_ENV) as (keyof typeof WORKER_PROCESS_ENV)[];
