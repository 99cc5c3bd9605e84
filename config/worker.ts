/**
 * The worker process's configuration: every variable it reads, validated at once at start-up. One
 * {@link ConfigError} names every bad or missing variable; no message carries a secret's value.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { BULK_SAFETY_ENV_VARS, type BulkSafetyConfig, bulkSafetyConfigFromEnv } from './bulk-safety';
import type { ReconcileThresholds } from '../lifecycle/reconcile/safety';
import {
  RECONCILE_SAFETY_ENV_VARS,
  RECONCILE_STORE_ENV_VARS,
  reconcileKeepDaysFromEnv,
  reconcileSafetyConfigFromEnv,
} from './reconcile-safety';
import { SMTP_ENV_VARS, SmtpConfigError, smtpConfigFromEnv, type SmtpConfig } from './smtp';
import { ConfigError, type ConfigProblem, collectConfig, parseEnv } from './config-error';
import { DEFAULT_METRICS_HOST, DEFAULT_OFFBOARDING_MIN_RETENTION_DAYS } from './defaults';
import { httpUrl, portNumber, wholeNumber } from './env-rules';
import { LOGGING_ENV_VARS, type LoggingConfig, loggingConfigFromEnv } from './logging';
import {
  STAFFBASE_ENV_VARS,
  STAFFBASE_SECRET_ENV_VARS,
  type StaffbaseConfig,
  staffbaseConfigFromEnv,
} from './staffbase';
import { WORKER_MEMORY_ENV_VARS, type WorkerMemoryConfig, workerMemoryConfigFromEnv } from './worker-memory';
import { STORE_ENV_VARS, STORE_SECRET_ENV_VARS, type StoreConfig, storeConfigFromEnv } from './store';
import { type TemporalConfig } from './temporal';
import {
  LIFECYCLE_EVENTS_ENV_VARS,
  LIFECYCLE_EVENTS_SECRET_ENV_VARS,
  type LifecycleEventsConfig,
  lifecycleEventSecretValues,
  lifecycleEventsConfigFromEnv,
} from './lifecycle-events';
import { type EncryptionConfig, encryptionSecretValues } from './encryption';
import { RECONCILE_SOURCE_SECRET_ENV_VARS } from './reconcile-source';
import {
  TEMPORAL_CLIENT_ENV_VARS,
  TEMPORAL_CLIENT_SECRET_ENV_VARS,
  temporalClientSections,
} from './temporal-client';

/** SMTP variables (read by smtpConfigFromEnv when SMTP_HOST is set). STAFFBASE_APP_URL is listed below. */
export { SMTP_ENV_VARS };

const WORKER_OWN_ENV_VARS = [
  'STAFFBASE_APP_URL',
  'HR_CONTACT_EMAIL',
  'METRICS_PORT',
  'METRICS_HOST',
  'WORKFLOW_BUNDLE_PATH',
  'OFFBOARDING_MIN_RETENTION_DAYS',
] as const;

/** Every variable the worker process reads. */
export const WORKER_ENV_VARS = [
  ...TEMPORAL_CLIENT_ENV_VARS,
  ...STAFFBASE_ENV_VARS,
  ...SMTP_ENV_VARS,
  ...WORKER_OWN_ENV_VARS,
  ...WORKER_MEMORY_ENV_VARS,
  ...BULK_SAFETY_ENV_VARS,
  ...RECONCILE_SAFETY_ENV_VARS,
  ...RECONCILE_STORE_ENV_VARS,
  ...LOGGING_ENV_VARS,
  ...STORE_ENV_VARS,
  ...LIFECYCLE_EVENTS_ENV_VARS,
] as const;

/** Variables whose values are secrets: never logged, never in an error message. */
export const WORKER_SECRET_ENV_VARS = [
  ...TEMPORAL_CLIENT_SECRET_ENV_VARS,
  ...STAFFBASE_SECRET_ENV_VARS,
  'SMTP_PASSWORD',
  ...STORE_SECRET_ENV_VARS,
  ...LIFECYCLE_EVENTS_SECRET_ENV_VARS,
] as const;

export type NotifierConfig =
  | { kind: 'smtp'; smtp: SmtpConfig }
  /** No SMTP_HOST: reminders and expiry notices are only logged, never delivered. */
  | { kind: 'log' };

export interface WorkerConfig {
  temporal: TemporalConfig;
  /** Payload encryption (LIFECYCLE_ENCRYPTION_*): the worker's data converter. */
  encryption: EncryptionConfig;
  staffbase: StaffbaseConfig;
  notifier: NotifierConfig;
  /** The employee app's URL shown in reminders; unset: the origin of the Staffbase base URL. */
  appUrl: string | undefined;
  /** Where expiry notices go when a request names no contact; unset: no notice without a contact. */
  hrContactEmail: string | undefined;
  /** Prometheus scrape endpoint (`/metrics`) of the SDK runtime; unset: no metrics. */
  metrics: { bindAddress: string } | undefined;
  logging: LoggingConfig;
  /** Workflow cache and concurrency (WORKER_MAX_*): bounds the worker's memory. */
  memory: WorkerMemoryConfig;
  /** A bundle written by worker/bundle-workflows.ts; unset: workflows/ is bundled at start (dev). */
  workflowBundlePath: string | undefined;
  /**
   * OFFBOARDING_MIN_RETENTION_DAYS: no offboarding deletes sooner than this many days after the
   * deactivation, whatever its input or a retention change says (delete-now excepted).
   */
  offboardingMinRetentionDays: number;
  /**
   * The bulk runs' thresholds (LOGOUT_CONFIRM_ABOVE, CLEANUP_CONFIRM_ABOVE, BULK_MAX_FAILURES): the
   * workflows read them through the `bulkSafetyLimits` activity and apply the lower of these and the input's.
   */
  bulkSafety: BulkSafetyConfig;
  /**
   * The reconciliation's hold thresholds (RECONCILE_HOLD_ABOVE, RECONCILE_HOLD_ABOVE_PERCENT,
   * RECONCILE_MIN_ACTIVE_RATIO): a request may only make them stricter (lifecycle/reconcile/safety.ts).
   */
  reconcileSafety: ReconcileThresholds;
  /** RECONCILE_KEEP_DAYS: days a snapshot's rows outlive its applied or discarded plan. */
  reconcileKeepDays: number;
  /** The project's own store (LIFECYCLE_STORE_URL, store/): checked at start-up like every setting. */
  store: StoreConfig;
  /** Outbound lifecycle events (LIFECYCLE_EVENT_*, docs/events.md): no subscribers, no events. */
  lifecycleEvents: LifecycleEventsConfig;
}

export interface WorkerConfigOptions {
  /**
   * true for `npm start`: with neither STAFFBASE_BASE_URL nor STAFFBASE_API_TOKEN set, the caller
   * provides the embedded simulator. The worker process on its own requires both (default false).
   */
  allowEmbeddedStaffbase?: boolean;
}

const workerEnvSchema = z.object({
  STAFFBASE_APP_URL: httpUrl('the employee app, e.g. https://acme.staffbase.com').optional(),
  HR_CONTACT_EMAIL: z
    .string()
    .trim()
    .pipe(z.email({ error: 'must be one email address' }))
    .optional(),
  METRICS_PORT: portNumber().optional(),
  METRICS_HOST: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.:-]+$/, { error: 'must be a host name or IP address' })
    // Loopback by default: exposing metrics beyond this host is a decision (0.0.0.0 for a scraper
    // on another host), not an accident of the default.
    .default(DEFAULT_METRICS_HOST),
  WORKFLOW_BUNDLE_PATH: z
    .string()
    .refine((path) => existsSync(path), {
      error: 'must be the path of a bundle written by worker/bundle-workflows.ts',
    })
    .optional(),
  OFFBOARDING_MIN_RETENTION_DAYS: wholeNumber(0, 3650).default(DEFAULT_OFFBOARDING_MIN_RETENTION_DAYS),
});

function notifierConfigFromEnv(env: NodeJS.ProcessEnv): NotifierConfig {
  if (env.SMTP_HOST) {
    return { kind: 'smtp', smtp: smtpConfigFromEnv(env) };
  }
  return { kind: 'log' };
}

/** SMTP settings without SMTP_HOST would be silently ignored: most likely a typo, so say so. */
function strayedSmtpProblems(env: NodeJS.ProcessEnv): ConfigProblem[] {
  if (env.SMTP_HOST) return [];
  const strays = SMTP_ENV_VARS.filter((name) => name !== 'SMTP_HOST' && env[name]);
  return strays.length === 0
    ? []
    : [
        {
          variable: 'SMTP_HOST',
          message: `is required when ${strays.join(', ')} ${strays.length === 1 ? 'is' : 'are'} set (without it reminders are only logged)`,
        },
      ];
}

/** SmtpConfigError lines look like "SMTP_FROM is required …": split into variable and message. */
function smtpProblems(error: unknown): ConfigProblem[] | undefined {
  if (!(error instanceof SmtpConfigError)) return undefined;
  return error.problems.map((line) => {
    const space = line.indexOf(' ');
    return space < 0
      ? { variable: line, message: 'is invalid' }
      : { variable: line.slice(0, space), message: line.slice(space + 1) };
  });
}

/** Reads and validates everything the worker process needs; throws one ConfigError naming every problem. */
export function workerConfigFromEnv(env: NodeJS.ProcessEnv, options: WorkerConfigOptions = {}): WorkerConfig {
  const strays = strayedSmtpProblems(env);
  const smtpOn = Boolean(env.SMTP_HOST);
  const sections = collectConfig(
    {
      ...temporalClientSections(env),
      staffbase: () =>
        staffbaseConfigFromEnv(env, { requireConnection: !(options.allowEmbeddedStaffbase ?? false) }),
      notifier: () => notifierConfigFromEnv(env),
      // With SMTP on, smtpConfigFromEnv checks STAFFBASE_APP_URL (and requires it): one report, not two.
      own: () =>
        parseEnv(
          workerEnvSchema,
          env,
          smtpOn ? WORKER_OWN_ENV_VARS.filter((name) => name !== 'STAFFBASE_APP_URL') : WORKER_OWN_ENV_VARS,
        ),
      logging: () => loggingConfigFromEnv(env),
      memory: () => workerMemoryConfigFromEnv(env),
      bulkSafety: () => bulkSafetyConfigFromEnv(env),
      reconcileSafety: () => reconcileSafetyConfigFromEnv(env),
      reconcileKeepDays: () => reconcileKeepDaysFromEnv(env),
      store: () => storeConfigFromEnv(env),
      lifecycleEvents: () => lifecycleEventsConfigFromEnv(env),
      strays: () => {
        if (strays.length > 0) throw new ConfigError(strays);
      },
    },
    smtpProblems,
  );
  const { own } = sections;
  return {
    temporal: sections.temporal,
    encryption: sections.encryption,
    staffbase: sections.staffbase,
    notifier: sections.notifier,
    appUrl: sections.notifier.kind === 'smtp' ? sections.notifier.smtp.appUrl : own.STAFFBASE_APP_URL,
    hrContactEmail: own.HR_CONTACT_EMAIL,
    metrics:
      own.METRICS_PORT === undefined
        ? undefined
        : {
            bindAddress: `${own.METRICS_HOST.includes(':') ? `[${own.METRICS_HOST}]` : own.METRICS_HOST}:${own.METRICS_PORT}`,
          },
    logging: sections.logging,
    memory: sections.memory,
    workflowBundlePath: own.WORKFLOW_BUNDLE_PATH,
    offboardingMinRetentionDays: own.OFFBOARDING_MIN_RETENTION_DAYS,
    bulkSafety: sections.bulkSafety,
    reconcileSafety: sections.reconcileSafety,
    reconcileKeepDays: sections.reconcileKeepDays,
    store: sections.store,
    lifecycleEvents: sections.lifecycleEvents,
  };
}

/** The values of the secret variables that are set: the logger redacts them from every line. */
export function workerSecretValues(env: NodeJS.ProcessEnv): string[] {
  // The old keys are one variable holding several secrets: each is redacted on its own.
  return [
    ...WORKER_SECRET_ENV_VARS.map((name) => env[name]),
    ...encryptionSecretValues(env),
    ...lifecycleEventSecretValues(env),
    ...RECONCILE_SOURCE_SECRET_ENV_VARS.map((name) => env[name]),
  ].filter((value): value is string => value !== undefined && value !== '');
}
