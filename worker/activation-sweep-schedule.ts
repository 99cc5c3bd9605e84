/**
 * The Schedule `activation-sweep`: starts workflows/activation-sweep.ts every
 * ACTIVATION_SWEEP_INTERVAL_MINUTES (default 15). Created or updated at every start-up, like the
 * clean-up Schedules; 0 pauses it (with a note), never deletes it — the onboardings' own fallback
 * checks still notice activations then, only later. Its setting is read by config/schedules.ts.
 */
import {
  type Client,
  ScheduleOverlapPolicy,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleUpdateOptions,
} from '@temporalio/client';
import { type ActivationSweepScheduleConfig } from '../config/schedules';
import { DEFAULT_ACTIVATION_SWEEP_INTERVAL_MINUTES } from '../config/defaults';
import { taskQueues } from '../lifecycle/task-queues';
import type { activationSweep } from '../workflows/activation-sweep';
import { upsertSchedule } from './schedules';

export const ACTIVATION_SWEEP_SCHEDULE_ID = 'activation-sweep';

type SweepScheduleOptions = ScheduleUpdateOptions<ScheduleOptionsStartWorkflowAction<typeof activationSweep>>;

export function activationSweepScheduleOptions(config: ActivationSweepScheduleConfig): SweepScheduleOptions {
  const enabled = config.intervalMinutes > 0;
  return {
    // A paused Schedule still needs a valid spec: keep the default interval in it.
    spec: {
      intervals: [
        { every: `${enabled ? config.intervalMinutes : DEFAULT_ACTIVATION_SWEEP_INTERVAL_MINUTES}m` },
      ],
    },
    action: {
      type: 'startWorkflow',
      workflowType: 'activationSweep',
      workflowId: ACTIVATION_SWEEP_SCHEDULE_ID,
      taskQueue: taskQueues.lifecycle,
      args: [{}],
    },
    policies: {
      // A sweep still running (a large backlog) makes the next one skip, never pile up.
      overlap: ScheduleOverlapPolicy.SKIP,
      // After downtime one sweep catches up everyone; missed ones are not replayed.
      catchupWindow: '1 minute',
      pauseOnFailure: false,
    },
    state: enabled
      ? { paused: false, note: 'Managed by staffbase-lifecycle (ACTIVATION_SWEEP_INTERVAL_MINUTES)' }
      : { paused: true, note: 'Paused: ACTIVATION_SWEEP_INTERVAL_MINUTES=0' },
  };
}

export type EnsuredSweepSchedule = 'created' | 'updated' | 'paused' | 'absent';

/** Creates or updates the Schedule (pauses it at 0); idempotent, safe from several processes. */
export async function ensureActivationSweepSchedule(
  client: Client,
  config: ActivationSweepScheduleConfig,
  logger?: { info(message: string, meta?: Record<string, unknown>): void },
): Promise<EnsuredSweepSchedule> {
  const result = await upsertSchedule(
    client,
    ACTIVATION_SWEEP_SCHEDULE_ID,
    activationSweepScheduleOptions(config),
    config.intervalMinutes > 0,
  );
  logger?.info(`Activation sweep Schedule ${ACTIVATION_SWEEP_SCHEDULE_ID}: ${result}`, {
    intervalMinutes: config.intervalMinutes,
  });
  return result;
}
