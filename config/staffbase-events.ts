/**
 * Staffbase's outbound webhooks (`POST /v1/staffbase/events`), read by the HR API process:
 * - STAFFBASE_WEBHOOK_SECRET: the shared secret configured in Studio. Unset: the route does not exist
 *   (404), since an unauthenticated hint endpoint is no endpoint at all. A secret: never logged.
 * - STAFFBASE_WEBHOOK_SECRET_HEADER / _SCHEME: where Studio sends it ([choice], staffbase/events.ts).
 * - STAFFBASE_EVENTS_PORT: the route on a listener of its own (same host as the HR API), so a proxy
 *   can expose it to Staffbase without exposing the HR API. Unset: on the HR API's port.
 */
import { z } from 'zod';
import { ConfigError, defineSecret, parseEnv } from './config-error';
import { DEFAULT_STAFFBASE_WEBHOOK_SECRET_HEADER, DEFAULT_STAFFBASE_WEBHOOK_SECRET_SCHEME } from './defaults';
import { portNumber } from './env-rules';

export const STAFFBASE_EVENTS_ENV_VARS = [
  'STAFFBASE_WEBHOOK_SECRET',
  'STAFFBASE_WEBHOOK_SECRET_HEADER',
  'STAFFBASE_WEBHOOK_SECRET_SCHEME',
  'STAFFBASE_EVENTS_PORT',
] as const;

export const STAFFBASE_EVENTS_SECRET_ENV_VARS = ['STAFFBASE_WEBHOOK_SECRET'] as const;

/** Shortest secret accepted: one a person could guess is no secret. */
export const MIN_WEBHOOK_SECRET_LENGTH = 16;

export interface StaffbaseEventsConfig {
  /** Non-enumerable (never in a log line or a spread). */
  readonly secret: string;
  header: string;
  scheme: string;
  /** Undefined: the route is served on the HR API's own port. */
  port: number | undefined;
}

const schema = z.object({
  STAFFBASE_WEBHOOK_SECRET: z
    .string()
    .regex(/^\S+$/, { error: 'must be one token without spaces' })
    .min(MIN_WEBHOOK_SECRET_LENGTH, {
      error: `must be at least ${MIN_WEBHOOK_SECRET_LENGTH} characters (e.g. the output of \`openssl rand -hex 32\`)`,
    })
    .optional(),
  STAFFBASE_WEBHOOK_SECRET_HEADER: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]+$/, { error: 'must be an HTTP header name, e.g. Authorization' })
    .default(DEFAULT_STAFFBASE_WEBHOOK_SECRET_HEADER),
  STAFFBASE_WEBHOOK_SECRET_SCHEME: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]*$/, { error: 'must be a scheme word like Bearer, or empty for the bare secret' })
    .default(DEFAULT_STAFFBASE_WEBHOOK_SECRET_SCHEME),
  STAFFBASE_EVENTS_PORT: portNumber().optional(),
});

/** The events configuration, or undefined when STAFFBASE_WEBHOOK_SECRET is unset (no route). */
export function staffbaseEventsConfigFromEnv(env: NodeJS.ProcessEnv): StaffbaseEventsConfig | undefined {
  const parsed = parseEnv(schema, env, STAFFBASE_EVENTS_ENV_VARS, STAFFBASE_EVENTS_SECRET_ENV_VARS);
  if (parsed.STAFFBASE_WEBHOOK_SECRET === undefined) {
    if (parsed.STAFFBASE_EVENTS_PORT !== undefined) {
      throw new ConfigError([
        {
          variable: 'STAFFBASE_EVENTS_PORT',
          message: 'needs STAFFBASE_WEBHOOK_SECRET (the events route is off without it)',
        },
      ]);
    }
    return undefined;
  }
  const config = {
    header: parsed.STAFFBASE_WEBHOOK_SECRET_HEADER,
    scheme: parsed.STAFFBASE_WEBHOOK_SECRET_SCHEME,
    port: parsed.STAFFBASE_EVENTS_PORT,
  } as StaffbaseEventsConfig;
  return defineSecret(config, 'secret', parsed.STAFFBASE_WEBHOOK_SECRET);
}
