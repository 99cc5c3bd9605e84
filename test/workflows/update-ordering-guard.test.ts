/**
 * The SDK's update-ordering defect and our guard (workflows/update-ordering-guard.ts), against the dev
 * server with real worker processes. The defect needs three things in a row:
 *   1. the worker that ran the workflow dies (SIGKILL) with the run waiting on an activity;
 *   2. another worker answers a status query, so it holds the run in its cache;
 *   3. the activity's result and two update requests reach that worker in one workflow task.
 * Without the guard, the history that results does not replay (the interleavings test found one with
 * the offboarding's `cancel`): this half fails once an SDK release fixes the defect, the day to drop
 * the guard. With the guard, the same steps leave a history that replays and both updates answered.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { updateOrderingGuardMessage } from '../../workflows/update-ordering-guard';
import { pingUpdate, pingsQuery, updateOrdering } from '../fixtures/update-ordering-workflows';
import { startDevServerEnvironment, workflowBundle } from '../helpers/temporal';
import { waitFor } from '../helpers/waiting';

type History = temporal.api.history.v1.IHistory;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const EventType = temporal.api.enums.v1.EventType;

const root = path.resolve(__dirname, '..', '..');
const workflowsPath = require.resolve('../fixtures/update-ordering-workflows');

describe('update requests that arrive with an activity result at a worker warmed by a query', () => {
  let env: TestWorkflowEnvironment;
  let client: Client;
  let dir: string;

  before(async () => {
    env = await startDevServerEnvironment();
    // Plain payloads: the worker processes of this test run the SDK's default data converter.
    client = new Client({ connection: env.connection });
    dir = mkdtempSync(path.join(tmpdir(), 'update-ordering-'));
  });

  after(async () => {
    await env?.teardown();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function bundleFile(name: string, interceptorModules?: string[]): Promise<string> {
    const bundle = await workflowBundle(workflowsPath, interceptorModules ? { interceptorModules } : {});
    const file = path.join(dir, `${name}.js`);
    writeFileSync(file, bundle.code);
    return file;
  }

  /** The three steps; tries again (up to 3 times) when the requests missed the activity's task. */
  async function meetTheDefect(bundlePath: string): Promise<Scenario> {
    for (let attempt = 1; ; attempt++) {
      const scenario = await runScenario(env, client, bundlePath);
      if (defectMet(scenario) || attempt === 3) return scenario;
    }
  }

  it('without the guard, the SDK writes a history that does not replay (drop the guard once this fails)', async () => {
    const bundlePath = await bundleFile('unguarded', []);
    const scenario = await meetTheDefect(bundlePath);
    assert.ok(defectMet(scenario), 'a worker warmed by the query took the result and both requests at once');
    assert.deepEqual(scenario.answers, ['pong', 'pong']);
    assert.ok(
      acceptedAfter(scenario.history, 'after'),
      'the history records the next activity before the updates were accepted (the defect)',
    );
    await assert.rejects(
      Worker.runReplayHistory({ workflowBundle: { codePath: bundlePath } }, scenario.history),
      /Update machine does not handle this event/,
    );
  });

  it('with the guard, the task is retried from the full history: it replays, both updates answered', async () => {
    const bundlePath = await bundleFile('guarded');
    const scenario = await meetTheDefect(bundlePath);
    assert.ok(defectMet(scenario), 'a worker warmed by the query took the result and both requests at once');
    assert.equal(scenario.result, 'done');
    assert.deepEqual(scenario.answers, ['pong', 'pong']);
    const guardFailures = scenario.history.events?.filter(
      (event) =>
        event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED &&
        failureMessage(event.workflowTaskFailedEventAttributes?.failure) === updateOrderingGuardMessage,
    );
    assert.equal(guardFailures?.length, 1, 'the guard failed the split workflow task once');
    assert.ok(!acceptedAfter(scenario.history, 'after'), 'the updates are accepted before the next activity');
    await Worker.runReplayHistory({ workflowBundle: { codePath: bundlePath } }, scenario.history);
  });
});

interface Scenario {
  history: History;
  result: string;
  answers: string[];
  /** The second worker answered the query before it took the task with the gate's result. */
  warmedByQuery: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Both requests came with the gate's result, to a worker that held the run because of the query. */
const defectMet = (scenario: Scenario) =>
  scenario.warmedByQuery && requestsCameWithTheResult(scenario.history);

let scenarios = 0;

async function runScenario(
  env: TestWorkflowEnvironment,
  client: Client,
  bundlePath: string,
): Promise<Scenario> {
  const name = `update-ordering-${process.pid}-${++scenarios}`;
  const activityTaskQueue = `${name}-activities`;
  let openGate: () => void = () => undefined;
  const gateOpen = new Promise<void>((resolve) => (openGate = resolve));
  const activityWorker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: activityTaskQueue,
    activities: { gate: () => gateOpen, after: () => Promise.resolve() },
  });
  const activitiesRunning = activityWorker.run();
  const workers: ChildProcess[] = [];
  try {
    workers.push(await startWorkerProcess(env.address, name, bundlePath));
    const handle = await client.workflow.start(updateOrdering, {
      taskQueue: name,
      workflowId: name,
      args: [activityTaskQueue],
    });
    await waitFor(
      () => handle.fetchHistory(),
      (history) => eventsOf(history, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).length === 1,
      { what: 'the gate activity to be scheduled' },
    );
    await kill(workers[0]);
    workers.push(await startWorkerProcess(env.address, name, bundlePath));
    // The query waits 2 s on the dead worker's sticky queue, then the second worker replays the run
    // to answer it, and keeps it. The gate opens 1 s into that wait: the task with its result waits
    // 2 s on the sticky queue too, the update requests join it, and it reaches the second worker
    // about 1 s after that worker answered the query.
    let queryAnsweredAtMs = Number.POSITIVE_INFINITY;
    const queried = handle.query(pingsQuery).then((pings) => {
      queryAnsweredAtMs = Date.now();
      return pings;
    });
    await sleep(1_000);
    openGate();
    await waitFor(
      () => handle.fetchHistory(),
      (history) => eventsOf(history, EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED).length >= 1,
      { what: 'the gate activity to complete', intervalMs: 20 },
    );
    const answers = Promise.all([handle.executeUpdate(pingUpdate), handle.executeUpdate(pingUpdate)]);
    assert.equal(await queried, 0);
    const result = await handle.result();
    const history = await handle.fetchHistory();
    const taskStartedMs = firstTaskStartedAfterTheGate(history);
    return { result, answers: await answers, history, warmedByQuery: queryAnsweredAtMs < taskStartedMs };
  } finally {
    await Promise.all(workers.map(kill));
    activityWorker.shutdown();
    await activitiesRunning;
  }
}

async function startWorkerProcess(
  address: string,
  taskQueue: string,
  bundlePath: string,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/update-ordering-worker.ts'], {
    cwd: root,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: address,
      TASK_QUEUE: taskQueue,
      WORKFLOW_BUNDLE_PATH: bundlePath,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(
    () => Promise.resolve(output),
    (text) => text.includes('worker polling') || child.exitCode !== null,
    { timeoutMs: 60_000, what: 'the worker process to poll' },
  );
  if (child.exitCode !== null) throw new Error(`the worker process exited (${child.exitCode})`);
  return child;
}

async function kill(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

function eventsOf(history: History, type: temporal.api.enums.v1.EventType): HistoryEvent[] {
  return (history.events ?? []).filter((event) => event.eventType === type);
}

const idOf = (event: HistoryEvent | undefined): number => Number(event?.eventId ?? Number.NaN);

function scheduledActivity(history: History, activityType: string): HistoryEvent | undefined {
  return eventsOf(history, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).find(
    (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === activityType,
  );
}

/** The failure's message, also when the failure converter moved it into encoded attributes. */
function failureMessage(failure: temporal.api.failure.v1.IFailure | null | undefined): string | undefined {
  const encoded = failure?.encodedAttributes?.data;
  if (encoded) return (JSON.parse(Buffer.from(encoded).toString('utf8')) as { message?: string }).message;
  return failure?.message ?? undefined;
}

function firstTaskStartedAfterTheGate(history: History): number {
  const gateCompleted = idOf(eventsOf(history, EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)[0]);
  const started = eventsOf(history, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED).find(
    (event) => idOf(event) > gateCompleted,
  );
  const time = started?.eventTime;
  return time ? Number(time.seconds ?? 0) * 1_000 + Math.floor((time.nanos ?? 0) / 1e6) : Number.NaN;
}

/** Both requests were sequenced in the workflow task that took the gate's result (before `after`). */
function requestsCameWithTheResult(history: History): boolean {
  const gateCompleted = idOf(eventsOf(history, EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)[0]);
  const afterScheduled = idOf(scheduledActivity(history, 'after'));
  const accepted = eventsOf(history, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
  return (
    accepted.length === 2 &&
    accepted.every((event) => {
      const sequencedAt = Number(
        event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequestSequencingEventId ?? Number.NaN,
      );
      return sequencedAt > gateCompleted && sequencedAt < afterScheduled;
    })
  );
}

/** The history records `activityType` scheduled before the updates were accepted. */
function acceptedAfter(history: History, activityType: string): boolean {
  const scheduled = idOf(scheduledActivity(history, activityType));
  const accepted = eventsOf(history, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
  return accepted.some((event) => idOf(event) > scheduled);
}
