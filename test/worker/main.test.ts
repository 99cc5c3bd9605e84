/**
 * worker/main.ts as a real child process, against a Temporal dev server and the Staffbase simulator:
 * it starts from its environment, runs an onboarding end to end, serves metrics, stops cleanly on
 * SIGTERM, refuses a bad configuration naming every variable, and never prints the Staffbase token.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { policiesFromEnv } from '../../config/policies';
import { taskQueues } from '../../lifecycle/task-queues';
import { type RunningSimulator } from '../../simulator/server';
import { type SimulatorControl } from '../../simulator/control-client';
import { openStore } from '../../store';
import { bundleWorkflows } from '../../worker/bundle-workflows';
import { WORKER_SHUTDOWN_GRACE_MS } from '../../worker/workers';
import { startOnboarding } from '../../client/lifecycle-runs';
import type { activationSweep } from '../../workflows/activation-sweep';
import type { onboarding } from '../../workflows/onboarding';
import type { OnboardingRequest } from '../../lifecycle/onboarding-request';
import { onboardingActivatedSignal, onboardingStatusQuery } from '../../workflows/onboarding-messages';
import { describeFindings, findPersonalDataInLines } from '../../tooling/log-check';
import { newHire, testPersonalData } from '../helpers/people';
import { testEncryptionEnv } from '../helpers/encryption';
import { startTestSimulator } from '../helpers/simulator';
import { startDevServerEnvironment } from '../helpers/temporal';
import { waitFor, waitForVisibleCount } from '../helpers/waiting';
import { logCaptureEnv } from '../../config/log-capture';

const root = path.resolve(__dirname, '..', '..');

interface WorkerChild {
  child: ChildProcess;
  /** stdout and stderr as received so far. */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();
/** The workers' store (audit rows): a file of this test's, never the checkout's `.data/store.sqlite`. */
const storeDir = mkdtempSync(path.join(tmpdir(), 'worker-main-store-'));
process.once('exit', () => rmSync(storeDir, { recursive: true, force: true }));

/** The worker with ONLY the given variables (plus PATH and HOME), so the test's own env cannot leak in. */
function spawnWorker(env: Record<string, string>): WorkerChild {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...logCaptureEnv(),
      ...testEncryptionEnv,
      LIFECYCLE_STORE_URL: `sqlite:${path.join(storeDir, 'store.sqlite')}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  return { child, output: () => output, exited };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address && typeof address === 'object');
  return address.port;
}

after(() => {
  for (const child of children) child.kill('SIGKILL');
});

describe('worker process: configuration errors', () => {
  it('exits 1 naming every bad variable, without printing the token', async () => {
    const token = 'dGhpcy1pcy1hLXNlY3JldC10b2tlbi12YWx1ZQ==';
    const worker = spawnWorker({
      STAFFBASE_BASE_URL: 'acme.staffbase.com',
      STAFFBASE_API_TOKEN: `${token} ${token}`,
      STAFFBASE_REQUESTS_PER_SECOND: '0',
      TEMPORAL_ADDRESS: 'no-port',
      METRICS_PORT: 'ninety',
      LOG_FORMAT: 'xml',
      SMTP_FROM: 'hr@example.com',
    });
    const { code } = await within(worker.exited, 30_000, 'exiting on a bad configuration');
    assert.equal(code, 1);
    for (const variable of [
      'STAFFBASE_BASE_URL',
      'STAFFBASE_API_TOKEN',
      'STAFFBASE_REQUESTS_PER_SECOND',
      'TEMPORAL_ADDRESS',
      'METRICS_PORT',
      'LOG_FORMAT',
      'SMTP_HOST',
    ]) {
      assert.match(worker.output(), new RegExp(`${variable} `), `${variable} is not named`);
    }
    assert.ok(!worker.output().includes(token), 'the token was printed');
  });

  it('exits 1 without an encryption key: personal data in clear is never an accident', async () => {
    const worker = spawnWorker({ LIFECYCLE_ENCRYPTION_KEY: '' });
    const { code } = await within(worker.exited, 30_000, 'exiting without an encryption key');
    assert.equal(code, 1);
    assert.match(worker.output(), /LIFECYCLE_ENCRYPTION_KEY is required/);
    assert.match(worker.output(), /LIFECYCLE_ENCRYPTION=off/);
  });

  it('exits 1 when no Staffbase platform is configured (only npm start has a simulator)', async () => {
    const worker = spawnWorker({});
    const { code } = await within(worker.exited, 30_000, 'exiting without Staffbase');
    assert.equal(code, 1);
    assert.match(worker.output(), /STAFFBASE_BASE_URL is required/);
    assert.match(worker.output(), /STAFFBASE_API_TOKEN is required/);
  });
});

describe('worker process: running against Temporal and the simulator', () => {
  let env: TestWorkflowEnvironment;
  let simulator: RunningSimulator;
  let control: SimulatorControl;
  let token: string;
  let bundleDir: string;
  let worker: WorkerChild;
  let metricsPort: number;
  const storeFile = () => path.join(bundleDir, 'store.sqlite');

  before(async () => {
    bundleDir = mkdtempSync(path.join(tmpdir(), 'worker-bundle-'));
    const bundlePath = path.join(bundleDir, 'workflow-bundle.js');
    [env, { simulator, control, token }, metricsPort] = await Promise.all([
      startDevServerEnvironment(),
      startTestSimulator(),
      freePort(),
      bundleWorkflows(bundlePath, { logger: new DefaultLogger('ERROR') }),
    ]).then(([e, s, port]) => [e, s, port] as const);
    worker = spawnWorker({
      TEMPORAL_ADDRESS: env.address,
      STAFFBASE_BASE_URL: simulator.apiUrl,
      STAFFBASE_API_TOKEN: token,
      WORKFLOW_BUNDLE_PATH: bundlePath,
      METRICS_PORT: String(metricsPort),
      METRICS_HOST: '127.0.0.1',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'debug',
      // The worker opens its store at start (the person index): a file of this test's own.
      LIFECYCLE_STORE_URL: `sqlite:${storeFile()}`,
    });
    await waitFor(
      () => Promise.resolve(worker.output()),
      (output) => output.includes('"msg":"Worker started"') || worker.child.exitCode !== null,
      { timeoutMs: 60_000, intervalMs: 100, what: 'the worker to start' },
    );
    assert.equal(worker.child.exitCode, null, `the worker exited early:\n${worker.output()}`);
  });

  after(async () => {
    if (worker?.child.exitCode === null) worker.child.kill('SIGKILL');
    await Promise.allSettled([simulator?.close(), env?.teardown()]);
    if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
  });

  it('logs structured JSON lines, with the start-up warning that reminders are not delivered', () => {
    const lines = worker
      .output()
      .split('\n')
      .filter((line) => line.trim() !== '');
    for (const line of lines) {
      assert.doesNotThrow(() => JSON.parse(line), `not a JSON line: ${line}`);
    }
    const started = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry.msg === 'Worker started');
    assert.equal(started?.staffbaseBaseUrl, simulator.apiUrl);
    assert.equal(started?.workflowCode, path.join(bundleDir, 'workflow-bundle.js'));
    assert.equal(started?.store, `sqlite ${storeFile()}`);
    assert.match(worker.output(), /"level":"warn","msg":"SMTP_HOST is not set: invitation reminders/);
  });

  it('serves Prometheus metrics from the SDK runtime', async () => {
    const metrics = await waitFor(
      async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text(),
      (text) => text.includes('temporal_'),
      { timeoutMs: 15_000, intervalMs: 200, what: 'SDK metrics' },
    );
    assert.match(metrics, /task_queue="staffbase-api"/);
  });

  it('runs an onboarding: the account is created in Staffbase and the run completes on activation', async () => {
    const request = newHire();
    const handle = await env.client.workflow.start<typeof onboarding>('onboarding', {
      taskQueue: taskQueues.lifecycle,
      workflowId: `worker-main-test-${request.externalID}`,
      args: [{ request, policy: policiesFromEnv({}).onboarding }],
    });
    try {
      const user = await waitFor(
        () => control.user(request.externalID),
        (found) => found !== undefined,
        { timeoutMs: 30_000, intervalMs: 100, what: 'the Staffbase account' },
      );
      assert.equal(user?.status, 'pending');
      await control.activate(request.externalID);
      await handle.signal(onboardingActivatedSignal, { source: 'test' });
      const outcome = await within(handle.result(), 30_000, 'the onboarding');
      assert.equal(outcome.result, 'activated');
      // The run kept the person index in the worker's store, and settled it before it closed.
      const store = await openStore({ kind: 'sqlite', file: storeFile() });
      try {
        const person = await store.people.person(request.externalID);
        assert.equal(person?.stage, 'completed');
        assert.equal(person?.outcome, 'activated');
        assert.equal(person?.email, request.email);
      } finally {
        await store.close();
      }
    } finally {
      await handle.terminate('test cleanup').catch(() => undefined);
    }
  });

  it('counts a run parked in needs-attention in its Prometheus metric', async () => {
    await control.seedUser({ externalID: `other-of-${process.pid}`, userName: `taken-${process.pid}` });
    const request = newHire({ userName: `taken-${process.pid}` });
    const handle = await env.client.workflow.start<typeof onboarding>('onboarding', {
      taskQueue: taskQueues.lifecycle,
      workflowId: `worker-main-test-${request.externalID}`,
      args: [{ request, policy: policiesFromEnv({}).onboarding }],
    });
    try {
      const metrics = await waitFor(
        async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text(),
        (text) => /staffbase_lifecycle_needs_attention\{[^}]*code="conflict"[^}]*\} 1/.test(text),
        { timeoutMs: 30_000, intervalMs: 200, what: 'the needs-attention counter' },
      );
      assert.match(metrics, /staffbase_lifecycle_needs_attention\{[^}]*lifecycle="onboarding"/);
    } finally {
      await handle.terminate('test cleanup').catch(() => undefined);
    }
  });

  it('a sweep whose `or` the tenant refuses asks one person at a time, with a warning and a metric', async () => {
    await control.setShapes('externalid-or-refused');
    const hires = [newHire(), newHire()];
    const policy = policiesFromEnv({}).onboarding;
    const runs = await Promise.all(hires.map((hire) => startOnboarding(env.client, hire, policy)));
    const handles = runs.map((run) => env.client.workflow.getHandle<typeof onboarding>(run.workflowId));
    try {
      const ids = runs.map((run) => `'${run.workflowId}'`).join(', ');
      await waitForVisibleCount(
        env.client,
        `WorkflowType='onboarding' AND LifecycleStage='awaiting-activation' AND ExecutionStatus='Running' AND WorkflowId IN (${ids})`,
        hires.length,
        { timeoutMs: 60_000, what: 'two onboardings awaiting activation' },
      );
      const [activatedHire, waitingHire] = hires as [OnboardingRequest, OnboardingRequest];
      await control.activate(activatedHire.externalID);
      const sweepStart = (await control.log()).length;

      const totals = await env.client.workflow.execute<typeof activationSweep>('activationSweep', {
        taskQueue: taskQueues.lifecycle,
        workflowId: `worker-main-test-sweep-${process.pid}`,
        args: [{ batchSize: 50 }],
      });
      assert.ok(totals.signalled >= 1, JSON.stringify(totals));
      assert.equal(totals.requests, totals.waiting + 1, JSON.stringify(totals));
      const outcome = await within(handles[0]!.result(), 30_000, 'the activated onboarding');
      assert.equal(outcome.result, 'activated');
      assert.equal((await handles[1]!.query(onboardingStatusQuery)).stage, 'awaiting-activation');

      // On the wire: one refused batch (400), then one look-up per person, each without `or` of externalIDs.
      const lookups = (await control.log())
        .slice(sweepStart)
        .filter((call) => call.routeKey === 'GET /users')
        .map((call) => ({ status: call.status, filter: decodeURIComponent(call.query) }));
      assert.equal(lookups[0]?.status, 400);
      assert.match(lookups[0]?.filter ?? '', /externalId eq "[^"]*" or externalId eq/);
      const singles = lookups.slice(1);
      assert.ok(singles.every((call) => call.status === 200));
      for (const hire of [activatedHire, waitingHire]) {
        assert.ok(
          singles.some((call) => call.filter.includes(`externalId eq "${hire.externalID}"`)),
          `a single look-up for ${hire.externalID}`,
        );
      }

      const metrics = await waitFor(
        async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text(),
        (text) => /staffbase_lifecycle_activation_sweep_or_refused(\{[^}]*\})? 1\b/.test(text),
        { timeoutMs: 30_000, intervalMs: 200, what: 'the sweep-or-refused counter' },
      );
      assert.match(metrics, /staffbase_lifecycle_activation_sweep_or_refused/);
      // The worker's stdout reaches this process on its own schedule: wait for the line, as for the metric.
      await waitFor(
        () => Promise.resolve(worker.output()),
        (output) => /refused the activation sweep filter `externalId eq … or …`/.test(output),
        { timeoutMs: 30_000, intervalMs: 200, what: 'the sweep-or-refused warning in the worker log' },
      );
    } finally {
      await control.setShapes('default');
      await Promise.all(handles.map((handle) => handle.terminate('test cleanup').catch(() => undefined)));
    }
  });

  it('logs a 409 that quotes the person’s userName by code only; HR still reads Staffbase’s words', async () => {
    const taken = newHire();
    await control.seedUser({ externalID: `holder-of-${taken.externalID}`, userName: taken.userName });
    const request = newHire({ userName: taken.userName });
    const handle = await env.client.workflow.start<typeof onboarding>('onboarding', {
      taskQueue: taskQueues.lifecycle,
      workflowId: `worker-main-test-${request.externalID}`,
      args: [{ request, policy: policiesFromEnv({}).onboarding }],
    });
    try {
      const status = await waitFor(
        () => handle.query(onboardingStatusQuery),
        (found) => found.attention !== undefined,
        { timeoutMs: 30_000, intervalMs: 200, what: 'the run to park in needs-attention' },
      );
      // needs-attention reads code and field from the failure's type and details, not from its text.
      assert.equal(status.attention?.code, 'conflict');
      assert.equal(status.attention?.field, 'userName');
      assert.ok(status.attention?.message.includes(taken.userName), 'HR sees what Staffbase said');
      // The worker's whole debug log — the 409's handling included — holds no test person's data.
      const output = await waitFor(
        () => Promise.resolve(worker.output()),
        (text) =>
          text
            .split('\n')
            .some((line) => line.includes('"msg":"Step refused') && line.includes(handle.workflowId)),
        { timeoutMs: 10_000, intervalMs: 100, what: 'the refusal in the log' },
      );
      const findings = findPersonalDataInLines('worker', output.split('\n'), testPersonalData);
      assert.deepEqual(findings, [], describeFindings(findings));
    } finally {
      await handle.terminate('test cleanup').catch(() => undefined);
    }
  });

  it('exits 0 on SIGTERM without waiting out the shutdown grace, never having printed the token', async () => {
    // An idle worker stops in a moment; half the grace (30 s) leaves a loaded machine its margin and
    // still fails a stop that waits for the grace to run out.
    const bound = WORKER_SHUTDOWN_GRACE_MS / 2;
    const started = Date.now();
    worker.child.kill('SIGTERM');
    const { code, signal } = await within(worker.exited, bound, 'a graceful stop');
    assert.equal(signal, null);
    assert.equal(code, 0, worker.output());
    assert.ok(Date.now() - started < bound);
    assert.match(worker.output(), /SIGTERM received/);
    assert.match(worker.output(), /"msg":"Worker stopped"/);
    assert.ok(!worker.output().includes(token), 'the Staffbase token was printed');
  });
});
