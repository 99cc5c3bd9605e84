/**
 * The Schedule `store-erase`: once a day it starts workflows/store-erase.ts, which empties the name and
 * email in the store's person index of everyone whose account was deleted more than
 * STORE_ERASE_AFTER_DAYS (default 30) days ago. Created or updated at every start-up, like the other
 * Schedules; 0 pauses it (with a note), never deletes it, so its past runs stay visible.
 */
import {
  type Client,
  ScheduleOverlapPolicy,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleUpdateOptions,
} from '@temporalio/client';
import { type StoreEraseScheduleConfig } from '../config/schedules';
import { DEFAULT_STORE_ERASE_AFTER_DAYS } from '../config/defaults';
import { taskQueues } from '../lifecycle/task-queues';
import type { storeErase } from '../workflows/store-erase';
import { upsertSchedule } from './schedules';

export const STORE_ERASE_SCHEDULE_ID = 'store-erase';

type StoreEraseScheduleOptions = ScheduleUpdateOptions<ScheduleOptionsStartWorkflowAction<typeof storeErase>>;

export function storeEraseScheduleOptions(config: StoreEraseScheduleConfig): StoreEraseScheduleOptions {
  const enabled = config.afterDays > 0;
  return {
    spec: { intervals: [{ every: '1d' }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'storeErase',
      // Temporal appends the scheduled time: store-erase-2027-01-31T03:00:00Z.
      workflowId: STORE_ERASE_SCHEDULE_ID,
      taskQueue: taskQueues.lifecycle,
      // A paused Schedule still needs valid arguments: the default, never 0.
      args: [{ afterDays: enabled ? config.afterDays : DEFAULT_STORE_ERASE_AFTER_DAYS }],
    },
    policies: {
      overlap: ScheduleOverlapPolicy.SKIP,
      // After downtime one run catches up; missed days are not replayed (each run erases everyone due).
      catchupWindow: '1 day',
      pauseOnFailure: false,
    },
    state: enabled
      ? { paused: false, note: 'Managed by staffbase-lifecycle (STORE_ERASE_AFTER_DAYS)' }
      : { paused: true, note: 'Paused: STORE_ERASE_AFTER_DAYS=0' },
  };
}

export type EnsuredStoreEraseSchedule = 'created' | 'updated' | 'paused' | 'absent';

/** Creates or updates the Schedule (pauses it at 0); idempotent, safe from several processes. */
export async function ensureStoreEraseSchedule(
  client: Client,
  config: StoreEraseScheduleConfig,
  logger?: { info(message: string, meta?: Record<string, unknown>): void },
): Promise<EnsuredStoreEraseSchedule> {
  const result = await upsertSchedule(
    client,
    STORE_ERASE_SCHEDULE_ID,
    storeEraseScheduleOptions(config),
    config.afterDays > 0,
  );
  logger?.info(`Store erase Schedule ${STORE_ERASE_SCHEDULE_ID}: ${result}`, { afterDays: config.afterDays });
  return result;
}
