import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../config/config-error';
import { DEFAULT_WORKER_MAX_CACHED_WORKFLOWS } from '../../config/defaults';
import { workerMemoryConfigFromEnv } from '../../config/worker-memory';

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
});
