/**
 * The worker process (`node dist/worker/main.js` in the container, `tsx worker/main.ts` in dev).
 * Once both workers poll, it creates or updates the clean-up Schedules (CLEANUP_SCHEDULE_*).
 * Exit codes: 0 after a graceful stop on SIGTERM/SIGINT, 1 on a configuration error (every bad
 * variable named on stderr), a failed start (Schedules included), or a worker that stopped on its own.
 */
import { runProcessMain } from '../config/process-main';
import { ConfigError, collectConfig } from '../config/config-error';
import { lifecycleDataConverter } from '../lifecycle/payload-codec/data-converter';
import { type WorkerConfig, workerConfigFromEnv, workerSecretValues } from '../config/worker';
import { reconcileRunStarters } from '../client/reconcile-starters';
import { startReconcileDropFolder } from '../client/reconcile-drop-folder';
import { startReconcileSourcePull } from '../client/reconcile-source-pull';
import { type ReconcileDropConfig, reconcileDropConfigFromEnv } from '../config/reconcile-drop';
import { type ReconcileSourceConfig, reconcileSourceConfigFromEnv } from '../config/reconcile-source';
import { installWorkerRuntime, type RunningWorkerProcess, startWorkerProcess } from './process';
import { ensureSchedulesAtStart } from './schedule-setup';
import {
  type ActivationSweepScheduleConfig,
  type CleanupScheduleConfig,
  type StoreEraseScheduleConfig,
  activationSweepScheduleConfigFromEnv,
  cleanupScheduleConfigFromEnv,
  storeEraseScheduleConfigFromEnv,
} from '../config/schedules';

async function main(): Promise<number> {
  let config: WorkerConfig;
  let schedules: CleanupScheduleConfig;
  let activationSweep: ActivationSweepScheduleConfig;
  let storeErase: StoreEraseScheduleConfig;
  let drop: ReconcileDropConfig | undefined;
  let source: ReconcileSourceConfig | undefined;
  try {
    ({ config, schedules, activationSweep, storeErase, drop, source } = collectConfig({
      config: () => workerConfigFromEnv(process.env),
      schedules: () => cleanupScheduleConfigFromEnv(process.env),
      activationSweep: () => activationSweepScheduleConfigFromEnv(process.env),
      storeErase: () => storeEraseScheduleConfigFromEnv(process.env),
      drop: () => reconcileDropConfigFromEnv(process.env),
      source: () => reconcileSourceConfigFromEnv(process.env),
    }));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`worker: ${error.message}\nSee .env.example for every variable and its default.`);
    return 1;
  }
  const logger = installWorkerRuntime(config, workerSecretValues(process.env));

  let worker: RunningWorkerProcess | undefined;
  let stopRequested: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopRequested) {
      logger.warn(`Second ${signal}: exiting without waiting for in-flight tasks`);
      process.exit(1);
    }
    stopRequested = signal;
    logger.info(`${signal} received: stopping the workers (in-flight tasks finish or go back to the server)`);
    void worker?.shutdown().catch(() => undefined);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  try {
    worker = await startWorkerProcess(config, { logger, reconcileRunStarters });
  } catch (error) {
    logger.error('Worker failed to start', { error, temporalAddress: config.temporal.address });
    return 1;
  }
  // A signal that arrived while connecting: stop right after the start.
  if (stopRequested) void worker.shutdown().catch(() => undefined);
  else {
    try {
      await ensureSchedulesAtStart(
        config.temporal,
        schedules,
        logger,
        lifecycleDataConverter(config.encryption),
        activationSweep,
        storeErase,
        config.lifecycleEvents.subscribers.length > 0,
        { keepDays: config.reconcileKeepDays },
      );
    } catch (error) {
      // A deployment without its clean-ups must not look healthy: stop, and let the restart policy retry.
      logger.error('Creating the clean-up Schedules failed; stopping the worker', { error });
      await worker.shutdown().catch(() => undefined);
      return 1;
    }
  }

  // RECONCILE_DROP_DIR: a plan for each new snapshot file (client/reconcile-drop-folder.ts).
  let dropFolder: { stop(): Promise<void> } | undefined;
  if (drop && !stopRequested) {
    try {
      dropFolder = await startReconcileDropFolder(
        {
          temporal: config.temporal,
          dataConverter: lifecycleDataConverter(config.encryption),
          storeConfig: config.store,
          drop,
        },
        logger,
      );
    } catch (error) {
      logger.error('Watching RECONCILE_DROP_DIR failed; stopping the worker', { error });
      await worker.shutdown().catch(() => undefined);
      return 1;
    }
  }

  // RECONCILE_SOURCE_URL: a plan for each new content the HR system answers (client/reconcile-source-pull.ts).
  let sourcePull: { stop(): Promise<void> } | undefined;
  if (source && !stopRequested) {
    try {
      sourcePull = await startReconcileSourcePull(
        {
          temporal: config.temporal,
          dataConverter: lifecycleDataConverter(config.encryption),
          storeConfig: config.store,
          source,
        },
        logger,
      );
    } catch (error) {
      logger.error('Pulling RECONCILE_SOURCE_URL failed to start; stopping the worker', { error });
      await dropFolder?.stop().catch(() => undefined);
      await worker.shutdown().catch(() => undefined);
      return 1;
    }
  }

  try {
    await worker.done;
  } catch (error) {
    logger.error('Worker stopped with an error', { error });
    return 1;
  } finally {
    const watchers = [dropFolder, sourcePull].filter((watcher) => watcher !== undefined);
    await Promise.all(watchers.map((watcher) => watcher.stop().catch(() => undefined)));
  }
  return 0;
}

runProcessMain('worker', main);
