/**
 * Recurring clean-ups as Temporal Schedules (visible under "Schedules" in the Temporal Web UI).
 * `ensureCleanupSchedules` creates or updates one Schedule per clean-up kind at start-up, so the
 * configuration is the single source of truth: run it twice and nothing changes; change the cron
 * and the next start-up updates the Schedule. `npm start` calls it; a worker process could too.
 *
 * [choice] Only the `pending-accounts` clean-up is scheduled: its input ("older than N days") is
 * relative to each run's start. A `deactivated-users` clean-up takes a fixed date window, which a
 * Schedule (fixed arguments) cannot move forward; leavers are deleted by their offboarding anyway.
 *
 * [choice] Off switch (CLEANUP_SCHEDULE_ENABLED=false): an existing Schedule is paused with a note
 * saying why, never deleted, so its history stays visible and switching back on resumes it. With no
 * Schedule yet, nothing is created.
 *
 * Its settings (CLEANUP_SCHEDULE_*, LIFECYCLE_TIME_ZONE) are read by config/schedules.ts.
 */
import {
  type Client,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleUpdateOptions,
} from '@temporalio/client';
import { type CleanupScheduleConfig } from '../config/schedules';
import { type CleanupInput, toCleanupInput } from '../lifecycle/support-inputs';
import { type CleanupKind } from '../lifecycle/support-requests';
import { cleanupRunId, cleanupWorkflowId } from '../lifecycle/workflow-ids';
import { taskQueues } from '../lifecycle/task-queues';
import type { accountCleanup } from '../workflows/support-cleanup';

/** The Schedule's ID: the clean-up's workflow ID, so the UI shows them side by side. */
export function cleanupScheduleId(kind: CleanupKind): string {
  return cleanupRunId(kind);
}

/** Every kind that has a Schedule (see the [choice] above). */
export const scheduledCleanupKinds: readonly CleanupKind[] = ['pending-accounts'];

export interface CleanupScheduleDefinition {
  scheduleId: string;
  kind: CleanupKind;
  input: CleanupInput;
  options: ScheduleUpdateOptions<ScheduleOptionsStartWorkflowAction<typeof accountCleanup>>;
}

/** What the Schedule of `kind` should look like under `config`. */
export function cleanupScheduleDefinition(
  kind: CleanupKind,
  config: CleanupScheduleConfig,
): CleanupScheduleDefinition {
  if (kind !== 'pending-accounts') throw new Error(`No Schedule for the ${kind} clean-up`);
  const input = toCleanupInput(
    {
      kind,
      olderThanDays: config.pendingOlderThanDays,
      reason: `scheduled clean-up (${config.cron} ${config.timeZone})`,
    },
    config.policy,
  );
  return {
    scheduleId: cleanupScheduleId(kind),
    kind,
    input,
    options: {
      spec: { cronExpressions: [config.cron], timezone: config.timeZone },
      action: {
        type: 'startWorkflow',
        workflowType: 'accountCleanup',
        // Temporal appends the scheduled time: cleanup-pending-accounts-2027-01-31T03:00:00Z.
        workflowId: cleanupWorkflowId(input),
        taskQueue: taskQueues.lifecycle,
        args: [input],
      },
      policies: {
        // A run still waiting for its confirmation makes the next day's run skip, not pile up.
        overlap: ScheduleOverlapPolicy.SKIP,
        // After downtime, one missed run is caught up; a week offline does not replay seven.
        catchupWindow: '1 day',
        pauseOnFailure: false,
      },
      state: config.enabled
        ? { paused: false, note: 'Managed by staffbase-lifecycle (CLEANUP_SCHEDULE_* settings)' }
        : { paused: true, note: 'Paused: CLEANUP_SCHEDULE_ENABLED=false' },
    },
  };
}

export interface EnsuredSchedule {
  scheduleId: string;
  kind: CleanupKind;
  /** created / updated: as configured; paused: switched off; absent: off and never created. */
  result: 'created' | 'updated' | 'paused' | 'absent';
  cron: string;
  timeZone: string;
}

interface ScheduleLogger {
  info(message: string, meta?: Record<string, unknown>): void;
}

/**
 * Creates each clean-up Schedule, or updates it to the configuration when it already exists.
 * Switched off: pauses an existing Schedule, creates none. Safe to run at every start-up, and from
 * several processes at once (the update wins; both write the same thing).
 */
export async function ensureCleanupSchedules(
  client: Client,
  config: CleanupScheduleConfig,
  logger?: ScheduleLogger,
): Promise<EnsuredSchedule[]> {
  const ensured: EnsuredSchedule[] = [];
  for (const kind of scheduledCleanupKinds) {
    const definition = cleanupScheduleDefinition(kind, config);
    const summary = { scheduleId: definition.scheduleId, kind, cron: config.cron, timeZone: config.timeZone };
    const result = await upsertSchedule(client, definition.scheduleId, definition.options, config.enabled);
    logger?.info(`Clean-up Schedule ${definition.scheduleId}: ${result}`, {
      ...summary,
      olderThanDays: definition.input.olderThanDays,
      confirmAbove: definition.input.confirmAbove,
    });
    ensured.push({ ...summary, result });
  }
  return ensured;
}

/**
 * Creates the Schedule or updates it to `options`; switched off, it only updates an existing one
 * (whose options then say paused) and creates none. Idempotent, and safe from several processes at
 * once (the update wins; both write the same thing).
 */
export async function upsertSchedule<Options extends ScheduleUpdateOptions>(
  client: Client,
  scheduleId: string,
  options: Options,
  enabled: boolean,
): Promise<'created' | 'updated' | 'paused' | 'absent'> {
  const handle = client.schedule.getHandle(scheduleId);
  if (!enabled) {
    try {
      await handle.update(() => options);
      return 'paused';
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
      return 'absent';
    }
  }
  try {
    await client.schedule.create({ scheduleId, ...options });
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await handle.update(() => options);
    return 'updated';
  }
}
