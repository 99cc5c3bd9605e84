import { after, afterEach, before, beforeEach } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { AuditSink } from '../../lifecycle/audit/audit-record';
import type { BulkSafetyConfig } from '../../config/bulk-safety';
import type { LifecycleStore } from '../../store';
import { createActivities } from '../../activities';
import type { Notifier } from '../../activities/notifications/notifier';
import { RecordingNotifier } from '../../activities/notifications/recording-notifier';
import type { ProfilePlacement, ProfileUpdateMode } from '../../staffbase/api-choices';
import { StaffbaseClient } from '../../staffbase/client';
import type { SimulatorControl } from '../../simulator/control-client';
import type { RunningSimulator } from '../../simulator/server';
import { setStaffbaseQueueRate } from '../../tooling/staffbase-queue-rate';
import { resolveTemporalBinary } from '../../tooling/temporal-binaries';
import type { LifecycleEventsConfig } from '../../config/lifecycle-events';
import { createLifecycleWorkers, runLifecycleWorkersUntil } from '../../worker/workers';
import { reconcileRunStarters } from '../../client/reconcile-starters';
import { testDataConverter } from './encryption';
import { startTestSimulator } from './simulator';
import { startDevServerEnvironment, startTimeSkippingEnvironment, workflowBundle } from './temporal';

export const testAppUrl = 'https://app.example.test';
export const testHrContact = 'hr-team@example.test';

/**
 * A whole service for workflow tests: a real Temporal server (time-skipping or dev server), the
 * Staffbase simulator over real HTTP, the real client and activities, and the production worker
 * factory. Only the notifier is swappable: the RecordingNotifier by default, real SMTP where a
 * test is about mail delivery.
 */
export interface LifecycleTestStack {
  env: TestWorkflowEnvironment;
  simulator: RunningSimulator;
  control: SimulatorControl;
  staffbase: StaffbaseClient;
  notifier: Notifier;
  /** The workers' store, when the stack has one. */
  store?: LifecycleStore;
  /**
   * Runs `work` with workers polling: the file's long-lived workers when `startWorkers` was called,
   * otherwise a fresh pair that is stopped when `work` settles (a deploy or a crash, for restart tests).
   */
  runWorkers<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Starts workers that keep polling until `stopWorkers` (or `close`). Preferred for a whole file:
   * a worker shut down between tests can take a task with it, which then waits out its timeout.
   */
  startWorkers(): Promise<void>;
  stopWorkers(): Promise<void>;
  /**
   * Sets the simulator's rate limit and empties its bucket, so the next Staffbase calls meet 429
   * with Retry-After. The bucket must hold at least the calls one activity attempt makes (up to 4):
   * a smaller one lets the first call of every retry take the token and the next one meet 429.
   */
  startRateLimitStorm(requestsPerSecond: number): Promise<void>;
  /** Remembers a run so that `terminateLeftoverRuns` can close it if a test leaves it open. */
  track<T extends { workflowId: string }>(run: T): T;
  /**
   * Terminates runs a failed test left open. On the time-skipping server an open run whose workflow
   * task no worker picks up locks the clock for every later test.
   */
  terminateLeftoverRuns(): Promise<void>;
  close(): Promise<void>;
}

export interface LifecycleTestStackOptions {
  server: 'time-skipping' | 'dev-server';
  notifier?: Notifier;
  /** Server-side cap on Staffbase calls per second (the production setting). */
  staffbaseRequestsPerSecond?: number;
  /** The simulator's response shapes (simulator/shapes.ts); kept through resets. Default: plain. */
  simulatorShapes?: string;
  /** The client's STAFFBASE_PROFILE_PLACEMENT / STAFFBASE_PROFILE_UPDATE; default: the defaults. */
  staffbaseProfile?: { placement?: ProfilePlacement; update?: ProfileUpdateMode };
  /** Where the workers' audit lines go (default: the runtime logger, silent in tests). */
  audit?: AuditSink;
  /**
   * The project's store the workers write to (the person index, audit rows, the erase activity).
   * Default: none (`recordPersonStage` writes nothing).
   */
  store?: LifecycleStore;
  /** More `temporal server start-dev` arguments (dev server only). */
  devServerArgs?: string[];
  /**
   * The workers' OFFBOARDING_MIN_RETENTION_DAYS. Default 0 (no floor): tests delete within seconds;
   * the floor's own tests set it.
   */
  offboardingMinRetentionDays?: number;
  /** The workers' bulk thresholds (LOGOUT_CONFIRM_ABOVE, …); default: the configuration's defaults. */
  bulkSafety?: BulkSafetyConfig;
  /** The workers' LIFECYCLE_EVENT_* configuration (needs `store`); default none: no events. */
  lifecycleEvents?: LifecycleEventsConfig;
}

export async function startLifecycleTestStack(
  options: LifecycleTestStackOptions,
): Promise<LifecycleTestStack> {
  const env =
    options.server === 'time-skipping'
      ? await startTimeSkippingEnvironment()
      : await startDevServerEnvironment(options.devServerArgs);
  const staffbaseRequestsPerSecond = options.staffbaseRequestsPerSecond ?? 1000;
  if (options.server === 'dev-server') {
    // As in production (compose's temporal-setup, npm start): the rate is set on the server.
    await setStaffbaseQueueRate({
      cli: resolveTemporalBinary('cli'),
      address: env.address,
      namespace: 'default',
      requestsPerSecond: staffbaseRequestsPerSecond,
      reason: 'test stack',
    });
  }
  const { simulator, control, token } = await startTestSimulator({ shapes: options.simulatorShapes });
  const staffbase = new StaffbaseClient({
    baseUrl: simulator.apiUrl,
    token,
    requestTimeoutMs: 5_000,
    profilePlacement: options.staffbaseProfile?.placement,
    profileUpdate: options.staffbaseProfile?.update,
  });
  const notifier = options.notifier ?? new RecordingNotifier();
  const activities = createActivities({
    staffbase,
    notifier,
    appUrl: testAppUrl,
    hrContactEmail: testHrContact,
    offboardingMinRetentionDays: options.offboardingMinRetentionDays ?? 0,
    ...(options.bulkSafety && { bulkSafety: options.bulkSafety }),
    ...(options.store && { store: options.store }),
    ...(options.lifecycleEvents && { lifecycleEvents: options.lifecycleEvents }),
    reconcileRunStarters,
  });
  const bundle = await workflowBundle(require.resolve('../../workflows'));

  const tracked = new Set<string>();
  const newWorkers = () =>
    createLifecycleWorkers({
      connection: env.nativeConnection,
      activities,
      workflowBundle: bundle,
      // A second guard the server overrides (worker/workers.ts); the time-skipping server's only one.
      staffbaseRequestsPerSecond,
      dataConverter: testDataConverter,
      ...(options.audit && { audit: options.audit }),
      ...(options.store && { store: options.store }),
    });
  let longLived: { stop: () => void; stopped: Promise<unknown> } | undefined;
  const stack: LifecycleTestStack = {
    env,
    async startRateLimitStorm(requestsPerSecond) {
      const burst = Math.max(4, requestsPerSecond);
      await control.setRateLimit({ requestsPerSecond, burst, retryAfter: 'seconds' });
      for (let i = 0; i < burst + 2; i += 1) {
        await staffbase.getUser('drain-the-bucket').catch(() => undefined);
      }
    },
    track(run) {
      tracked.add(run.workflowId);
      return run;
    },
    async terminateLeftoverRuns() {
      const ids = [...tracked];
      tracked.clear();
      await Promise.allSettled(
        ids.map(async (workflowId) => {
          const handle = env.client.workflow.getHandle(workflowId);
          if ((await handle.describe()).status.name === 'RUNNING')
            await handle.terminate('left open by a test');
        }),
      );
    },
    simulator,
    control,
    staffbase,
    notifier,
    ...(options.store && { store: options.store }),
    async runWorkers(work) {
      if (longLived) return work();
      return runLifecycleWorkersUntil(await newWorkers(), work());
    },
    async startWorkers() {
      if (longLived) return;
      const workers = await newWorkers();
      let stop!: () => void;
      const stopRequested = new Promise<void>((resolve) => (stop = resolve));
      longLived = { stop, stopped: runLifecycleWorkersUntil(workers, stopRequested) };
    },
    async stopWorkers() {
      const running = longLived;
      longLived = undefined;
      running?.stop();
      await running?.stopped;
    },
    async close() {
      await stack.stopWorkers();
      await Promise.allSettled([staffbase.close(), notifier.close()]);
      await Promise.allSettled([simulator.close(), env.teardown()]);
    },
  };
  return stack;
}

export interface LifecycleTestStackHooks extends LifecycleTestStackOptions {
  /** Keep one pair of workers polling for the whole suite (see `startWorkers`). */
  longLivedWorkers?: boolean;
  /** Reset the simulator (users, log, faults, rate limit) before each test. */
  resetSimulatorBeforeEach?: boolean;
}

/**
 * Registers the hooks every suite on a lifecycle stack needs: start it before the suite, close it
 * after, terminate runs a test left open after each test, and optionally reset the simulator before
 * each. `onStarted` receives the stack once it runs.
 */
export function useLifecycleTestStack(
  options: LifecycleTestStackHooks,
  onStarted: (stack: LifecycleTestStack) => void,
): void {
  let stack: LifecycleTestStack | undefined;
  before(async () => {
    stack = await startLifecycleTestStack(options);
    if (options.longLivedWorkers) await stack.startWorkers();
    onStarted(stack);
  });
  after(async () => {
    await stack?.close();
  });
  if (options.resetSimulatorBeforeEach) {
    beforeEach(async () => {
      await stack?.control.reset();
    });
  }
  afterEach(async () => {
    await stack?.terminateLeftoverRuns();
  });
}
