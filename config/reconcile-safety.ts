/**
 * The reconciliation's safety thresholds, read by the WORKER (RECONCILE_HOLD_ABOVE,
 * RECONCILE_HOLD_ABOVE_PERCENT, RECONCILE_MIN_ACTIVE_RATIO): a plan over one of them is held for
 * approval. A request may only make them stricter (lifecycle/reconcile/safety.ts `requestThresholds`).
 */
import { z } from 'zod';
import type { ReconcileThresholds } from '../lifecycle/reconcile/safety';
import { parseEnv } from './config-error';
import {
  DEFAULT_RECONCILE_HOLD_ABOVE,
  DEFAULT_RECONCILE_KEEP_DAYS,
  DEFAULT_RECONCILE_HOLD_ABOVE_PERCENT,
  DEFAULT_RECONCILE_MIN_ACTIVE_RATIO,
} from './defaults';
import { wholeNumber } from './env-rules';

export const RECONCILE_SAFETY_ENV_VARS = [
  'RECONCILE_HOLD_ABOVE',
  'RECONCILE_HOLD_ABOVE_PERCENT',
  'RECONCILE_MIN_ACTIVE_RATIO',
] as const;

/** A number within [min, max], fractions allowed (0.9, 2.5). */
function decimalNumber(min: number, max: number) {
  return z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$|^\.\d+$/, { error: 'must be a number such as 0.9' })
    .transform(Number)
    .refine((value) => value >= min && value <= max, { error: `must be between ${min} and ${max}` });
}

const schema = z.object({
  RECONCILE_HOLD_ABOVE: wholeNumber(0, 1_000_000).default(DEFAULT_RECONCILE_HOLD_ABOVE),
  RECONCILE_HOLD_ABOVE_PERCENT: decimalNumber(0, 100).default(DEFAULT_RECONCILE_HOLD_ABOVE_PERCENT),
  RECONCILE_MIN_ACTIVE_RATIO: decimalNumber(0, 1).default(DEFAULT_RECONCILE_MIN_ACTIVE_RATIO),
});

/** Reads and validates the three thresholds; throws one ConfigError naming every bad variable. */
export function reconcileSafetyConfigFromEnv(env: NodeJS.ProcessEnv): ReconcileThresholds {
  const parsed = parseEnv(schema, env, RECONCILE_SAFETY_ENV_VARS);
  return {
    holdAbove: parsed.RECONCILE_HOLD_ABOVE,
    holdAbovePercent: parsed.RECONCILE_HOLD_ABOVE_PERCENT,
    minActiveRatio: parsed.RECONCILE_MIN_ACTIVE_RATIO,
  };
}

/** RECONCILE_KEEP_DAYS: how long a snapshot's rows (names, emails) outlive its applied or discarded plan. */
export const RECONCILE_STORE_ENV_VARS = ['RECONCILE_KEEP_DAYS'] as const;

const keepSchema = z.object({
  RECONCILE_KEEP_DAYS: wholeNumber(0, 3650).default(DEFAULT_RECONCILE_KEEP_DAYS),
});

export function reconcileKeepDaysFromEnv(env: NodeJS.ProcessEnv): number {
  return parseEnv(keepSchema, env, RECONCILE_STORE_ENV_VARS).RECONCILE_KEEP_DAYS;
}
