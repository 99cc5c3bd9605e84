/**
 * client/workflow-runs.ts on a real dev server: start-or-return-the-open-run under both restart rules,
 * the retry when the open run closes between the refused start and the look-up (made to happen by
 * the start itself, not by timing), its bound, and the not-found mapping. The workflow is the smoke
 * fixture `firstGreeting`, which a signal finishes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { firstGreeting, greetingSignal } from '../fixtures/smoke-workflows';
import { testDataConverter } from '../helpers/encryption';
import { startDevServerEnvironment, workflowBundle } from '../helpers/temporal';
import { lifecycleWorkflowId } from '../../lifecycle/workflow-ids';
import {
  type RestartRule,
  type StartIdOptions,
  isClosedRunAnswer,
  latestRun,
  lifecycleHandle,
  maxStartAttempts,
  runHandle,
  startOrReturnOpen,
  startVerdict,
  unlessNotFound,
} from '../../client/workflow-runs';

const taskQueue = 'workflow-runs-test';

describe('startVerdict', () => {
  const run = (name: string) => ({ runId: 'r1', status: { name } });

  it('starts when there is no run, returns an open one under either rule', () => {
    assert.deepEqual(startVerdict(undefined, 'unless-completed'), { status: 'start' });
    assert.deepEqual(startVerdict(run('RUNNING'), 'always'), { status: 'already-running', runId: 'r1' });
    assert.deepEqual(startVerdict(run('RUNNING'), 'unless-completed'), {
      status: 'already-running',
      runId: 'r1',
    });
  });

  it('repeats a completed run only under `always`; a failed or terminated one under both', () => {
    assert.deepEqual(startVerdict(run('COMPLETED'), 'unless-completed'), {
      status: 'already-completed',
      runId: 'r1',
      closedStatus: 'COMPLETED',
    });
    assert.deepEqual(startVerdict(run('COMPLETED'), 'always'), { status: 'start' });
    for (const closed of ['FAILED', 'TERMINATED', 'TIMED_OUT', 'CANCELLED']) {
      assert.deepEqual(startVerdict(run(closed), 'unless-completed'), { status: 'start' }, closed);
    }
  });
});

describe('workflow runs (dev server)', () => {
  let env: TestWorkflowEnvironment;

  before(async () => {
    env = await startDevServerEnvironment();
  });
  after(async () => {
    await env?.teardown();
  });

  /** A start the way callers write it: their typed start, the ID options spread in. */
  const startGreeting = (idOptions: StartIdOptions) =>
    env.client.workflow.start(firstGreeting, { ...idOptions, taskQueue });

  const start = (workflowId: string, rule: RestartRule) =>
    startOrReturnOpen(env.client, workflowId, rule, startGreeting);

  /** Runs a worker until the open run of `workflowId` has completed (by its signal). */
  async function complete(workflowId: string): Promise<void> {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(require.resolve('../fixtures/smoke-workflows')),
      dataConverter: testDataConverter,
    });
    await worker.runUntil(async () => {
      const handle = runHandle<typeof firstGreeting>(env.client, workflowId);
      await handle.signal(greetingSignal, 'test');
      await handle.result();
    });
  }

  it('starts once and returns the open run to a second start, under either rule', async () => {
    const first = await start('runs-open', 'unless-completed');
    assert.equal(first.status, 'started');
    const second = await start('runs-open', 'always');
    assert.deepEqual(second, { status: 'already-running', runId: first.runId });
    assert.equal((await latestRun(env.client, 'runs-open'))?.runId, first.runId);
  });

  it('reports a completed run under `unless-completed` and starts again under `always`', async () => {
    const first = await start('runs-completed', 'unless-completed');
    await complete('runs-completed');
    assert.deepEqual(await start('runs-completed', 'unless-completed'), {
      status: 'already-completed',
      runId: first.runId,
      closedStatus: 'COMPLETED',
    });
    const again = await start('runs-completed', 'always');
    assert.equal(again.status, 'started');
    assert.notEqual(again.runId, first.runId);
  });

  it('starts again after a terminated run, even under `unless-completed`', async () => {
    const first = await start('runs-terminated', 'unless-completed');
    await runHandle(env.client, 'runs-terminated').terminate('test');
    const again = await start('runs-terminated', 'unless-completed');
    assert.equal(again.status, 'started');
    assert.notEqual(again.runId, first.runId);
  });

  it('starts again when the open run closed between the refused start and the look-up', async () => {
    const open = await start('runs-race', 'unless-completed');
    let attempts = 0;
    const outcome = await startOrReturnOpen(
      env.client,
      'runs-race',
      'unless-completed',
      async (idOptions) => {
        attempts += 1;
        try {
          return await startGreeting(idOptions);
        } catch (error) {
          // The open run ends after Temporal refused this start, before the look-up sees it.
          if (attempts === 1) await runHandle(env.client, 'runs-race').terminate('closed meanwhile');
          throw error;
        }
      },
    );
    assert.equal(attempts, 2);
    assert.equal(outcome.status, 'started');
    assert.notEqual(outcome.runId, open.runId);
    assert.equal((await latestRun(env.client, 'runs-race'))?.status.name, 'RUNNING');
  });

  it(`gives up after ${maxStartAttempts} refusals of a start the look-up says may go ahead`, async () => {
    await start('runs-bounded', 'always');
    await runHandle(env.client, 'runs-bounded').terminate('test');
    let attempts = 0;
    const refusal = new WorkflowExecutionAlreadyStartedError('refused', 'runs-bounded', 'firstGreeting');
    await assert.rejects(
      startOrReturnOpen(env.client, 'runs-bounded', 'always', () => {
        attempts += 1;
        return Promise.reject(refusal);
      }),
      (error) => error === refusal,
    );
    assert.equal(attempts, maxStartAttempts);
  });

  it('passes any other start error through without a look-up or a retry', async () => {
    let attempts = 0;
    const broken = new Error('unreachable');
    await assert.rejects(
      startOrReturnOpen(env.client, 'runs-broken', 'always', () => {
        attempts += 1;
        return Promise.reject(broken);
      }),
      (error) => error === broken,
    );
    assert.equal(attempts, 1);
    assert.equal(await latestRun(env.client, 'runs-broken'), undefined);
  });

  it('maps a workflow Temporal does not know to undefined, and nothing else', async () => {
    assert.equal(await latestRun(env.client, 'runs-never-started'), undefined);
    assert.equal(await unlessNotFound(() => runHandle(env.client, 'runs-never-started').result()), undefined);
    await assert.rejects(
      unlessNotFound(() => Promise.reject(new Error('other'))),
      /other/,
    );
    await assert.rejects(runHandle(env.client, 'runs-never-started').describe(), WorkflowNotFoundError);
  });

  it('tells a signal refused because the run has closed from other failures', async () => {
    await start('runs-closed-signal', 'always');
    await runHandle(env.client, 'runs-closed-signal').terminate('test');
    const refusal: unknown = await runHandle<typeof firstGreeting>(env.client, 'runs-closed-signal')
      .signal(greetingSignal, 'late')
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    assert.equal(isClosedRunAnswer(refusal), true, String(refusal));
    assert.equal(isClosedRunAnswer(new Error('deadline exceeded')), false);
  });

  it('addresses a lifecycle run by its lifecycle and externalID', () => {
    const handle = lifecycleHandle(env.client, 'offboarding', 'E-77');
    assert.equal(handle.workflowId, lifecycleWorkflowId('offboarding', 'E-77'));
  });
});
