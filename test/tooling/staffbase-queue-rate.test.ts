/**
 * The Staffbase queue's rate set on the server (tooling/staffbase-queue-rate.ts, the command compose's
 * temporal-setup job, `npm start` and the test stacks run) binds a worker that asks for far more:
 * on the dev server, a worker sending maxTaskQueueActivitiesPerSecond 1000 gets the server's rate.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { taskQueues } from '../../lifecycle/task-queues';
import {
  setStaffbaseQueueRate,
  staffbaseQueueRate,
  staffbaseQueueRateArgs,
} from '../../tooling/staffbase-queue-rate';
import { priorityLaneArgs } from '../../tooling/dev-server';
import { resolveTemporalBinary } from '../../tooling/temporal-binaries';
import { activitiesOnQueue } from '../fixtures/queue-rate-workflows';
import { testDataConverter } from '../helpers/encryption';
import { startDevServerEnvironment, workflowBundle } from '../helpers/temporal';

const SERVER_RATE = 4;
const CALLS = 40;

/** The most events within any window of `windowMs`. */
function busiestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end += 1) {
    while ((sorted[end] ?? 0) - (sorted[start] ?? 0) >= windowMs) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

describe('the Staffbase queue rate set on the server', () => {
  let env: TestWorkflowEnvironment;
  const cli = resolveTemporalBinary('cli');
  before(async () => {
    // The lanes' single partition, as npm start and production run the queue.
    env = await startDevServerEnvironment(priorityLaneArgs());
  });
  after(async () => {
    await env?.teardown();
  });

  it('refuses a rate that is not a positive number, naming the variable', () => {
    for (const requestsPerSecond of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(
        () =>
          staffbaseQueueRateArgs({ address: 'x:1', namespace: 'default', requestsPerSecond, reason: 'r' }),
        /STAFFBASE_REQUESTS_PER_SECOND must be a positive number/,
      );
    }
  });

  it('is read back from the server, and a worker asking for 1000/s runs at the server rate', async () => {
    const address = env.address;
    assert.equal(await staffbaseQueueRate({ cli, address, namespace: 'default' }), undefined);
    await setStaffbaseQueueRate({
      cli,
      address,
      namespace: 'default',
      requestsPerSecond: SERVER_RATE,
      reason: 'test',
    });
    assert.equal(await staffbaseQueueRate({ cli, address, namespace: 'default' }), SERVER_RATE);

    const started: number[] = [];
    const workflowQueue = 'queue-rate-workflows';
    const [workflows, calls] = await Promise.all([
      Worker.create({
        connection: env.nativeConnection,
        taskQueue: workflowQueue,
        workflowBundle: await workflowBundle(require.resolve('../fixtures/queue-rate-workflows')),
        dataConverter: testDataConverter,
      }),
      Worker.create({
        connection: env.nativeConnection,
        taskQueue: taskQueues.staffbaseApi,
        dataConverter: testDataConverter,
        // What a misconfigured replica would send: the server's rate must win.
        maxTaskQueueActivitiesPerSecond: 1000,
        activities: {
          greet: (name: string) => {
            started.push(Date.now());
            return Promise.resolve(name);
          },
        },
      }),
    ]);
    const run = env.client.workflow.execute(activitiesOnQueue, {
      taskQueue: workflowQueue,
      workflowId: 'queue-rate-override',
      args: [CALLS, taskQueues.staffbaseApi],
    });
    const done = await workflows.runUntil(calls.runUntil(run));
    assert.equal(done, CALLS);
    assert.equal(started.length, CALLS);
    // A token bucket holds at most one second's worth: any 1 s window sees at most 2 × the rate
    // (+1 for the window's edge). Unlimited, the 40 calls start within far less than a second.
    const busiest = busiestWindow(started, 1_000);
    assert.ok(busiest <= 2 * SERVER_RATE + 1, `${busiest} calls started within one second`);
    const spanMs = Math.max(...started) - Math.min(...started);
    assert.ok(
      spanMs >= ((CALLS - 2 * SERVER_RATE) / SERVER_RATE) * 1_000 - 500,
      `all calls within ${spanMs} ms`,
    );
  });
});
