/**
 * What the benchmark runs against: its own dev server (with the priority lanes' settings, like
 * `npm start`), the simulator rate-limited to R requests/s with a burst of R and Retry-After in
 * seconds, and the production worker factory with the production memory defaults and, as the
 * production worker has, a store: an embedded SQLite file of its own (the person index written at each
 * stage change, audit rows), removed at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../activities';
import { DEFAULT_OFFBOARDING_MIN_RETENTION_DAYS } from '../config/defaults';
import { RecordingNotifier } from '../activities/notifications/recording-notifier';
import { StaffbaseClient } from '../staffbase/client';
import { openStore } from '../store';
import { workerMemoryConfigFromEnv } from '../config/worker-memory';
import { type SimulatorControl } from '../simulator/control-client';
import { type RunningSimulator } from '../simulator/server';
import { testDataConverter } from '../test/helpers/encryption';
import { startTestSimulator } from '../test/helpers/simulator';
import { startDevServerEnvironment, workflowBundle } from '../test/helpers/temporal';
import { priorityLaneArgs } from '../tooling/dev-server';
import { createLifecycleWorkers, runLifecycleWorkersUntil } from '../worker/workers';

export interface BenchStack {
  env: TestWorkflowEnvironment;
  simulator: RunningSimulator;
  control: SimulatorControl;
  token: string;
  /** The simulator's rate limit as the benchmark wants it (reset() forgets it). */
  limitRate(): Promise<void>;
  close(): Promise<void>;
}

export async function startBenchStack(requestsPerSecond: number): Promise<BenchStack> {
  const [env, sim] = await Promise.all([startDevServerEnvironment(priorityLaneArgs()), startTestSimulator()]);
  const storeDir = mkdtempSync(path.join(tmpdir(), 'staffbase-lifecycle-bench-store-'));
  const store = await openStore({ kind: 'sqlite', file: path.join(storeDir, 'store.sqlite') });
  const staffbase = new StaffbaseClient({
    baseUrl: sim.simulator.apiUrl,
    token: sim.token,
    requestTimeoutMs: 30_000,
  });
  const workers = await createLifecycleWorkers({
    connection: env.nativeConnection,
    activities: createActivities({
      staffbase,
      notifier: new RecordingNotifier(),
      appUrl: 'https://app.example.test',
      hrContactEmail: undefined,
      offboardingMinRetentionDays: DEFAULT_OFFBOARDING_MIN_RETENTION_DAYS,
      store,
    }),
    store,
    workflowBundle: await workflowBundle(require.resolve('../workflows')),
    staffbaseRequestsPerSecond: requestsPerSecond,
    memory: workerMemoryConfigFromEnv({}),
    dataConverter: testDataConverter,
  });
  let stop!: () => void;
  const stopped = runLifecycleWorkersUntil(workers, new Promise<void>((resolve) => (stop = resolve)));
  const limitRate = () =>
    sim.control.setRateLimit({ requestsPerSecond, burst: requestsPerSecond, retryAfter: 'seconds' });
  await limitRate();
  return {
    env,
    ...sim,
    limitRate,
    async close() {
      stop();
      await stopped.catch(() => undefined);
      await staffbase.close();
      await store.close();
      rmSync(storeDir, { recursive: true, force: true });
      await sim.simulator.close();
      await env.teardown();
    },
  };
}
