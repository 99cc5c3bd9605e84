/**
 * The drop folder of reconciliation (issue 30): RECONCILE_DROP_DIR, a folder the worker process watches
 * for HR snapshot files (client/reconcile-drop-folder.ts), and how often it looks. Unset: no folder is
 * watched. Read by the worker process only (worker/main.ts), with the policies and the import limits a
 * plan needs, as the HR API reads them for an upload.
 */
import path from 'node:path';
import { z } from 'zod';
import { collectConfig, parseEnv } from './config-error';
import { DEFAULT_RECONCILE_DROP_INTERVAL_SECONDS } from './defaults';
import { wholeNumber } from './env-rules';
import { type ImportLimits, importLimitsFromEnv } from './import-limits';
import { type LifecyclePolicies, policiesFromEnv } from './policies';

export const RECONCILE_DROP_ENV_VARS = ['RECONCILE_DROP_DIR', 'RECONCILE_DROP_INTERVAL_SECONDS'] as const;

export interface ReconcileDropConfig {
  /** The folder, absolute; its `done/`, `failed/` and `processing/` subfolders are the watcher's. */
  dir: string;
  intervalMs: number;
  policies: LifecyclePolicies;
  importLimits: ImportLimits;
}

const schema = z.object({
  RECONCILE_DROP_DIR: z.string().trim().optional(),
  RECONCILE_DROP_INTERVAL_SECONDS: wholeNumber(1, 3600).default(DEFAULT_RECONCILE_DROP_INTERVAL_SECONDS),
});

/** Undefined when RECONCILE_DROP_DIR is unset or empty; throws a ConfigError naming every bad variable. */
export function reconcileDropConfigFromEnv(env: NodeJS.ProcessEnv): ReconcileDropConfig | undefined {
  const parsed = parseEnv(schema, env, RECONCILE_DROP_ENV_VARS);
  if (!parsed.RECONCILE_DROP_DIR) return undefined;
  // Only with a folder: a worker without one never reads the policies or the import limits.
  const { policies, limits } = collectConfig({
    policies: () => policiesFromEnv(env),
    limits: () => importLimitsFromEnv(env),
  });
  return {
    dir: path.resolve(parsed.RECONCILE_DROP_DIR),
    intervalMs: parsed.RECONCILE_DROP_INTERVAL_SECONDS * 1000,
    policies,
    importLimits: limits,
  };
}
