/**
 * The strict payload codec on a real dev server: a run started with plaintext input (a client
 * without the key: the Temporal CLI, raw gRPC) against a worker with LIFECYCLE_ENCRYPTION=on fails
 * with the named error `UnencryptedPayloadRefused` at once — no activity runs and no workflow task is
 * retried; `migrate` still runs it (histories from before encryption); `off` is unchanged.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, type DataConverter } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { firstGreeting, greetThroughActivity, greetingSignal } from '../fixtures/smoke-workflows';
import { testDataConverter, testMigrateDataConverter } from '../helpers/encryption';
import { startDevServerEnvironment, workflowBundle } from '../helpers/temporal';
import { lifecycleDataConverter } from '../../lifecycle/payload-codec/data-converter';
import { UNENCRYPTED_PAYLOAD_FAILURE } from '../../lifecycle/payload-codec/unencrypted-payload';

const workflowsPath = require.resolve('../fixtures/smoke-workflows');

describe('strict payload codec (dev server)', () => {
  let env: TestWorkflowEnvironment;
  /** A client without the key: what anyone who can reach Temporal has. */
  let plainClient: Client;
  const greeted: string[] = [];
  const activities = {
    greet: (name: string) => {
      greeted.push(name);
      return Promise.resolve(`hello, ${name}`);
    },
  };

  before(async () => {
    env = await startDevServerEnvironment();
    plainClient = new Client({ connection: env.connection, namespace: 'default' });
  });
  after(async () => {
    await env?.teardown();
  });

  async function runWith<T>(taskQueue: string, dataConverter: DataConverter, until: () => Promise<T>) {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(workflowsPath),
      activities,
      dataConverter,
    });
    return worker.runUntil(until());
  }

  async function workflowTaskFailures(workflowId: string): Promise<number> {
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? []).filter((event) => event.workflowTaskFailedEventAttributes).length;
  }

  it('fails a plaintext start with UnencryptedPayloadRefused, without running it or retrying its task', async () => {
    const workflowId = 'strict-codec-plaintext';
    const failure = await runWith('strict-codec-on', testDataConverter, async () => {
      await plainClient.workflow.start(greetThroughActivity, {
        taskQueue: 'strict-codec-on',
        workflowId,
        args: ['plaintext-caller'],
      });
      // The worker's client holds the key: it reads the (encrypted) failure message.
      return env.client.workflow
        .getHandle(workflowId)
        .result()
        .then(
          () => assert.fail('a plaintext start must not complete'),
          (error: unknown) => error,
        );
    });
    assert.ok(failure instanceof WorkflowFailedError, String(failure));
    assert.ok(failure.cause instanceof ApplicationFailure);
    assert.equal(failure.cause.type, UNENCRYPTED_PAYLOAD_FAILURE);
    assert.match(failure.cause.message, /not encrypted.*LIFECYCLE_ENCRYPTION=migrate/s);
    assert.equal(await workflowTaskFailures(workflowId), 0, 'the workflow task is not retried');
    assert.ok(!greeted.includes('plaintext-caller'), 'no activity ran on the plaintext input');
  });

  it('still runs an encrypted start on the strict worker', async () => {
    const result = await runWith('strict-codec-on-encrypted', testDataConverter, () =>
      env.client.workflow.execute(greetThroughActivity, {
        taskQueue: 'strict-codec-on-encrypted',
        workflowId: 'strict-codec-encrypted',
        args: ['encrypted-caller'],
      }),
    );
    assert.equal(result, 'hello, encrypted-caller');
  });

  it('drops a plaintext signal to a running run on the strict worker; an encrypted one still counts', async () => {
    const workflowId = 'strict-codec-signal';
    const result = await runWith('strict-codec-on-signal', testDataConverter, async () => {
      const handle = await env.client.workflow.start(firstGreeting, {
        taskQueue: 'strict-codec-on-signal',
        workflowId,
      });
      await plainClient.workflow.getHandle(workflowId).signal(greetingSignal, 'plaintext-signaller');
      // The plaintext signal is in the history before the encrypted one: had it counted, it would win.
      await handle.signal(greetingSignal, 'encrypted-signaller');
      return handle.result();
    });
    assert.equal(result, 'first greeting from encrypted-signaller');
    assert.equal(await workflowTaskFailures(workflowId), 0);
  });

  it('runs a plaintext start with LIFECYCLE_ENCRYPTION=migrate', async () => {
    const workflowId = 'strict-codec-migrate';
    const result = await runWith('strict-codec-migrate', testMigrateDataConverter, async () => {
      await plainClient.workflow.start(greetThroughActivity, {
        taskQueue: 'strict-codec-migrate',
        workflowId,
        args: ['migrating-caller'],
      });
      return env.client.workflow.getHandle(workflowId).result() as Promise<string>;
    });
    assert.equal(result, 'hello, migrating-caller');
  });

  it('runs a plaintext start with LIFECYCLE_ENCRYPTION=off, as before', async () => {
    const result = await runWith('strict-codec-off', lifecycleDataConverter({ mode: 'off' }), () =>
      plainClient.workflow.execute(greetThroughActivity, {
        taskQueue: 'strict-codec-off',
        workflowId: 'strict-codec-off',
        args: ['clear-caller'],
      }),
    );
    assert.equal(result, 'hello, clear-caller');
  });
});
