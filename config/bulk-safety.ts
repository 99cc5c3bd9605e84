/**
 * The bulk runs' safety limits, read by the WORKER only (LOGOUT_CONFIRM_ABOVE, CLEANUP_CONFIRM_ABOVE,
 * BULK_MAX_FAILURES): the population logout and clean-up workflows read them through an activity and
 * apply the lower of these and their input's, so whoever starts a run (HR API, CLI, the Temporal UI)
 * may lower a threshold for one run, never raise it. The HR API and the CLI do not read them.
 */
import { z } from 'zod';
import { parseEnv } from './config-error';
import {
  DEFAULT_BULK_MAX_FAILURES,
  DEFAULT_CLEANUP_CONFIRM_ABOVE,
  DEFAULT_LOGOUT_CONFIRM_ABOVE,
} from './defaults';
import { wholeNumber } from './env-rules';

export const BULK_SAFETY_ENV_VARS = [
  'LOGOUT_CONFIRM_ABOVE',
  'CLEANUP_CONFIRM_ABOVE',
  'BULK_MAX_FAILURES',
] as const;

export interface BulkSafetyConfig {
  /** A population logout of more users waits for a confirmation. */
  logoutConfirmAbove: number;
  /** A clean-up deleting more users waits for a confirmation. */
  cleanupConfirmAbove: number;
  /** A bulk run stops (`too-many-failures`) once more users than this failed for good. */
  maxFailures: number;
}

export const defaultBulkSafetyConfig: BulkSafetyConfig = {
  logoutConfirmAbove: DEFAULT_LOGOUT_CONFIRM_ABOVE,
  cleanupConfirmAbove: DEFAULT_CLEANUP_CONFIRM_ABOVE,
  maxFailures: DEFAULT_BULK_MAX_FAILURES,
};

const schema = z.object({
  LOGOUT_CONFIRM_ABOVE: wholeNumber(0, 1_000_000).default(DEFAULT_LOGOUT_CONFIRM_ABOVE),
  CLEANUP_CONFIRM_ABOVE: wholeNumber(0, 1_000_000).default(DEFAULT_CLEANUP_CONFIRM_ABOVE),
  BULK_MAX_FAILURES: wholeNumber(0, 10_000).default(DEFAULT_BULK_MAX_FAILURES),
});

/** Reads and validates the three limits; throws one ConfigError naming every bad variable. */
export function bulkSafetyConfigFromEnv(env: NodeJS.ProcessEnv): BulkSafetyConfig {
  const parsed = parseEnv(schema, env, BULK_SAFETY_ENV_VARS);
  return {
    logoutConfirmAbove: parsed.LOGOUT_CONFIRM_ABOVE,
    cleanupConfirmAbove: parsed.CLEANUP_CONFIRM_ABOVE,
    maxFailures: parsed.BULK_MAX_FAILURES,
  };
}
