/**
 * Drain, then deploy (docs/cluster.md, "Upgrades"), proven with two builds bundled separately: this
 * commit's workflows ("old") and the same plus a test-only `patched()` change that adds a command
 * ("new", test/fixtures/upgrade-patch-interceptor.ts). Offboardings wait in retention on the old build;
 * the old workers are shut down (SIGTERM's path: polling stops, tasks in flight finish), only then do
 * the new ones start; the retention timers fire and every run finishes on the new build, taking the
 * patched branch, with no failed workflow task. The reason for the order: the old build cannot
 * replay a history the new one wrote (a mixed deployment fails those workflow tasks).
 * Dev server (real time): the cluster adds nothing to what is proven here.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type WorkflowExecutionDescription } from '@temporalio/client';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { startOffboarding } from '../../client/lifecycle-runs';
import { workflowInterceptorModules } from '../../worker/interceptors/workflow-interceptor-modules';
import {
  WORKER_SHUTDOWN_GRACE_MS,
  createLifecycleWorkers,
  runLifecycleWorkersUntil,
} from '../../worker/workers';
import {
  type ComposeService,
  composeService,
  projectRoot,
  readComposeFile,
} from '../helpers/cluster/compose-file';
import { testDataConverter } from '../helpers/encryption';
import {
  type LifecycleTestStack,
  startLifecycleTestStack,
  testAppUrl,
  testHrContact,
} from '../helpers/lifecycle-stack';
import { offboardingPolicy, uniqueSuffix } from '../helpers/people';
import { workflowBundle } from '../helpers/temporal';
import { waitFor } from '../helpers/waiting';

const LEAVERS = 3;
/** Long enough for every run to reach retention and the old build to drain on a loaded machine. */
const RETENTION_MS = 45_000;

/** Compose's `90s` / `1m30s` as seconds. */
function seconds(duration: string | undefined): number {
  let total = 0;
  for (const [, amount, unit] of (duration ?? '').matchAll(/(\d+)(h|m|s)/g)) {
    total += Number(amount) * (unit === 'h' ? 3600 : unit === 'm' ? 60 : 1);
  }
  return total;
}

type Build = Awaited<ReturnType<typeof workflowBundle>>;

interface RunningBuild {
  identity: string;
  stop(): Promise<void>;
}

describe('drain-then-deploy: runs in flight move from the old build to the new one', () => {
  let stack: LifecycleTestStack;
  let oldBuild: Build;
  let newBuild: Build;

  before(async () => {
    stack = await startLifecycleTestStack({ server: 'dev-server' });
    const workflowsPath = require.resolve('../../workflows');
    oldBuild = await workflowBundle(workflowsPath);
    newBuild = await workflowBundle(workflowsPath, {
      interceptorModules: [
        ...workflowInterceptorModules,
        require.resolve('../fixtures/upgrade-patch-interceptor'),
      ],
    });
    assert.notEqual(oldBuild.code, newBuild.code, 'two different builds');
  });

  after(async () => {
    await stack?.terminateLeftoverRuns();
    await stack?.close();
  });

  async function startBuild(build: Build, identity: string): Promise<RunningBuild> {
    const workers = await createLifecycleWorkers({
      connection: stack.env.nativeConnection,
      activities: createActivities({
        staffbase: stack.staffbase,
        notifier: stack.notifier,
        appUrl: testAppUrl,
        hrContactEmail: testHrContact,
        offboardingMinRetentionDays: 0,
      }),
      workflowBundle: build,
      staffbaseRequestsPerSecond: 1000,
      dataConverter: testDataConverter,
      identity,
    });
    let stop!: () => void;
    const stopRequested = new Promise<void>((resolve) => (stop = resolve));
    const stopped = runLifecycleWorkersUntil(workers, stopRequested);
    return {
      identity,
      async stop() {
        stop();
        await stopped; // both workers' run() have returned: no poll is open any more
      },
    };
  }

  it('deploy/compose-up.sh drains the old worker before it starts the new image; one worker replica', () => {
    const script = readFileSync(path.join(projectRoot, 'deploy', 'compose-up.sh'), 'utf8');
    const stopAt = script.search(/^docker compose stop worker$/m);
    const upAt = script.search(/^docker compose up -d --no-build$/m);
    assert.ok(stopAt >= 0 && upAt > stopAt, 'compose-up.sh: `docker compose stop worker` before `up`');
    const worker = composeService(readComposeFile(), 'worker') as ComposeService & {
      deploy?: { replicas?: number };
    };
    assert.ok(
      (worker.deploy?.replicas ?? 1) === 1,
      'one worker replica: several would mix builds on a deploy',
    );
    // `stop` sends SIGTERM and waits stop_grace_period: longer than the worker's own drain grace.
    assert.ok(seconds(worker.stop_grace_period) * 1000 > WORKER_SHUTDOWN_GRACE_MS);
  });

  it('the old workers stop before the new ones poll; every run finishes on the new build', async () => {
    const client = stack.env.client;
    const deleteAt = new Date(Date.now() + RETENTION_MS).toISOString();
    const leavers: string[] = [];
    for (let index = 0; index < LEAVERS; index += 1) {
      const id = `upgrade-${uniqueSuffix()}`;
      await stack.control.seedUser({
        externalID: id,
        userName: id,
        emails: [{ value: `${id}@example.test`, primary: true }],
        status: 'activated',
        sessions: 1,
      });
      leavers.push(id);
    }

    const old = await startBuild(oldBuild, 'old-build');
    const runs = [];
    for (const externalID of leavers) {
      runs.push(stack.track(await startOffboarding(client, { externalID, deleteAt }, offboardingPolicy())));
    }
    const handles = runs.map((run) => client.workflow.getHandle(run.workflowId));
    const stage = (description: WorkflowExecutionDescription) =>
      description.searchAttributes.LifecycleStage?.[0];
    await waitFor(
      () => Promise.all(handles.map((handle) => handle.describe())),
      (descriptions) => descriptions.every((description) => stage(description) === 'retention'),
      { timeoutMs: RETENTION_MS - 15_000, intervalMs: 500, what: 'every offboarding to wait in retention' },
    );

    // Drain: the old build stops completely, then the new one starts.
    await old.stop();
    const drainedAt = Date.now();
    assert.ok(drainedAt < Date.parse(deleteAt), 'the old build drained before the retention ended');
    const next = await startBuild(newBuild, 'new-build');
    try {
      const outcomes = (await Promise.all(handles.map((handle) => handle.result()))) as { result?: string }[];
      assert.deepEqual(
        outcomes.map((outcome) => outcome.result),
        leavers.map(() => 'deleted'),
      );
    } finally {
      await next.stop();
    }

    let lastOldTask = 0;
    let firstNewTask = Number.POSITIVE_INFINITY;
    for (const handle of handles) {
      const history = await handle.fetchHistory();
      const events = history.events ?? [];
      const failed = events.filter((event) => event.workflowTaskFailedEventAttributes);
      assert.equal(failed.length, 0, `${handle.workflowId}: a workflow task failed`);
      // The patched branch's command: a 1 ms timer before an activity (production code has no such timer).
      const patchedTimers = events.filter((event) => {
        const timeout = event.timerStartedEventAttributes?.startToFireTimeout;
        return timeout && Number(String(timeout.seconds ?? 0)) === 0 && timeout.nanos === 1_000_000;
      });
      assert.ok(patchedTimers.length > 0, `${handle.workflowId}: the new build's patched branch did not run`);
      for (const event of events) {
        const identity =
          event.workflowTaskStartedEventAttributes?.identity ??
          event.activityTaskStartedEventAttributes?.identity;
        const at =
          Number(String(event.eventTime?.seconds ?? 0)) * 1000 +
          Math.floor((event.eventTime?.nanos ?? 0) / 1e6);
        if (identity === old.identity) lastOldTask = Math.max(lastOldTask, at);
        if (identity === next.identity) firstNewTask = Math.min(firstNewTask, at);
      }
      // The deletion ran on the new build.
      const deletion = events.filter((event) => event.activityTaskStartedEventAttributes).at(-1);
      assert.equal(deletion?.activityTaskStartedEventAttributes?.identity, next.identity);

      // Why the order matters: the old build cannot replay what the new one wrote.
      await assert.rejects(
        () =>
          Worker.runReplayHistory({ workflowBundle: oldBuild, dataConverter: testDataConverter }, history),
        (error: unknown) => error instanceof DeterminismViolationError,
      );
      await Worker.runReplayHistory({ workflowBundle: newBuild, dataConverter: testDataConverter }, history);
    }
    assert.ok(lastOldTask > 0 && firstNewTask < Number.POSITIVE_INFINITY, 'both builds took tasks');
    assert.ok(
      lastOldTask < firstNewTask,
      `the old build took a task at ${lastOldTask}, after the new build's first at ${firstNewTask}`,
    );
    assert.ok(lastOldTask <= drainedAt, 'no task on the old build after it drained');
  });
});
