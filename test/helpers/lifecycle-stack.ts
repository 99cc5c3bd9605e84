import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import type { Notifier } from '../../activities/notifications/notifier';
import { RecordingNotifier } from '../../activities/notifications/recording-notifier';
import { StaffbaseClient } from '../../activities/staffbase/client';
import type { SimulatorControl } from '../../simulator/control-client';
import type { RunningSimulator } from '../../simulator/server';
import { createLifecycleWorkers, runLifecycleWorkersUntil } from '../../worker/workers';
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
  /** Runs both lifecycle workers until `work` settles. */
  runWorkers<T>(work: () => Promise<T>): Promise<T>;
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
}

export async function startLifecycleTestStack(
  options: LifecycleTestStackOptions,
): Promise<LifecycleTestStack> {
  const env =
    options.server === 'time-skipping'
      ? await startTimeSkippingEnvironment()
      : await startDevServerEnvironment();
  const { simulator, control, token } = await startTestSimulator();
  const staffbase = new StaffbaseClient({ baseUrl: simulator.apiUrl, token, requestTimeoutMs: 5_000 });
  const notifier = options.notifier ?? new RecordingNotifier();
  const activities = createActivities({
    staffbase,
    notifier,
    appUrl: testAppUrl,
    hrContactEmail: testHrContact,
  });
  const bundle = await workflowBundle(require.resolve('../../workflows'));

  const tracked = new Set<string>();
  return {
    env,
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
    async runWorkers(work) {
      const workers = await createLifecycleWorkers({
        connection: env.nativeConnection,
        activities,
        workflowBundle: bundle,
        staffbaseRequestsPerSecond: options.staffbaseRequestsPerSecond ?? 1000,
      });
      return runLifecycleWorkersUntil(workers, work());
    },
    async close() {
      await Promise.allSettled([staffbase.close(), notifier.close()]);
      await Promise.allSettled([simulator.close(), env.teardown()]);
    },
  };
}
