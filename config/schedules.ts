/**
 * The Schedules' settings (worker/schedules.ts creates the clean-up Schedule from them,
 * worker/activation-sweep-schedule.ts the activation sweep's, worker/store-erase-schedule.ts the
 * store's erasure), read by `npm start` and the worker.
 * The clean-up's thresholds are the worker's own (config/bulk-safety.ts), copied into the Schedule's
 * input; the workflow applies the lower of those and the worker's values when it runs.
 */
import { z } from 'zod';
import { timeZoneSchema } from '../lifecycle/field-rules';
import { type CleanupPolicy } from '../lifecycle/support-requests';
import { bulkSafetyConfigFromEnv } from './bulk-safety';
import { collectConfig, parseEnv } from './config-error';
import {
  DEFAULT_ACTIVATION_SWEEP_INTERVAL_MINUTES,
  DEFAULT_CLEANUP_CRON,
  DEFAULT_CLEANUP_SCHEDULE_ENABLED,
  DEFAULT_PENDING_OLDER_THAN_DAYS,
  DEFAULT_STORE_ERASE_AFTER_DAYS,
  DEFAULT_TIME_ZONE,
} from './defaults';
import { booleanFlag, wholeNumber } from './env-rules';

export const ACTIVATION_SWEEP_ENV_VARS = ['ACTIVATION_SWEEP_INTERVAL_MINUTES'] as const;
export const STORE_ERASE_ENV_VARS = ['STORE_ERASE_AFTER_DAYS'] as const;

/** Every Schedule variable: the clean-ups' and the activation sweep's. */
export const SCHEDULE_ENV_VARS = [
  'CLEANUP_SCHEDULE_ENABLED',
  'CLEANUP_SCHEDULE_CRON',
  'CLEANUP_PENDING_OLDER_THAN_DAYS',
  'LIFECYCLE_TIME_ZONE',
  ...ACTIVATION_SWEEP_ENV_VARS,
  ...STORE_ERASE_ENV_VARS,
] as const;

export interface CleanupScheduleConfig {
  enabled: boolean;
  /** Standard 5-field cron (or @daily, @weekly, …), evaluated in `timeZone`. */
  cron: string;
  timeZone: string;
  pendingOlderThanDays: number;
  /**
   * Copied into each scheduled run (CLEANUP_CONFIRM_ABOVE, BULK_MAX_FAILURES): above this many
   * deletions the run waits for a confirmation. The worker's current values win when lower.
   */
  policy: CleanupPolicy;
}

export interface StoreEraseScheduleConfig {
  /** Days after an account's deletion before the person's name and email leave the store; 0: paused. */
  afterDays: number;
}

/**
 * The reconcile-erase Schedule's setting: RECONCILE_KEEP_DAYS, read with the worker's configuration
 * (config/reconcile-safety.ts, `WorkerConfig.reconcileKeepDays`).
 */
export interface ReconcileEraseScheduleConfig {
  /** Days a snapshot's rows (names, emails) outlive its plan's end; 0: erased at the next daily run. */
  keepDays: number;
}

export interface ActivationSweepScheduleConfig {
  /** Minutes between sweeps; 0: paused. */
  intervalMinutes: number;
}

const cronSchema = z
  .string()
  .trim()
  .refine(
    (cron) =>
      /^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/.test(cron) ||
      /^@every \d+[smhd]$/.test(cron) ||
      (cron.split(/\s+/).length >= 5 &&
        cron.split(/\s+/).length <= 7 &&
        cron.split(/\s+/).every((field) => /^[0-9A-Za-z*/,?#LW-]+$/.test(field))),
    { error: 'must be a cron expression such as "0 3 * * *" (minute hour day month weekday) or @daily' },
  );

const cleanupEnvSchema = z.object({
  CLEANUP_SCHEDULE_ENABLED: booleanFlag().default(DEFAULT_CLEANUP_SCHEDULE_ENABLED),
  CLEANUP_SCHEDULE_CRON: cronSchema.default(DEFAULT_CLEANUP_CRON),
  CLEANUP_PENDING_OLDER_THAN_DAYS: wholeNumber(1, 3650).default(DEFAULT_PENDING_OLDER_THAN_DAYS),
  LIFECYCLE_TIME_ZONE: z.string().trim().pipe(timeZoneSchema).default(DEFAULT_TIME_ZONE),
});

const activationSweepEnvSchema = z.object({
  ACTIVATION_SWEEP_INTERVAL_MINUTES: wholeNumber(0, 24 * 60).default(
    DEFAULT_ACTIVATION_SWEEP_INTERVAL_MINUTES,
  ),
});

const storeEraseEnvSchema = z.object({
  STORE_ERASE_AFTER_DAYS: wholeNumber(0, 3650).default(DEFAULT_STORE_ERASE_AFTER_DAYS),
});

/** Reads and validates the clean-up Schedule's settings; throws a ConfigError naming every bad variable. */
export function cleanupScheduleConfigFromEnv(env: NodeJS.ProcessEnv): CleanupScheduleConfig {
  const { parsed, bulkSafety } = collectConfig({
    parsed: () => parseEnv(cleanupEnvSchema, env, SCHEDULE_ENV_VARS),
    bulkSafety: () => bulkSafetyConfigFromEnv(env),
  });
  return {
    enabled: parsed.CLEANUP_SCHEDULE_ENABLED,
    cron: parsed.CLEANUP_SCHEDULE_CRON,
    timeZone: parsed.LIFECYCLE_TIME_ZONE,
    pendingOlderThanDays: parsed.CLEANUP_PENDING_OLDER_THAN_DAYS,
    policy: { confirmAbove: bulkSafety.cleanupConfirmAbove, maxFailures: bulkSafety.maxFailures },
  };
}

/** Reads and validates ACTIVATION_SWEEP_INTERVAL_MINUTES (0 pauses the Schedule). */
export function activationSweepScheduleConfigFromEnv(env: NodeJS.ProcessEnv): ActivationSweepScheduleConfig {
  const parsed = parseEnv(activationSweepEnvSchema, env, ACTIVATION_SWEEP_ENV_VARS);
  return { intervalMinutes: parsed.ACTIVATION_SWEEP_INTERVAL_MINUTES };
}

/** Reads and validates STORE_ERASE_AFTER_DAYS (0 pauses the erase Schedule). */
export function storeEraseScheduleConfigFromEnv(env: NodeJS.ProcessEnv): StoreEraseScheduleConfig {
  const parsed = parseEnv(storeEraseEnvSchema, env, STORE_ERASE_ENV_VARS);
  return { afterDays: parsed.STORE_ERASE_AFTER_DAYS };
}
