/**
 * Which Staffbase the service talks to, and how hard. Both STAFFBASE_BASE_URL and STAFFBASE_API_TOKEN,
 * or neither: neither means "the embedded simulator", which only `npm start` can provide; the worker
 * process on its own requires both.
 */
import { z } from 'zod';
import { type ConfigProblem, ConfigError, defineSecret, pickEnv, problemsFromZod } from './config-error';
import {
  DEFAULT_STAFFBASE_MAX_CONCURRENT_CALLS,
  DEFAULT_STAFFBASE_REQUEST_TIMEOUT_MS,
  DEFAULT_STAFFBASE_FILTER_SPACE_ENCODING,
  DEFAULT_STAFFBASE_LOOKUP_MODE,
  DEFAULT_STAFFBASE_REQUESTS_PER_SECOND,
  STAFFBASE_FILTER_SPACE_ENCODINGS,
  STAFFBASE_LOOKUP_MODES,
} from './defaults';
import { positiveNumber, wholeNumber } from './env-rules';
// The tenant's [choice]s and their defaults live in one place, read here as apiChoices.*.
import * as apiChoices from '../staffbase/api-choices';

export const STAFFBASE_ENV_VARS = [
  'STAFFBASE_BASE_URL',
  'STAFFBASE_API_TOKEN',
  'STAFFBASE_REQUESTS_PER_SECOND',
  'STAFFBASE_REQUEST_TIMEOUT_MS',
  'STAFFBASE_MAX_CONCURRENT_CALLS',
  'STAFFBASE_FILTER_SPACE_ENCODING',
  'STAFFBASE_LOOKUP_MODE',
  'STAFFBASE_PROFILE_PLACEMENT',
  'STAFFBASE_PROFILE_UPDATE',
] as const;

export const STAFFBASE_SECRET_ENV_VARS = ['STAFFBASE_API_TOKEN'] as const;

/** One Staffbase platform: the full base URL (with `/api`) and the Studio API token. */
export interface StaffbaseConnection {
  baseUrl: string;
  /** Non-enumerable when read from the environment: invisible to console.log / JSON.stringify / spreading. */
  readonly token: string;
}

export interface StaffbaseConfig {
  /** Undefined: neither variable is set, so `npm start` runs the embedded simulator. */
  connection: StaffbaseConnection | undefined;
  /** Server-side cap on Staffbase calls per second across every worker (maxTaskQueueActivitiesPerSecond). */
  requestsPerSecond: number;
  requestTimeoutMs: number;
  /** Staffbase calls one worker runs at once. */
  maxConcurrentCalls: number;
  /** How a space in a filter goes on the wire (`doctor --write-config` detects it). */
  filterSpaceEncoding: StaffbaseFilterSpaceEncoding;
  /** How look-ups by externalID are made (`doctor --write-config` detects it). */
  lookupMode: StaffbaseLookupMode;
  /** Where the tenant keeps the system profile fields (api-choices PROFILE_PLACEMENTS). */
  profilePlacement: apiChoices.ProfilePlacement;
  /** How the tenant's PUT treats `profile` (api-choices PROFILE_UPDATE_MODES). */
  profileUpdate: apiChoices.ProfileUpdateMode;
}

export type StaffbaseFilterSpaceEncoding = (typeof STAFFBASE_FILTER_SPACE_ENCODINGS)[number];
export type StaffbaseLookupMode = (typeof STAFFBASE_LOOKUP_MODES)[number];

export interface StaffbaseConfigOptions {
  /** true (the worker process on its own): both variables are required. Default false. */
  requireConnection?: boolean;
}

/** https, or http to this machine only (the simulator, a local proxy). */
export function isHttpsOrLoopback(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

const staffbaseEnvSchema = z.object({
  STAFFBASE_BASE_URL: z
    .url({
      protocol: /^https?$/,
      error: 'must be the http(s) base URL of the API, e.g. https://acme.staffbase.com/api',
    })
    .refine(
      (value) => {
        // Runs even when the URL check above failed: an unparseable value is that check's problem.
        if (!URL.canParse(value)) return true;
        const url = new URL(value);
        return !url.username && !url.password && !url.search && !url.hash;
      },
      { error: 'must not carry credentials, a query or a fragment' },
    )
    // The API token is a Basic credential: over plain http anyone on the path could read it.
    .refine((value) => !URL.canParse(value) || isHttpsOrLoopback(new URL(value)), {
      error: 'must be an https URL (http only for a loopback host such as 127.0.0.1, e.g. the simulator)',
    })
    .optional(),
  STAFFBASE_API_TOKEN: z
    .string()
    .regex(/^\S+$/, { error: 'must be the API token from Studio, without spaces' })
    .optional(),
  STAFFBASE_REQUESTS_PER_SECOND: positiveNumber(10_000).default(DEFAULT_STAFFBASE_REQUESTS_PER_SECOND),
  STAFFBASE_REQUEST_TIMEOUT_MS: wholeNumber(100, 600_000).default(DEFAULT_STAFFBASE_REQUEST_TIMEOUT_MS),
  STAFFBASE_MAX_CONCURRENT_CALLS: wholeNumber(1, 1000).default(DEFAULT_STAFFBASE_MAX_CONCURRENT_CALLS),
  STAFFBASE_FILTER_SPACE_ENCODING: z
    .enum(STAFFBASE_FILTER_SPACE_ENCODINGS, { error: 'must be %20 or +' })
    .default(DEFAULT_STAFFBASE_FILTER_SPACE_ENCODING),
  STAFFBASE_LOOKUP_MODE: z
    .enum(STAFFBASE_LOOKUP_MODES, { error: 'must be auto, filter or path' })
    .default(DEFAULT_STAFFBASE_LOOKUP_MODE),
  STAFFBASE_PROFILE_PLACEMENT: z
    .enum(apiChoices.PROFILE_PLACEMENTS, {
      error: `must be one of ${apiChoices.PROFILE_PLACEMENTS.join(', ')}`,
    })
    .default(apiChoices.DEFAULT_PROFILE_PLACEMENT),
  STAFFBASE_PROFILE_UPDATE: z
    .enum(apiChoices.PROFILE_UPDATE_MODES, {
      error: `must be one of ${apiChoices.PROFILE_UPDATE_MODES.join(', ')}`,
    })
    .default(apiChoices.DEFAULT_PROFILE_UPDATE),
});

/** Both-or-neither, judged on what is set (valid or not), so these show beside the value problems. */
function presenceProblems(raw: Record<string, string>, requireConnection: boolean): ConfigProblem[] {
  const hasUrl = raw.STAFFBASE_BASE_URL !== undefined;
  const hasToken = raw.STAFFBASE_API_TOKEN !== undefined;
  if (hasUrl && !hasToken) {
    return [{ variable: 'STAFFBASE_API_TOKEN', message: 'is required when STAFFBASE_BASE_URL is set' }];
  }
  if (hasToken && !hasUrl) {
    return [{ variable: 'STAFFBASE_BASE_URL', message: 'is required when STAFFBASE_API_TOKEN is set' }];
  }
  if (!hasUrl && requireConnection) {
    const why =
      'is required: the worker needs a Staffbase platform (only `npm start` runs the embedded simulator)';
    return [
      { variable: 'STAFFBASE_BASE_URL', message: why },
      { variable: 'STAFFBASE_API_TOKEN', message: why },
    ];
  }
  return [];
}

/** Reads and validates the Staffbase settings; throws a ConfigError naming every bad variable. */
export function staffbaseConfigFromEnv(
  env: NodeJS.ProcessEnv,
  options: StaffbaseConfigOptions = {},
): StaffbaseConfig {
  const raw = pickEnv(env, STAFFBASE_ENV_VARS);
  const result = staffbaseEnvSchema.safeParse(raw);
  const problems = [
    ...presenceProblems(raw, options.requireConnection ?? false),
    ...(result.success ? [] : problemsFromZod(result.error.issues, [raw.STAFFBASE_API_TOKEN])),
  ];
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  const parsed = result.data;
  let connection: StaffbaseConnection | undefined;
  if (parsed.STAFFBASE_BASE_URL !== undefined && parsed.STAFFBASE_API_TOKEN !== undefined) {
    // Paths are appended to it, so one trailing slash or none gives the same URLs.
    const baseUrl = parsed.STAFFBASE_BASE_URL.replace(/\/+$/, '');
    connection = defineSecret({ baseUrl } as StaffbaseConnection, 'token', parsed.STAFFBASE_API_TOKEN);
  }
  return {
    connection,
    requestsPerSecond: parsed.STAFFBASE_REQUESTS_PER_SECOND,
    requestTimeoutMs: parsed.STAFFBASE_REQUEST_TIMEOUT_MS,
    maxConcurrentCalls: parsed.STAFFBASE_MAX_CONCURRENT_CALLS,
    filterSpaceEncoding: parsed.STAFFBASE_FILTER_SPACE_ENCODING,
    lookupMode: parsed.STAFFBASE_LOOKUP_MODE,
    profilePlacement: parsed.STAFFBASE_PROFILE_PLACEMENT,
    profileUpdate: parsed.STAFFBASE_PROFILE_UPDATE,
  };
}
