/**
 * The worker process creates or updates the clean-up Schedules, the activation sweep's and the store
 * erase's when it starts, so a deployment (docker-compose, Kubernetes) gets them and their settings without
 * `npm start`. Every replica does it: both are idempotent and safe to run from several processes at
 * once, and the newest configuration wins on the next deploy.
 */
import { Client, Connection } from '@temporalio/client';
import { type DataConverter } from '@temporalio/common';
import { type Logger } from '@temporalio/worker';
import { type TemporalConfig, temporalConnectionOptions } from '../config/temporal';
import {
  type ActivationSweepScheduleConfig,
  type CleanupScheduleConfig,
  type ReconcileEraseScheduleConfig,
  type StoreEraseScheduleConfig,
} from '../config/schedules';
import { ensureActivationSweepSchedule } from './activation-sweep-schedule';
import { ensureReconcileEraseSchedule } from './reconcile-erase-schedule';
import { ensureStoreEraseSchedule } from './store-erase-schedule';
import { type EnsuredSchedule, ensureCleanupSchedules } from './schedules';
import { ensureLifecycleEventDispatcher } from './lifecycle-event-dispatcher-start';

export async function ensureSchedulesAtStart(
  temporal: TemporalConfig,
  schedules: CleanupScheduleConfig,
  logger: Logger,
  /** The project's data converter: the Schedule's action arguments are payloads like any other. */
  dataConverter?: DataConverter,
  activationSweep?: ActivationSweepScheduleConfig,
  storeErase?: StoreEraseScheduleConfig,
  /** LIFECYCLE_EVENT_SUBSCRIBERS has subscribers: the event dispatcher must run (docs/events.md). */
  lifecycleEvents?: boolean,
  /** RECONCILE_KEEP_DAYS: the daily erasure of ended reconciliation plans' snapshot rows. */
  reconcileErase?: ReconcileEraseScheduleConfig,
): Promise<EnsuredSchedule[]> {
  // A client connection of its own: Schedules are a client API, not reachable through the worker's.
  const connection = await Connection.connect(temporalConnectionOptions(temporal));
  try {
    const client = new Client({ connection, namespace: temporal.namespace, dataConverter });
    const ensured = await ensureCleanupSchedules(client, schedules, logger);
    if (activationSweep) await ensureActivationSweepSchedule(client, activationSweep, logger);
    if (storeErase) await ensureStoreEraseSchedule(client, storeErase, logger);
    if (reconcileErase) await ensureReconcileEraseSchedule(client, reconcileErase, logger);
    if (lifecycleEvents) {
      const dispatcher = await ensureLifecycleEventDispatcher(client);
      logger.info('Lifecycle event dispatcher', { dispatcher });
    }
    return ensured;
  } finally {
    await connection.close().catch(() => undefined);
  }
}
