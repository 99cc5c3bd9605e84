/**
 * The reconciliation's pulled source (issue 30): RECONCILE_SOURCE_URL, an HTTPS endpoint that answers the
 * HR snapshot as CSV, JSON or xlsx (a Workday custom report, any export), pulled by the worker process
 * every RECONCILE_SOURCE_INTERVAL_MINUTES (client/reconcile-source-pull.ts). Its credentials come from
 * the worker's environment only — RECONCILE_SOURCE_TOKEN (bearer) or RECONCILE_SOURCE_USER with
 * RECONCILE_SOURCE_PASSWORD (basic) — never from a request or a Schedule's input; they are secrets:
 * non-enumerable here, never logged or echoed. Unset URL: nothing is pulled.
 */
import { z } from 'zod';
import { ConfigError, collectConfig, defineSecret, parseEnv } from './config-error';
import {
  DEFAULT_RECONCILE_SOURCE_INTERVAL_MINUTES,
  DEFAULT_RECONCILE_SOURCE_TIMEOUT_SECONDS,
} from './defaults';
import { wholeNumber } from './env-rules';
import { type ImportLimits, importLimitsFromEnv } from './import-limits';
import { type LifecyclePolicies, policiesFromEnv } from './policies';

export const RECONCILE_SOURCE_ENV_VARS = [
  'RECONCILE_SOURCE_URL',
  'RECONCILE_SOURCE_TOKEN',
  'RECONCILE_SOURCE_USER',
  'RECONCILE_SOURCE_PASSWORD',
  'RECONCILE_SOURCE_INTERVAL_MINUTES',
  'RECONCILE_SOURCE_TIMEOUT_SECONDS',
] as const;
/** A report URL may carry a key in its query string: the whole URL is treated as a secret too. */
export const RECONCILE_SOURCE_SECRET_ENV_VARS = [
  'RECONCILE_SOURCE_URL',
  'RECONCILE_SOURCE_TOKEN',
  'RECONCILE_SOURCE_PASSWORD',
] as const;

export interface ReconcileSourceConfig {
  /** The URL (non-enumerable: it may hold a key). */
  readonly url: string;
  /** `https://host/path` without query, user or password: safe to log. */
  where: string;
  /** The `authorization` header value (non-enumerable), if any. */
  readonly authorization?: string;
  auth: 'bearer' | 'basic' | 'none';
  intervalMs: number;
  timeoutMs: number;
  policies: LifecyclePolicies;
  importLimits: ImportLimits;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

const schema = z
  .object({
    RECONCILE_SOURCE_URL: z
      .string()
      .trim()
      .refine(
        (value) => {
          try {
            const url = new URL(value);
            return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname));
          } catch {
            return false;
          }
        },
        { error: 'must be an https:// URL (plain http:// only to a loopback host)' },
      )
      .optional(),
    RECONCILE_SOURCE_TOKEN: z.string().trim().min(1).optional(),
    RECONCILE_SOURCE_USER: z.string().trim().min(1).optional(),
    RECONCILE_SOURCE_PASSWORD: z.string().min(1).optional(),
    RECONCILE_SOURCE_INTERVAL_MINUTES: wholeNumber(1, 10_080).default(
      DEFAULT_RECONCILE_SOURCE_INTERVAL_MINUTES,
    ),
    RECONCILE_SOURCE_TIMEOUT_SECONDS: wholeNumber(1, 3_600).default(DEFAULT_RECONCILE_SOURCE_TIMEOUT_SECONDS),
  })
  .superRefine((env, context) => {
    if (env.RECONCILE_SOURCE_TOKEN !== undefined && env.RECONCILE_SOURCE_USER !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['RECONCILE_SOURCE_TOKEN'],
        message:
          'set either RECONCILE_SOURCE_TOKEN (bearer) or RECONCILE_SOURCE_USER/PASSWORD (basic), not both',
      });
    }
    if ((env.RECONCILE_SOURCE_USER === undefined) !== (env.RECONCILE_SOURCE_PASSWORD === undefined)) {
      context.addIssue({
        code: 'custom',
        path: [
          env.RECONCILE_SOURCE_USER === undefined ? 'RECONCILE_SOURCE_USER' : 'RECONCILE_SOURCE_PASSWORD',
        ],
        message: 'RECONCILE_SOURCE_USER and RECONCILE_SOURCE_PASSWORD go together (basic authentication)',
      });
    }
  });

/** Undefined when RECONCILE_SOURCE_URL is unset; throws a ConfigError naming every bad variable. */
export function reconcileSourceConfigFromEnv(env: NodeJS.ProcessEnv): ReconcileSourceConfig | undefined {
  const parsed = parseEnv(schema, env, RECONCILE_SOURCE_ENV_VARS, RECONCILE_SOURCE_SECRET_ENV_VARS);
  if (!parsed.RECONCILE_SOURCE_URL) {
    const orphan = (['RECONCILE_SOURCE_TOKEN', 'RECONCILE_SOURCE_USER'] as const).find(
      (name) => parsed[name] !== undefined,
    );
    if (orphan) {
      throw new ConfigError([{ variable: orphan, message: 'is set without RECONCILE_SOURCE_URL' }]);
    }
    return undefined;
  }
  const { policies, limits } = collectConfig({
    policies: () => policiesFromEnv(env),
    limits: () => importLimitsFromEnv(env),
  });
  const url = new URL(parsed.RECONCILE_SOURCE_URL);
  const authorization =
    parsed.RECONCILE_SOURCE_TOKEN !== undefined
      ? `Bearer ${parsed.RECONCILE_SOURCE_TOKEN}`
      : parsed.RECONCILE_SOURCE_USER !== undefined && parsed.RECONCILE_SOURCE_PASSWORD !== undefined
        ? `Basic ${Buffer.from(`${parsed.RECONCILE_SOURCE_USER}:${parsed.RECONCILE_SOURCE_PASSWORD}`).toString('base64')}`
        : undefined;
  const config = {
    where: `${url.protocol}//${url.host}${url.pathname}`,
    auth: parsed.RECONCILE_SOURCE_TOKEN !== undefined ? 'bearer' : authorization ? 'basic' : 'none',
    intervalMs: parsed.RECONCILE_SOURCE_INTERVAL_MINUTES * 60_000,
    timeoutMs: parsed.RECONCILE_SOURCE_TIMEOUT_SECONDS * 1000,
    policies,
    importLimits: limits,
  } as ReconcileSourceConfig;
  defineSecret(config, 'url', parsed.RECONCILE_SOURCE_URL);
  return defineSecret(config, 'authorization', authorization);
}
