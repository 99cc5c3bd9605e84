/**
 * How much workflow state one worker keeps in memory. The SDK sizes its workflow cache from the V8
 * heap limit, which Node derives from the host's memory: on a 24 GB host that is ~2,000 cached runs,
 * and 3,000 offboardings parked in retention grew the worker to 1.1 GB RSS — a 512 MB container on
 * a big host would be killed. A fixed cache evicts parked runs instead; a run evicted while it waits
 * costs nothing until its timer fires, then it is replayed from history (milliseconds for the short
 * histories these workflows keep).
 *
 * WORKER_MEMORY_BUDGET_MB sizes the cache from the memory the worker may use instead of a count:
 * (budget − base) ÷ per cached run, with the two figures below.
 */
import { z } from 'zod';
import { parseEnv } from './config-error';
import {
  DEFAULT_WORKER_MAX_CACHED_WORKFLOWS,
  DEFAULT_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
} from './defaults';
import { wholeNumber } from './env-rules';

export const WORKER_MEMORY_ENV_VARS = [
  'WORKER_MEMORY_BUDGET_MB',
  'WORKER_MAX_CACHED_WORKFLOWS',
  'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS',
] as const;

/*
 * Measured with the parked benchmark's unpaced mode (one CLI import of n leavers; the compiled worker
 * with the image's process settings), the cache fixed by WORKER_MAX_CACHED_WORKFLOWS=c, 2-CPU VM,
 * 2026-12-07 (`PARKED=n PARKED_MODE=unpaced PARKED_RUNS=1 npm run bench -- parked`):
 *
 *   n = 300, c = 20:   worker RSS peak 252 MB, quiet (all parked) 220 MB
 *   n = 300, c = 300:  peak 303 MB, quiet 301 MB
 *   n = 600, c = 600:  peak 400 MB, quiet 400 MB
 *
 * The quiet RSS grows 0.29–0.33 MB per cached run (parked offboardings; every run stays cached when
 * c ≥ n); the larger slope is used. The base is the small cache's peak (code, native threads, the
 * work in flight, thrashing included) less that cache's share: 252 − 20 × 0.33 ≈ 245 MB. So
 * base + c × cost overestimates the measured peaks (by about 40 MB at c = 300 and 600), never under.
 */
/** The worker's RSS without cached runs, at its peak while parking (MB). */
export const WORKER_MEMORY_BASE_MB = 245;
/** RSS per cached run (MB). */
export const WORKER_MEMORY_PER_CACHED_RUN_MB = 0.33;
/** A budget must leave room for at least this many cached runs above the base. */
export const WORKER_MEMORY_MIN_CACHED_WORKFLOWS = 10;
const MAX_CACHED_WORKFLOWS = 100_000;

/** The smallest budget accepted (MB). */
export const WORKER_MEMORY_MIN_BUDGET_MB = Math.ceil(
  WORKER_MEMORY_BASE_MB + WORKER_MEMORY_MIN_CACHED_WORKFLOWS * WORKER_MEMORY_PER_CACHED_RUN_MB,
);

export interface WorkerMemoryConfig {
  /** Runs kept in the worker's cache (sticky execution); the least recently used are evicted. */
  maxCachedWorkflows: number;
  /** Workflow tasks one worker runs at once (at most maxCachedWorkflows). */
  maxConcurrentWorkflowTasks: number;
  /** WORKER_MEMORY_BUDGET_MB when the cache size was derived from it; undefined for a fixed count. */
  budgetMb?: number;
}

/** The cache size a memory budget allows: (budget − base) ÷ per cached run, rounded down. */
export function cachedWorkflowsForBudget(budgetMb: number): number {
  const runs = Math.floor((budgetMb - WORKER_MEMORY_BASE_MB) / WORKER_MEMORY_PER_CACHED_RUN_MB);
  return Math.min(MAX_CACHED_WORKFLOWS, Math.max(WORKER_MEMORY_MIN_CACHED_WORKFLOWS, runs));
}

const workerMemoryEnvSchema = z
  .object({
    WORKER_MEMORY_BUDGET_MB: wholeNumber(WORKER_MEMORY_MIN_BUDGET_MB, 1_000_000).optional(),
    WORKER_MAX_CACHED_WORKFLOWS: wholeNumber(2, MAX_CACHED_WORKFLOWS).optional(),
    WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: wholeNumber(2, 1_000).default(
      DEFAULT_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    ),
  })
  // Two sources for one number: refuse to start rather than pick one silently.
  .refine(
    (env) => env.WORKER_MEMORY_BUDGET_MB === undefined || env.WORKER_MAX_CACHED_WORKFLOWS === undefined,
    {
      path: ['WORKER_MEMORY_BUDGET_MB'],
      error:
        'and WORKER_MAX_CACHED_WORKFLOWS are both set: set only one (the budget derives the cache size from memory)',
      when: () => true,
    },
  );

export function workerMemoryConfigFromEnv(env: NodeJS.ProcessEnv): WorkerMemoryConfig {
  const parsed = parseEnv(workerMemoryEnvSchema, env, WORKER_MEMORY_ENV_VARS);
  const budgetMb = parsed.WORKER_MEMORY_BUDGET_MB;
  const maxCachedWorkflows =
    budgetMb !== undefined
      ? cachedWorkflowsForBudget(budgetMb)
      : (parsed.WORKER_MAX_CACHED_WORKFLOWS ?? DEFAULT_WORKER_MAX_CACHED_WORKFLOWS);
  return {
    maxCachedWorkflows,
    // The SDK refuses more concurrent tasks than cached runs.
    maxConcurrentWorkflowTasks: Math.min(parsed.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS, maxCachedWorkflows),
    ...(budgetMb !== undefined && { budgetMb }),
  };
}
