/**
 * The Schedule `reconcile-erase`: once a day it starts workflows/reconcile-erase.ts, which deletes the
 * snapshot rows (names, emails) of every reconciliation plan applied, discarded or dry-run more than
 * RECONCILE_KEEP_DAYS (default 30) days ago; the plans stay. Created or updated at every start-up, like
 * the other Schedules. RECONCILE_KEEP_DAYS=0 erases at the next daily run, so the Schedule is never paused.
 */
import {
  type Client,
  ScheduleOverlapPolicy,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleUpdateOptions,
} from '@temporalio/client';
import { type ReconcileEraseScheduleConfig } from '../config/schedules';
import { taskQueues } from '../lifecycle/task-queues';
import type { reconcileErase } from '../workflows/reconcile-erase';
import { upsertSchedule } from './schedules';

export const RECONCILE_ERASE_SCHEDULE_ID = 'reconcile-erase';

type ReconcileEraseScheduleOptions = ScheduleUpdateOptions<
  ScheduleOptionsStartWorkflowAction<typeof reconcileErase>
>;

export function reconcileEraseScheduleOptions(
  config: ReconcileEraseScheduleConfig,
): ReconcileEraseScheduleOptions {
  return {
    spec: { intervals: [{ every: '1d' }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'reconcileErase',
      // Temporal appends the scheduled time: reconcile-erase-2027-01-31T03:00:00Z.
      workflowId: RECONCILE_ERASE_SCHEDULE_ID,
      taskQueue: taskQueues.lifecycle,
      args: [{ keepDays: config.keepDays }],
    },
    policies: {
      overlap: ScheduleOverlapPolicy.SKIP,
      // After downtime one run catches up; missed days are not replayed (each run erases everything due).
      catchupWindow: '1 day',
      pauseOnFailure: false,
    },
    state: { paused: false, note: 'Managed by staffbase-lifecycle (RECONCILE_KEEP_DAYS)' },
  };
}

/** Creates or updates the Schedule; idempotent, safe from several processes. */
export async function ensureReconcileEraseSchedule(
  client: Client,
  config: ReconcileEraseScheduleConfig,
  logger?: { info(message: string, meta?: Record<string, unknown>): void },
): Promise<'created' | 'updated' | 'paused' | 'absent'> {
  const result = await upsertSchedule(
    client,
    RECONCILE_ERASE_SCHEDULE_ID,
    reconcileEraseScheduleOptions(config),
    true,
  );
  logger?.info(`Reconcile erase Schedule ${RECONCILE_ERASE_SCHEDULE_ID}: ${result}`, {
    keepDays: config.keepDays,
  });
  return result;
}
