import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../config/config-error';
import { DEFAULT_WORKER_MAX_CACHED_WORKFLOWS } from '../../config/defaults';
import {
  WORKER_MEMORY_BASE_MB,
  WORKER_MEMORY_MIN_BUDGET_MB,
  WORKER_MEMORY_MIN_CACHED_WORKFLOWS,
  WORKER_MEMORY_PER_CACHED_RUN_MB,
  cachedWorkflowsForBudget,
  workerMemoryConfigFromEnv,
} from '../../config/worker-memory';

describe('worker memory configuration', () => {
  it('defaults to a cache that fits a 512 MB container, whatever the host has', () => {
    assert.deepEqual(workerMemoryConfigFromEnv({}), {
      maxCachedWorkflows: DEFAULT_WORKER_MAX_CACHED_WORKFLOWS,
      maxConcurrentWorkflowTasks: 10,
    });
  });

  it('reads both variables, and never more concurrent tasks than cached runs', () => {
    assert.deepEqual(
      workerMemoryConfigFromEnv({
        WORKER_MAX_CACHED_WORKFLOWS: '1000',
        WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '40',
      }),
      { maxCachedWorkflows: 1000, maxConcurrentWorkflowTasks: 40 },
    );
    assert.equal(
      workerMemoryConfigFromEnv({
        WORKER_MAX_CACHED_WORKFLOWS: '5',
        WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '40',
      }).maxConcurrentWorkflowTasks,
      5,
    );
  });

  it('names a bad value', () => {
    assert.throws(
      () => workerMemoryConfigFromEnv({ WORKER_MAX_CACHED_WORKFLOWS: 'lots' }),
      (error: unknown) => error instanceof ConfigError && /WORKER_MAX_CACHED_WORKFLOWS/.test(error.message),
    );
  });

  it('derives the cache from WORKER_MEMORY_BUDGET_MB: (budget − base) ÷ per cached run, rounded down', () => {
    const budget = Math.round(WORKER_MEMORY_BASE_MB + 250.5 * WORKER_MEMORY_PER_CACHED_RUN_MB);
    const expected = Math.floor((budget - WORKER_MEMORY_BASE_MB) / WORKER_MEMORY_PER_CACHED_RUN_MB);
    assert.ok(expected >= 249 && expected <= 251);
    assert.deepEqual(workerMemoryConfigFromEnv({ WORKER_MEMORY_BUDGET_MB: String(budget) }), {
      maxCachedWorkflows: expected,
      maxConcurrentWorkflowTasks: 10,
      budgetMb: budget,
    });
    // More memory, more cached runs; never fewer than the floor, never more than the count's maximum.
    assert.ok(cachedWorkflowsForBudget(2 * budget) > cachedWorkflowsForBudget(budget));
    const smallest = cachedWorkflowsForBudget(WORKER_MEMORY_MIN_BUDGET_MB);
    assert.ok(
      smallest >= WORKER_MEMORY_MIN_CACHED_WORKFLOWS && smallest < WORKER_MEMORY_MIN_CACHED_WORKFLOWS + 5,
    );
    assert.equal(cachedWorkflowsForBudget(WORKER_MEMORY_BASE_MB), WORKER_MEMORY_MIN_CACHED_WORKFLOWS);
    assert.equal(cachedWorkflowsForBudget(1_000_000), 100_000);
  });

  it('keeps the concurrent tasks at most the derived cache', () => {
    const config = workerMemoryConfigFromEnv({
      WORKER_MEMORY_BUDGET_MB: String(WORKER_MEMORY_MIN_BUDGET_MB),
      WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '40',
    });
    assert.equal(config.maxCachedWorkflows, cachedWorkflowsForBudget(WORKER_MEMORY_MIN_BUDGET_MB));
    assert.ok(config.maxCachedWorkflows < 40);
    assert.equal(config.maxConcurrentWorkflowTasks, config.maxCachedWorkflows);
  });

  it('refuses a budget below the worker’s base, naming the variable and the minimum', () => {
    assert.throws(
      () => workerMemoryConfigFromEnv({ WORKER_MEMORY_BUDGET_MB: String(WORKER_MEMORY_MIN_BUDGET_MB - 1) }),
      (error: unknown) =>
        error instanceof ConfigError &&
        new RegExp(`WORKER_MEMORY_BUDGET_MB must be between ${WORKER_MEMORY_MIN_BUDGET_MB} and`).test(
          error.message,
        ),
    );
    assert.throws(
      () => workerMemoryConfigFromEnv({ WORKER_MEMORY_BUDGET_MB: '300MB' }),
      (error: unknown) => error instanceof ConfigError && /WORKER_MEMORY_BUDGET_MB/.test(error.message),
    );
  });

  it('refuses WORKER_MEMORY_BUDGET_MB and WORKER_MAX_CACHED_WORKFLOWS both set, naming both', () => {
    assert.throws(
      () =>
        workerMemoryConfigFromEnv({
          WORKER_MEMORY_BUDGET_MB: String(WORKER_MEMORY_MIN_BUDGET_MB + 100),
          WORKER_MAX_CACHED_WORKFLOWS: '200',
        }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.length === 1 &&
        /WORKER_MEMORY_BUDGET_MB and WORKER_MAX_CACHED_WORKFLOWS are both set/.test(error.message),
    );
    // Empty counts as unset (as everywhere in the configuration).
    assert.equal(
      workerMemoryConfigFromEnv({ WORKER_MEMORY_BUDGET_MB: '', WORKER_MAX_CACHED_WORKFLOWS: '200' })
        .maxCachedWorkflows,
      200,
    );
  });

  it('reports the both-set problem beside another bad value, all at once', () => {
    assert.throws(
      () =>
        workerMemoryConfigFromEnv({
          WORKER_MEMORY_BUDGET_MB: String(WORKER_MEMORY_MIN_BUDGET_MB + 100),
          WORKER_MAX_CACHED_WORKFLOWS: '200',
          WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: 'many',
        }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /both set/.test(error.message) &&
        /WORKER_MAX_CONCURRENT_WORKFLOW_TASKS/.test(error.message),
    );
  });
});
