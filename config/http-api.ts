/**
 * The HR API's configuration: every variable it reads, validated at once at start-up. One
 * {@link ConfigError} names every bad or missing variable; no message carries a secret's value.
 *
 * No LIFECYCLE_API_KEY → the API refuses to start, unless LIFECYCLE_API_DEV_MODE=true on a loopback
 * host (a laptop) and STAFFBASE_BASE_URL, when set, is loopback too (the simulator): an open HR API on
 * a network interface, or in front of a real tenant, is never a development convenience.
 */
import { z } from 'zod';
import { ConfigError, type ConfigProblem, collectConfig, defineSecret, parseEnv } from './config-error';
import {
  DEFAULT_HTTP_API_BODY_LIMIT,
  DEFAULT_HTTP_API_DEV_MODE,
  DEFAULT_HTTP_API_HOST,
  DEFAULT_HTTP_API_PORT,
  DEFAULT_TEMPORAL_UI_URL,
} from './defaults';
import { booleanFlag, wholeNumber } from './env-rules';
import { LOGGING_ENV_VARS, type LoggingConfig, loggingConfigFromEnv } from './logging';
import { STORE_ENV_VARS, STORE_SECRET_ENV_VARS, type StoreConfig, storeConfigFromEnv } from './store';
import { type TemporalConfig } from './temporal';
import { type EncryptionConfig, encryptionSecretValues } from './encryption';
import {
  TEMPORAL_CLIENT_ENV_VARS,
  TEMPORAL_CLIENT_SECRET_ENV_VARS,
  temporalClientSections,
} from './temporal-client';
import { type LifecyclePolicies, POLICY_ENV_VARS, policiesFromEnv } from './policies';
import { IMPORT_LIMIT_ENV_VARS, type ImportLimits, importLimitsFromEnv } from './import-limits';
import {
  STAFFBASE_EVENTS_ENV_VARS,
  STAFFBASE_EVENTS_SECRET_ENV_VARS,
  type StaffbaseEventsConfig,
  staffbaseEventsConfigFromEnv,
} from './staffbase-events';

export const HTTP_API_OWN_ENV_VARS = [
  'LIFECYCLE_API_KEY',
  'LIFECYCLE_ADMIN_API_KEY',
  'LIFECYCLE_CODEC_CORS_ORIGIN',
  'LIFECYCLE_TEMPORAL_UI_URL',
  'LIFECYCLE_API_PORT',
  'LIFECYCLE_API_HOST',
  'LIFECYCLE_API_DEV_MODE',
  'LIFECYCLE_TRUSTED_USER_HEADER',
] as const;

/** Every variable the HR API process reads. */
export const HTTP_API_ENV_VARS = [
  ...HTTP_API_OWN_ENV_VARS,
  ...TEMPORAL_CLIENT_ENV_VARS,
  ...POLICY_ENV_VARS,
  ...IMPORT_LIMIT_ENV_VARS,
  ...LOGGING_ENV_VARS,
  ...STAFFBASE_EVENTS_ENV_VARS,
  ...STORE_ENV_VARS,
] as const;

/** Variables whose values are secrets: never logged, never in an error message or a response. */
export const HTTP_API_SECRET_ENV_VARS = [
  'LIFECYCLE_API_KEY',
  'LIFECYCLE_ADMIN_API_KEY',
  ...TEMPORAL_CLIENT_SECRET_ENV_VARS,
  ...STAFFBASE_EVENTS_SECRET_ENV_VARS,
  ...STORE_SECRET_ENV_VARS,
] as const;

/** Shortest key accepted: a key a person could guess or type from memory is no key. */
export const MIN_API_KEY_LENGTH = 16;

export interface HttpApiConfig {
  /** Non-enumerable: invisible to console.log / JSON.stringify / spreading. Undefined only in dev mode. */
  readonly apiKey?: string;
  /**
   * The support key (LIFECYCLE_ADMIN_API_KEY): support and bulk routes, delete-now, shorter retention,
   * confirmations, the codec endpoint. Non-enumerable. Unset: those routes answer 403 (dev mode: open).
   */
  readonly adminApiKey?: string;
  /** The Temporal UI's origin allowed to call the codec endpoint from a browser (CORS); unset: none. */
  codecCorsOrigin: string | undefined;
  /**
   * LIFECYCLE_TRUSTED_USER_HEADER, lower-cased: the header in which the SSO proxy in front of the API
   * names the operator (e.g. `x-forwarded-user`). Set: keyed requests without it are refused (401) and
   * it is the audit's `requestedBy`. Unset: `X-Requested-By` is recorded as `claimedBy` only.
   */
  trustedUserHeader: string | undefined;
  /**
   * The Temporal Web UI the HR console links each run to (LIFECYCLE_TEMPORAL_UI_URL). Default: the
   * codec's allowed origin (which is that UI), else the local dev server's UI (http://127.0.0.1:8233)
   * when Temporal runs on this host; otherwise no link.
   */
  temporalUiUrl: string | undefined;
  /** Payload encryption: the API's Temporal client reads and writes encrypted payloads. */
  encryption: EncryptionConfig;
  devMode: boolean;
  host: string;
  /** 0: any free port (tests). */
  port: number;
  bodyLimit: number;
  temporal: TemporalConfig;
  policies: LifecyclePolicies;
  /** IMPORT_MAX_ROWS, IMPORT_MAX_FILE_MB: the import dry run's file limits. */
  importLimits: ImportLimits;
  logging: LoggingConfig;
  /** Staffbase's webhooks (STAFFBASE_WEBHOOK_SECRET, …); undefined when no secret is set (no route). */
  staffbaseEvents: StaffbaseEventsConfig | undefined;
  /** The project's own store (LIFECYCLE_STORE_URL, store/): checked at start-up like every setting. */
  store: StoreConfig;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/** Whether a Temporal address (`host:port`) is on this host, where the dev server's UI would be. */
function isLocalTemporal(address: string): boolean {
  const host = address.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return LOOPBACK_HOSTS.has(host);
}

/** Headers every client sends on its own: naming one as the trusted identity would trust the client. */
const UNTRUSTABLE_HEADERS = new Set([
  'authorization',
  'x-requested-by',
  'cookie',
  'host',
  'origin',
  'user-agent',
]);

const apiKeySchema = z
  .string()
  .regex(/^\S+$/, { error: 'must be one token without spaces' })
  .min(MIN_API_KEY_LENGTH, {
    error: `must be at least ${MIN_API_KEY_LENGTH} characters (e.g. the output of \`openssl rand -hex 32\`)`,
  })
  .optional();

const httpApiEnvSchema = z.object({
  LIFECYCLE_API_KEY: apiKeySchema,
  LIFECYCLE_ADMIN_API_KEY: apiKeySchema,
  LIFECYCLE_CODEC_CORS_ORIGIN: z
    .url({ protocol: /^https?$/, error: 'must be the origin of the Temporal UI, e.g. http://127.0.0.1:8233' })
    .refine((value) => !URL.canParse(value) || new URL(value).origin === value.replace(/\/$/, ''), {
      error: 'must be an origin only (scheme, host, port), e.g. http://127.0.0.1:8233',
    })
    .transform((value) => new URL(value).origin)
    .optional(),
  LIFECYCLE_TEMPORAL_UI_URL: z
    .url({ protocol: /^https?$/, error: 'must be the Temporal Web UI’s address, e.g. http://127.0.0.1:8233' })
    .transform((value) => value.replace(/\/+$/, ''))
    .optional(),
  LIFECYCLE_API_PORT: wholeNumber(0, 65535).default(DEFAULT_HTTP_API_PORT),
  LIFECYCLE_API_HOST: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.:-]+$/, { error: 'must be a host name or IP address, e.g. 127.0.0.1 or 0.0.0.0' })
    .default(DEFAULT_HTTP_API_HOST),
  LIFECYCLE_API_DEV_MODE: booleanFlag().default(DEFAULT_HTTP_API_DEV_MODE),
  LIFECYCLE_TRUSTED_USER_HEADER: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]+$/, { error: 'must be an HTTP header name, e.g. X-Forwarded-User' })
    .transform((value) => value.toLowerCase())
    .refine((value) => !UNTRUSTABLE_HEADERS.has(value), {
      error: `must be a header only the SSO proxy sets, not one a client sends itself (${[...UNTRUSTABLE_HEADERS].join(', ')})`,
    })
    .optional(),
});

/** Key presence, judged on what is set (valid or not), so it shows beside the value problems. */
function keyProblems(env: NodeJS.ProcessEnv): ConfigProblem[] {
  if (env.LIFECYCLE_ADMIN_API_KEY && env.LIFECYCLE_ADMIN_API_KEY === env.LIFECYCLE_API_KEY) {
    return [
      {
        variable: 'LIFECYCLE_ADMIN_API_KEY',
        message: 'must differ from LIFECYCLE_API_KEY (the support key may do more than the HR systems’ key)',
      },
    ];
  }
  if (env.LIFECYCLE_ADMIN_API_KEY && !env.LIFECYCLE_API_KEY) {
    return [{ variable: 'LIFECYCLE_API_KEY', message: 'is required when LIFECYCLE_ADMIN_API_KEY is set' }];
  }
  if (env.LIFECYCLE_API_KEY) return [];
  const devMode = booleanFlag().safeParse(env.LIFECYCLE_API_DEV_MODE || String(DEFAULT_HTTP_API_DEV_MODE));
  if (!devMode.success || !devMode.data) {
    return [
      {
        variable: 'LIFECYCLE_API_KEY',
        message:
          'is required: HR systems authenticate with `Authorization: Bearer <key>` ' +
          '(LIFECYCLE_API_DEV_MODE=true runs without one, on a loopback host, for local development only)',
      },
    ];
  }
  const host = (env.LIFECYCLE_API_HOST || DEFAULT_HTTP_API_HOST).trim();
  if (!LOOPBACK_HOSTS.has(host)) {
    return [
      {
        variable: 'LIFECYCLE_API_KEY',
        message: `is required when LIFECYCLE_API_HOST is not a loopback address (dev mode without a key listens on 127.0.0.1, ::1 or localhost only)`,
      },
    ];
  }
  if (isRealTenant(env.STAFFBASE_BASE_URL)) {
    return [
      {
        variable: 'LIFECYCLE_API_KEY',
        message:
          'is required when STAFFBASE_BASE_URL is a real tenant (not loopback): dev mode without keys is for the ' +
          'simulator only. Set LIFECYCLE_API_KEY and LIFECYCLE_ADMIN_API_KEY (e.g. `openssl rand -hex 32`)',
      },
    ];
  }
  return [];
}

/**
 * Whether STAFFBASE_BASE_URL points anywhere but this machine (the simulator): a keyless API in front
 * of a real tenant would let any local process, or a web page, delete real accounts. An unparsable
 * value counts as real; the Staffbase configuration reports it on its own.
 */
function isRealTenant(baseUrl: string | undefined): boolean {
  const value = baseUrl?.trim();
  if (!value) return false;
  if (!URL.canParse(value)) return true;
  const hostname = new URL(value).hostname.replace(/^\[|\]$/g, '');
  return !(LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname));
}

/** Reads and validates everything the HR API needs; throws one ConfigError naming every problem. */
export function httpApiConfigFromEnv(env: NodeJS.ProcessEnv): HttpApiConfig {
  const sections = collectConfig({
    own: () =>
      parseEnv(httpApiEnvSchema, env, HTTP_API_OWN_ENV_VARS, [
        'LIFECYCLE_API_KEY',
        'LIFECYCLE_ADMIN_API_KEY',
      ]),
    key: () => {
      const problems = keyProblems(env);
      if (problems.length > 0) throw new ConfigError(problems);
    },
    ...temporalClientSections(env),
    policies: () => policiesFromEnv(env),
    importLimits: () => importLimitsFromEnv(env),
    logging: () => loggingConfigFromEnv(env),
    staffbaseEvents: () => staffbaseEventsConfigFromEnv(env),
    store: () => storeConfigFromEnv(env),
  });
  const config: HttpApiConfig = {
    devMode: sections.own.LIFECYCLE_API_DEV_MODE,
    host: sections.own.LIFECYCLE_API_HOST,
    port: sections.own.LIFECYCLE_API_PORT,
    bodyLimit: DEFAULT_HTTP_API_BODY_LIMIT,
    codecCorsOrigin: sections.own.LIFECYCLE_CODEC_CORS_ORIGIN,
    trustedUserHeader: sections.own.LIFECYCLE_TRUSTED_USER_HEADER,
    temporalUiUrl:
      sections.own.LIFECYCLE_TEMPORAL_UI_URL ??
      sections.own.LIFECYCLE_CODEC_CORS_ORIGIN ??
      (isLocalTemporal(sections.temporal.address) ? DEFAULT_TEMPORAL_UI_URL : undefined),
    encryption: sections.encryption,
    temporal: sections.temporal,
    policies: sections.policies,
    importLimits: sections.importLimits,
    logging: sections.logging,
    staffbaseEvents: sections.staffbaseEvents,
    store: sections.store,
  };
  defineSecret(config, 'adminApiKey', sections.own.LIFECYCLE_ADMIN_API_KEY);
  return defineSecret(config, 'apiKey', sections.own.LIFECYCLE_API_KEY);
}

/** The values of the secret variables that are set: the logger redacts them from every line. */
export function httpApiSecretValues(env: NodeJS.ProcessEnv): string[] {
  return [...HTTP_API_SECRET_ENV_VARS.map((name) => env[name]), ...encryptionSecretValues(env)].filter(
    (value): value is string => value !== undefined && value !== '',
  );
}
