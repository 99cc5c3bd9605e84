/**
 * Everything `npm start` reads, checked at once before anything starts: its own ports and data folder,
 * and the worker's, the HR API's and the Schedules' configuration. One {@link ConfigError} names every
 * bad variable of all of them.
 *
 * Defaults that make `npm start` a one-command laptop stack:
 * - no TEMPORAL_ADDRESS (nor TEMPORAL_CONFIG_FILE / TEMPORAL_PROFILE) → its own dev server on
 *   127.0.0.1:TEMPORAL_DEV_PORT, reading no Temporal config file;
 * - no STAFFBASE_BASE_URL / STAFFBASE_API_TOKEN → the embedded simulator;
 * - no LIFECYCLE_API_KEY → the HR API in dev mode (no key, loopback only), with a warning.
 *
 * Only `npm start` reads it, never the container image: tsconfig.build.json leaves it out, like tooling/.
 */
import { devNull } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { type HttpApiConfig, httpApiConfigFromEnv, httpApiSecretValues } from './http-api';
import { collectConfig, parseEnv } from './config-error';
import { portNumber } from './env-rules';
import { type WorkerConfig, workerConfigFromEnv, workerSecretValues } from './worker';
import {
  DEFAULT_DATA_DIR_NAME,
  DEFAULT_SIMULATOR_PORT,
  DEFAULT_TEMPORAL_DEV_PORT,
  DEFAULT_TEMPORAL_UI_PORT,
} from './defaults';
import {
  type ActivationSweepScheduleConfig,
  type CleanupScheduleConfig,
  type StoreEraseScheduleConfig,
  activationSweepScheduleConfigFromEnv,
  cleanupScheduleConfigFromEnv,
  storeEraseScheduleConfigFromEnv,
} from './schedules';

/** The repository root, as tooling/temporal-binaries.ts finds it: config/ imports nothing from tooling/. */
const projectRoot = path.resolve(__dirname, '..');

/** npm start's own variables (ENV_FILE is read by tooling/start.ts before the others). */
export const START_ENV_VARS = [
  'DATA_DIR',
  'TEMPORAL_DEV_PORT',
  'TEMPORAL_UI_PORT',
  'SIMULATOR_PORT',
  'ENV_FILE',
] as const;

/** DATA_DIR's default, as an absolute path. */
export const DEFAULT_DATA_DIR = path.join(projectRoot, DEFAULT_DATA_DIR_NAME);

export interface StartConfig {
  /** The dev server's SQLite file and the simulator's users live here (git-ignored `.data/`). */
  dataDir: string;
  /** Undefined: TEMPORAL_ADDRESS (or a Temporal config file or profile) is chosen, so no dev server is started. */
  devServer: { port: number; uiPort: number } | undefined;
  /** Undefined: STAFFBASE_BASE_URL is set, so no simulator is started. */
  simulator: { port: number } | undefined;
  worker: WorkerConfig;
  api: HttpApiConfig;
  /** The API runs without a key because none was set (npm start's default): warn about it. */
  apiDevModeByDefault: boolean;
  schedules: CleanupScheduleConfig;
  activationSweep: ActivationSweepScheduleConfig;
  storeErase: StoreEraseScheduleConfig;
  /** Values the logger must never print (tokens, keys, passwords). Non-enumerable, like every secret. */
  readonly secrets: string[];
}

const startEnvSchema = z.object({
  DATA_DIR: z.string().trim().min(1).default(DEFAULT_DATA_DIR),
  TEMPORAL_DEV_PORT: portNumber().default(DEFAULT_TEMPORAL_DEV_PORT),
  TEMPORAL_UI_PORT: portNumber().default(DEFAULT_TEMPORAL_UI_PORT),
  SIMULATOR_PORT: portNumber().default(DEFAULT_SIMULATOR_PORT),
  ENV_FILE: z.string().optional(),
});

const isSet = (value: string | undefined): boolean => value !== undefined && value.trim() !== '';

/**
 * A cluster is named by TEMPORAL_ADDRESS, or by choosing a Temporal config file or profile
 * (TEMPORAL_CONFIG_FILE / TEMPORAL_PROFILE): then npm start runs no dev server of its own.
 */
const usesCluster = (env: NodeJS.ProcessEnv): boolean =>
  isSet(env.TEMPORAL_ADDRESS) || isSet(env.TEMPORAL_CONFIG_FILE) || isSet(env.TEMPORAL_PROFILE);

/**
 * The environment the components read, with npm start's defaults filled in: the dev server's address
 * as TEMPORAL_ADDRESS, and dev mode for an HR API without a key.
 */
export function effectiveEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const effective = { ...env };
  if (!usesCluster(env)) {
    const port = portNumber().safeParse(env.TEMPORAL_DEV_PORT ?? '');
    effective.TEMPORAL_ADDRESS = `127.0.0.1:${port.success ? port.data : DEFAULT_TEMPORAL_DEV_PORT}`;
    // Its own dev server: the default Temporal config file (often the `temporal` CLI's cloud profile)
    // must not add its API key or TLS to it. An empty file has no profiles.
    effective.TEMPORAL_CONFIG_FILE = devNull;
  }
  if (!isSet(env.LIFECYCLE_API_KEY) && !isSet(env.LIFECYCLE_API_DEV_MODE)) {
    effective.LIFECYCLE_API_DEV_MODE = 'true';
  }
  // The dev server's UI calls the HR API's codec endpoint from its own origin: allow exactly that one.
  if (!usesCluster(env) && !isSet(env.LIFECYCLE_CODEC_CORS_ORIGIN)) {
    const uiPort = portNumber().safeParse(env.TEMPORAL_UI_PORT ?? '');
    effective.LIFECYCLE_CODEC_CORS_ORIGIN = `http://127.0.0.1:${uiPort.success ? uiPort.data : DEFAULT_TEMPORAL_UI_PORT}`;
  }
  return effective;
}

/** Reads and validates everything; throws one ConfigError naming every problem of every component. */
export function startConfigFromEnv(env: NodeJS.ProcessEnv): StartConfig {
  const effective = effectiveEnv(env);
  const sections = collectConfig({
    own: () => parseEnv(startEnvSchema, env, START_ENV_VARS),
    worker: () => workerConfigFromEnv(effective, { allowEmbeddedStaffbase: true }),
    api: () => httpApiConfigFromEnv(effective),
    schedules: () => cleanupScheduleConfigFromEnv(effective),
    activationSweep: () => activationSweepScheduleConfigFromEnv(effective),
    storeErase: () => storeEraseScheduleConfigFromEnv(effective),
  });
  const { own } = sections;
  const config: Omit<StartConfig, 'secrets'> = {
    dataDir: path.resolve(projectRoot, own.DATA_DIR),
    devServer: usesCluster(env) ? undefined : { port: own.TEMPORAL_DEV_PORT, uiPort: own.TEMPORAL_UI_PORT },
    simulator: sections.worker.staffbase.connection ? undefined : { port: own.SIMULATOR_PORT },
    worker: sections.worker,
    api: sections.api,
    apiDevModeByDefault: sections.api.apiKey === undefined && !isSet(env.LIFECYCLE_API_DEV_MODE),
    schedules: sections.schedules,
    activationSweep: sections.activationSweep,
    storeErase: sections.storeErase,
  };
  const secrets = [...new Set([...workerSecretValues(env), ...httpApiSecretValues(env)])];
  return Object.defineProperty(config, 'secrets', { value: secrets, enumerable: false }) as StartConfig;
}
