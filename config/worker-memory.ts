/**
 * How much workflow state one worker keeps in memory. The SDK sizes its workflow cache from the V8
 * heap limit, which Node derives from the host's memory: on a 24 GB host that is ~2,000 cached runs,
 * and 3,000 offboardings parked in retention grew the worker to 1.1 GB RSS — a 512 MB container on
 * a big host would be killed. A fixed cache evicts parked runs instead; a run evicted while it waits
 * costs nothing until its timer fires, then it is replayed from history (milliseconds for the short
 * histories these workflows keep).
 */
import { z } from 'zod';
import { parseEnv } from './config-error';
import {
  DEFAULT_WORKER_MAX_CACHED_WORKFLOWS,
  DEFAULT_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
} from './defaults';
import { wholeNumber } from './env-rules';

export const WORKER_MEMORY_ENV_VARS = [
  'WORKER_MAX_CACHED_WORKFLOWS',
  'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS',
] as const;

export interface WorkerMemoryConfig {
  /** Runs kept in the worker's cache (sticky execution); the least recently used are evicted. */
  maxCachedWorkflows: number;
  /** Workflow tasks one worker runs at once (at most maxCachedWorkflows). */
  maxConcurrentWorkflowTasks: number;
}

const workerMemoryEnvSchema = z.object({
  WORKER_MAX_CACHED_WORKFLOWS: wholeNumber(2, 100_000).default(DEFAULT_WORKER_MAX_CACHED_WORKFLOWS),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: wholeNumber(2, 1_000).default(
    DEFAULT_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
  ),
});

export function workerMemoryConfigFromEnv(env: NodeJS.ProcessEnv): WorkerMemoryConfig {
  const parsed = parseEnv(workerMemoryEnvSchema, env, WORKER_MEMORY_ENV_VARS);
  return {
    maxCachedWorkflows: parsed.WORKER_MAX_CACHED_WORKFLOWS,
    // The SDK refuses more concurrent tasks than cached runs.
    maxConcurrentWorkflowTasks: Math.min(
      parsed.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      parsed.WORKER_MAX_CACHED_WORKFLOWS,
    ),
  };
}
