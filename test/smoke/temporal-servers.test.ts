import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import * as smokeActivities from '../fixtures/smoke-activities';
import { greetThroughActivity, thirtyDaySleep } from '../fixtures/smoke-workflows';
import { testDataConverter } from '../helpers/encryption';
import { startDevServerEnvironment, startTimeSkippingEnvironment, workflowBundle } from '../helpers/temporal';

const workflowsPath = require.resolve('../fixtures/smoke-workflows');

describe('time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  before(async () => {
    env = await startTimeSkippingEnvironment();
  });
  after(async () => {
    await env?.teardown();
  });

  it('completes a 30-day sleep in seconds of wall time', async () => {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'smoke-time-skipping',
      workflowBundle: await workflowBundle(workflowsPath),
      // The environments' clients encrypt (test/helpers/encryption.ts): so must the worker.
      dataConverter: testDataConverter,
    });
    const startedAt = Date.now();
    const result = await worker.runUntil(
      env.client.workflow.execute(thirtyDaySleep, {
        taskQueue: 'smoke-time-skipping',
        workflowId: 'smoke-sleep',
      }),
    );
    assert.equal(result, 'woke after 30 days');
    assert.ok(Date.now() - startedAt < 60_000, 'the 30-day timer was skipped, not waited for');
  });
});

describe('dev server (temporal server start-dev)', () => {
  let env: TestWorkflowEnvironment;
  before(async () => {
    env = await startDevServerEnvironment();
  });
  after(async () => {
    await env?.teardown();
  });

  it('runs a workflow whose activity executes on a real worker', async () => {
    assert.equal(env.supportsTimeSkipping, false);
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'smoke-dev-server',
      workflowBundle: await workflowBundle(workflowsPath),
      activities: smokeActivities,
      dataConverter: testDataConverter,
    });
    const result = await worker.runUntil(
      env.client.workflow.execute(greetThroughActivity, {
        taskQueue: 'smoke-dev-server',
        workflowId: 'smoke-greet',
        args: ['Ada'],
      }),
    );
    assert.match(result, new RegExp(`^hello, Ada \\(pid ${process.pid}\\)$`));
  });
});
