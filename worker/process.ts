/**
 * The worker as a component: connect to Temporal, build the Staffbase client, the notifier and the
 * activities, run both lifecycle workers, and stop them gracefully. `worker/main.ts` runs it as its
 * own process; `npm start` runs it in-process next to the simulator and the HR API.
 */
import { type Logger, NativeConnection, Runtime } from '@temporalio/worker';
import { createActivities } from '../activities';
import { LogNotifier } from '../activities/notifications/log-notifier';
import { type Notifier } from '../activities/notifications/notifier';
import { SmtpNotifier } from '../activities/notifications/smtp-notifier';
import { StaffbaseClient } from '../staffbase/client';
import { type StaffbaseConnection } from '../config/staffbase';
import { lifecycleDataConverter } from '../lifecycle/payload-codec/data-converter';
import type { ReconcileRunStarters } from '../activities/reconcile-activities';
import { temporalConnectionOptions } from '../config/temporal';
import { taskQueues } from '../lifecycle/task-queues';
import { type NotifierConfig, type WorkerConfig } from '../config/worker';
import { openStore } from '../store';
import { createLogger } from './logger';
import {
  WORKER_SHUTDOWN_GRACE_MS,
  allLifecycleWorkers,
  createLifecycleWorkers,
  type LifecycleWorkers,
} from './workers';

/**
 * Installs the Temporal runtime once per process, before any connection: the logger (JSON or
 * readable, secrets scrubbed), SDK-core logs forwarded to it, and Prometheus metrics when configured.
 * Signals are left to the caller (`shutdownSignals: []`), so shutdown happens in one, known order.
 */
export function installWorkerRuntime(
  config: WorkerConfig,
  secrets: readonly string[] = [],
  /** Which process this is, for the test suite's log capture (config/log-capture.ts). */
  source = 'worker',
): Logger {
  const logger = createLogger({ ...config.logging, secrets, source });
  Runtime.install({
    logger,
    shutdownSignals: [],
    telemetryOptions: {
      logging: { filter: { core: config.logging.level, other: 'ERROR' }, forward: {} },
      ...(config.metrics && { metrics: { prometheus: { bindAddress: config.metrics.bindAddress } } }),
    },
  });
  return logger;
}

export interface WorkerProcessOptions {
  /** Default: the installed runtime's logger. */
  logger?: Logger;
  /** The Staffbase to use when the configuration names none (`npm start`'s embedded simulator). */
  staffbase?: StaffbaseConnection;
  /**
   * The start functions applying a reconciliation plan uses (client/reconcile-starters.ts). worker/ may not
   * import client/, so the composing caller hands them in; without them applying a plan fails (NoStarters).
   */
  reconcileRunStarters?: ReconcileRunStarters;
}

export interface RunningWorkerProcess {
  /** Settles when both workers have stopped and every resource is closed; rejects on a worker failure. */
  readonly done: Promise<void>;
  /**
   * Graceful stop: the workers stop polling, in-flight tasks finish (or are handed back to the server),
   * then the Staffbase client, the notifier and the Temporal connection close. Safe to call twice.
   */
  shutdown(): Promise<void>;
}

function createNotifier(config: NotifierConfig, logger: Logger): Notifier {
  return config.kind === 'smtp' ? new SmtpNotifier(config.smtp) : new LogNotifier(logger);
}

/** Connects, starts both lifecycle workers and returns at once; `done` tells when they stop. */
export async function startWorkerProcess(
  config: WorkerConfig,
  options: WorkerProcessOptions = {},
): Promise<RunningWorkerProcess> {
  const logger = options.logger ?? Runtime.instance().logger;
  const target = config.staffbase.connection ?? options.staffbase;
  if (!target) {
    throw new Error('No Staffbase to talk to: set STAFFBASE_BASE_URL and STAFFBASE_API_TOKEN');
  }
  if (config.encryption.mode === 'off') {
    logger.warn('LIFECYCLE_ENCRYPTION=off: names and emails are stored in clear in Temporal');
  }
  if (config.notifier.kind === 'log') {
    logger.warn(
      'SMTP_HOST is not set: invitation reminders and expiry notices are NOT delivered, only logged',
    );
  }

  // Once per process (`npm run worker` and `npm start`'s stack both come here): the person index's
  // writes, audit rows of the worker's acts, the store-erase Schedule's activity. The embedded SQLite
  // store migrates itself, PostgreSQL is migrated by its set-up job. Closed after the workers stopped.
  const store = await openStore(config.store);
  let connection: NativeConnection;
  try {
    connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal));
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  const staffbase = new StaffbaseClient({
    baseUrl: target.baseUrl,
    token: target.token,
    requestTimeoutMs: config.staffbase.requestTimeoutMs,
    filterSpaceEncoding: config.staffbase.filterSpaceEncoding,
    lookupMode: config.staffbase.lookupMode,
    profilePlacement: config.staffbase.profilePlacement,
    profileUpdate: config.staffbase.profileUpdate,
    // The client says once which externalID look-up this tenant needs: into the worker's own log.
    logger,
  });
  const notifier = createNotifier(config.notifier, logger);
  const closeResources = async (): Promise<void> => {
    await Promise.allSettled([staffbase.close(), notifier.close()]);
    // After the workers stopped: no index write is in flight any more.
    await store.close().catch((error: unknown) => {
      logger.warn('Closing the store failed', { error });
    });
    await connection.close().catch((error: unknown) => {
      logger.warn('Closing the Temporal connection failed', { error });
    });
  };

  let workers: LifecycleWorkers;
  try {
    workers = await createLifecycleWorkers({
      connection,
      namespace: config.temporal.namespace,
      activities: createActivities({
        staffbase,
        notifier,
        appUrl: config.appUrl ?? new URL(target.baseUrl).origin,
        hrContactEmail: config.hrContactEmail,
        offboardingMinRetentionDays: config.offboardingMinRetentionDays,
        bulkSafety: config.bulkSafety,
        reconcileThresholds: config.reconcileSafety,
        reconcileKeepDays: config.reconcileKeepDays,
        ...(options.reconcileRunStarters && { reconcileRunStarters: options.reconcileRunStarters }),
        store,
        lifecycleEvents: config.lifecycleEvents,
      }),
      store,
      workflowBundle: config.workflowBundlePath ? { codePath: config.workflowBundlePath } : undefined,
      staffbaseRequestsPerSecond: config.staffbase.requestsPerSecond,
      maxConcurrentStaffbaseCalls: config.staffbase.maxConcurrentCalls,
      memory: config.memory,
      shutdownGraceMs: WORKER_SHUTDOWN_GRACE_MS,
      dataConverter: lifecycleDataConverter(config.encryption),
    });
  } catch (error) {
    await closeResources();
    throw error;
  }

  const all = allLifecycleWorkers(workers);
  const stopWorkers = (): void => {
    for (const worker of all) {
      if (worker.getState() === 'RUNNING') worker.shutdown();
    }
  };
  const running = all.map((worker) => worker.run());
  // One worker stopping (a fatal error) takes the other down too: half a worker is no worker.
  void Promise.race(running.map((run) => run.then(stopWorkers, stopWorkers)));

  logger.info('Worker started', {
    temporalAddress: config.temporal.address,
    namespace: config.temporal.namespace,
    taskQueues: [taskQueues.lifecycle, taskQueues.staffbaseApi, taskQueues.lifecycleEvents],
    // Ids only: the subscribers' URLs and secrets stay out of the log.
    lifecycleEventSubscribers: config.lifecycleEvents.subscribers.map((subscriber) => subscriber.id),
    staffbaseBaseUrl: target.baseUrl,
    staffbaseRequestsPerSecond: config.staffbase.requestsPerSecond,
    maxCachedWorkflows: config.memory.maxCachedWorkflows,
    ...(config.memory.budgetMb !== undefined && { memoryBudgetMb: config.memory.budgetMb }),
    // The location without credentials (LIFECYCLE_STORE_URL itself is a secret, redacted if it appeared).
    store: `${config.store.kind} ${config.store.kind === 'sqlite' ? config.store.file : config.store.where}`,
    notifier: config.notifier.kind === 'smtp' ? `smtp ${config.notifier.smtp.host}` : 'log only',
    workflowCode: config.workflowBundlePath ?? 'bundled at start from workflows/',
    metrics: config.metrics ? `http://${config.metrics.bindAddress}/metrics` : 'off',
    // The key id only (derived from the key, reveals nothing usable): which key this worker writes with.
    payloadEncryption: config.encryption.mode === 'on' ? config.encryption.keys.current.id : 'OFF',
  });

  const done = (async () => {
    const results = await Promise.allSettled(running);
    await closeResources();
    const failure = results.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
    logger.info('Worker stopped');
  })();
  // Callers await `done` (or shutdown()); this only keeps an unobserved failure from crashing the process.
  done.catch(() => undefined);

  return {
    done,
    shutdown() {
      stopWorkers();
      return done;
    },
  };
}
