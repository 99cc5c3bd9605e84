/**
 * Where the Temporal cluster is, and how to connect to it: shared by the worker, the HR API, the CLI
 * and `npm start`. Defaults fit the local dev server; TLS and an API key are there for Temporal Cloud
 * or a secured self-hosted cluster.
 *
 * The names are Temporal's own environment configuration (as the `temporal` CLI and the SDK's
 * `@temporalio/envconfig` read them), so one set of variables serves both. The names this project used
 * before (TEMPORAL_TLS_CERT_PATH, …) are deprecated aliases for one release: read with a warning, and a
 * start-up error when both names are set to different values. What the variables leave unset comes
 * from a profile of Temporal's TOML config file when there is one (config/temporal-config-file.ts).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, type ConfigProblem, defineSecret, parseEnv, pickEnv } from './config-error';
import { DEFAULT_TEMPORAL_ADDRESS, DEFAULT_TEMPORAL_NAMESPACE } from './defaults';
import { booleanFlag, hostAndPort } from './env-rules';
import {
  readTemporalProfile,
  TEMPORAL_TLS_SOURCE_PAIRS,
  type TemporalProfileSettings,
} from './temporal-config-file';
import { hasFileAccess } from './file-access';

/** Temporal's standard names, the ones to use. */
export const TEMPORAL_STANDARD_ENV_VARS = [
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'TEMPORAL_API_KEY',
  'TEMPORAL_TLS',
  'TEMPORAL_TLS_CLIENT_CERT_PATH',
  'TEMPORAL_TLS_CLIENT_KEY_PATH',
  'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
  'TEMPORAL_TLS_SERVER_NAME',
  // The same three as PEM text instead of a file (e.g. from a secret store); one form of each.
  'TEMPORAL_TLS_CLIENT_CERT_DATA',
  'TEMPORAL_TLS_CLIENT_KEY_DATA',
  'TEMPORAL_TLS_SERVER_CA_CERT_DATA',
] as const;

type StandardName = (typeof TEMPORAL_STANDARD_ENV_VARS)[number];

/** Deprecated name → Temporal's standard name. Still read for one release (0.1.x), with a warning. */
export const DEPRECATED_TEMPORAL_ENV_ALIASES = {
  TEMPORAL_TLS_CERT_PATH: 'TEMPORAL_TLS_CLIENT_CERT_PATH',
  TEMPORAL_TLS_KEY_PATH: 'TEMPORAL_TLS_CLIENT_KEY_PATH',
  TEMPORAL_TLS_CA_PATH: 'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
} as const satisfies Record<string, StandardName>;

type DeprecatedName = keyof typeof DEPRECATED_TEMPORAL_ENV_ALIASES;
const DEPRECATED_NAMES = Object.keys(DEPRECATED_TEMPORAL_ENV_ALIASES) as DeprecatedName[];

/**
 * Temporal's config-file variables: which TOML file (else the default location) and which profile in it
 * (else `default`). The environment's values override the profile's (config/temporal-config-file.ts).
 */
export const TEMPORAL_CONFIG_FILE_ENV_VARS = ['TEMPORAL_CONFIG_FILE', 'TEMPORAL_PROFILE'] as const;

/** Every variable read here: the standard names, the config file's and, for one release, the deprecated ones. */
export const TEMPORAL_ENV_VARS = [
  ...TEMPORAL_STANDARD_ENV_VARS,
  ...TEMPORAL_CONFIG_FILE_ENV_VARS,
  ...DEPRECATED_NAMES,
] as const;

/**
 * Temporal's other standard connection names, not read here, each with what to set instead. Set, each
 * gives a start-up warning rather than being silently ignored. The `temporal` CLI may still read them
 * from the same shell.
 */
export const TEMPORAL_UNREAD_ENV_VARS = {
  TEMPORAL_TLS_DISABLE_HOST_VERIFICATION:
    'the server name is always verified; set TEMPORAL_TLS_SERVER_NAME to the name its certificate carries',
} as const;
/** TEMPORAL_GRPC_META_<header>: gRPC headers, not sent by this service. */
const GRPC_META_PREFIX = 'TEMPORAL_GRPC_META_';

/** Values that must never be logged or echoed. */
export const TEMPORAL_SECRET_ENV_VARS = ['TEMPORAL_API_KEY', 'TEMPORAL_TLS_CLIENT_KEY_DATA'] as const;

export interface TemporalTlsFiles {
  /** Client certificate and key for mTLS (both or neither), each as a file or as PEM text. */
  certPath?: string;
  certData?: string;
  keyPath?: string;
  /** Non-enumerable: invisible to console.log / JSON.stringify / spreading. */
  readonly keyData?: string;
  /** CA that signed the server's certificate, when not a public one. */
  caPath?: string;
  caData?: string;
  serverName?: string;
}

export interface TemporalConfig {
  address: string;
  namespace: string;
  /** TLS off, or on with optional files. On by default as soon as an API key or client certificate is set. */
  tls: false | TemporalTlsFiles;
  /** Non-enumerable: invisible to console.log / JSON.stringify / spreading. */
  readonly apiKey?: string;
}

const readable = (path: string): boolean => hasFileAccess(path, 'read');

const filePath = z.string().refine(readable, { error: 'must be the path of a readable file' }).optional();
const pemText = z
  .string()
  .refine((text) => text.includes('-----BEGIN '), { error: 'must be PEM text (-----BEGIN …)' })
  .optional();

/** Each TLS input as a file or as PEM text: never both. */
const fileOrText = [
  ['TEMPORAL_TLS_CLIENT_CERT_PATH', 'TEMPORAL_TLS_CLIENT_CERT_DATA'],
  ['TEMPORAL_TLS_CLIENT_KEY_PATH', 'TEMPORAL_TLS_CLIENT_KEY_DATA'],
  ['TEMPORAL_TLS_SERVER_CA_CERT_PATH', 'TEMPORAL_TLS_SERVER_CA_CERT_DATA'],
] as const;

const temporalEnvSchema = z
  .object({
    TEMPORAL_ADDRESS: hostAndPort().default(DEFAULT_TEMPORAL_ADDRESS),
    TEMPORAL_NAMESPACE: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9._-]{1,255}$/, { error: 'must be a namespace name (letters, digits, . _ -)' })
      .default(DEFAULT_TEMPORAL_NAMESPACE),
    TEMPORAL_API_KEY: z.string().regex(/^\S+$/, { error: 'must be one token without spaces' }).optional(),
    TEMPORAL_TLS: booleanFlag().optional(),
    TEMPORAL_TLS_CLIENT_CERT_PATH: filePath,
    TEMPORAL_TLS_CLIENT_KEY_PATH: filePath,
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: filePath,
    TEMPORAL_TLS_SERVER_NAME: z.string().trim().min(1).optional(),
    TEMPORAL_TLS_CLIENT_CERT_DATA: pemText,
    TEMPORAL_TLS_CLIENT_KEY_DATA: pemText,
    TEMPORAL_TLS_SERVER_CA_CERT_DATA: pemText,
  })
  .superRefine(
    (env, context) => {
      for (const [file, text] of fileOrText) {
        if (env[file] !== undefined && env[text] !== undefined) {
          context.addIssue({
            code: 'custom',
            path: [text],
            message: `and ${file} are both set: set one of them`,
          });
        }
      }
      // mTLS needs the certificate and its key, each in either form (fileOrText lists the certificate first, then the key).
      const [certSet, keySet] = fileOrText.map((names) => names.find((name) => env[name] !== undefined));
      if (certSet && !keySet) {
        context.addIssue({
          code: 'custom',
          path: ['TEMPORAL_TLS_CLIENT_KEY_PATH'],
          message: `is required when ${certSet} is set (mTLS needs the certificate and its key; or TEMPORAL_TLS_CLIENT_KEY_DATA)`,
        });
      }
      if (keySet && !certSet) {
        context.addIssue({
          code: 'custom',
          path: ['TEMPORAL_TLS_CLIENT_CERT_PATH'],
          message: `is required when ${keySet} is set (mTLS needs the certificate and its key; or TEMPORAL_TLS_CLIENT_CERT_DATA)`,
        });
      }
    },
    // Also when a value is bad: one start reports every problem.
    { when: () => true },
  );

/** How a start-up warning leaves: by default a Node DeprecationWarning on stderr, once per process. */
export type ConfigWarn = (message: string) => void;

const warnedAlready = new Set<string>();
function emitDeprecationOnce(message: string): void {
  if (warnedAlready.has(message)) return;
  warnedAlready.add(message);
  process.emitWarning(message, { type: 'DeprecationWarning', code: 'STAFFBASE_LIFECYCLE_TEMPORAL_ENV' });
}

/**
 * The environment under Temporal's standard names: a deprecated name's value moves to its standard
 * name (with a warning); both set to different values is a problem naming both. `source` remembers
 * which name a value came from, so a bad value is reported under the name the person set.
 */
function resolveDeprecatedNames(
  env: NodeJS.ProcessEnv,
  warn: ConfigWarn,
): { resolved: Record<string, string>; source: Map<string, string>; conflicts: ConfigProblem[] } {
  const resolved = pickEnv(env, TEMPORAL_STANDARD_ENV_VARS);
  const deprecated = pickEnv(env, DEPRECATED_NAMES);
  const source = new Map<string, string>();
  const conflicts: ConfigProblem[] = [];
  for (const oldName of DEPRECATED_NAMES) {
    const value = deprecated[oldName];
    if (value === undefined) continue;
    const standardName = DEPRECATED_TEMPORAL_ENV_ALIASES[oldName];
    const standardValue = resolved[standardName];
    if (standardValue === undefined) {
      resolved[standardName] = value;
      source.set(standardName, oldName);
      warn(`${oldName} is deprecated and will be removed in the next release: rename it to ${standardName}.`);
    } else if (standardValue !== value) {
      conflicts.push({
        variable: oldName,
        message: `and ${standardName} are both set, to different values: keep only ${standardName} (${oldName} is its deprecated name)`,
      });
    } else {
      warn(
        `${oldName} is deprecated and will be removed in the next release: ${standardName} is set too; remove ${oldName}.`,
      );
    }
  }
  for (const [name, instead] of Object.entries(TEMPORAL_UNREAD_ENV_VARS)) {
    // Only the name: a _DATA value can be a private key.
    if (env[name] !== undefined && env[name] !== '') warn(`${name} is set but not read here: ${instead}.`);
  }
  const grpcMeta = Object.keys(env).filter((name) => name.startsWith(GRPC_META_PREFIX) && env[name] !== '');
  if (grpcMeta.length > 0) {
    warn(
      `${grpcMeta.join(', ')} set but not read here: this service sends no extra gRPC headers to Temporal.`,
    );
  }
  return { resolved, source, conflicts };
}

/**
 * Fills in what the environment leaves unset from the config file's profile: the environment (and the
 * deprecated names) overrides the file, as Temporal documents. A TLS input set in the environment in
 * either form (file or PEM text) replaces the profile's, whichever form that has.
 */
function applyProfileUnderEnv(
  profile: TemporalProfileSettings,
  resolved: Record<string, string>,
  source: Map<string, string>,
  warn: ConfigWarn,
): void {
  const setByEnv = new Set(Object.keys(resolved));
  for (const [name, value] of Object.entries(profile.values)) {
    if (setByEnv.has(name)) continue;
    const pair = TEMPORAL_TLS_SOURCE_PAIRS.find((names) => names.includes(name));
    if (pair?.some((other) => setByEnv.has(other))) continue;
    resolved[name] = value;
    source.set(name, profile.origin.get(name) ?? name);
  }
  for (const setting of profile.ignored) {
    warn(
      `${setting} in the Temporal config file's profile is not read here: this service sends no extra gRPC headers to Temporal.`,
    );
  }
}

/**
 * Reads and validates the Temporal settings; throws a ConfigError naming every bad variable.
 * `warn` receives the start-up warnings (deprecated names); by default Node's DeprecationWarning.
 */
export function temporalConfigFromEnv(
  env: NodeJS.ProcessEnv,
  warn: ConfigWarn = emitDeprecationOnce,
): TemporalConfig {
  const { resolved, source, conflicts } = resolveDeprecatedNames(env, warn);
  try {
    const profile = readTemporalProfile(env);
    if (profile) applyProfileUnderEnv(profile, resolved, source, warn);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError([...conflicts, ...error.problems]);
  }
  let parsed: z.output<typeof temporalEnvSchema>;
  try {
    parsed = parseEnv(temporalEnvSchema, resolved, TEMPORAL_STANDARD_ENV_VARS, TEMPORAL_SECRET_ENV_VARS);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const named = error.problems.map((problem) => ({
      ...problem,
      variable: source.get(problem.variable) ?? problem.variable,
    }));
    throw new ConfigError([...conflicts, ...named]);
  }
  if (conflicts.length > 0) throw new ConfigError(conflicts);

  const tlsFiles = defineSecret<TemporalTlsFiles>(
    {
      ...(parsed.TEMPORAL_TLS_CLIENT_CERT_PATH && { certPath: parsed.TEMPORAL_TLS_CLIENT_CERT_PATH }),
      ...(parsed.TEMPORAL_TLS_CLIENT_CERT_DATA && { certData: parsed.TEMPORAL_TLS_CLIENT_CERT_DATA }),
      ...(parsed.TEMPORAL_TLS_CLIENT_KEY_PATH && { keyPath: parsed.TEMPORAL_TLS_CLIENT_KEY_PATH }),
      ...(parsed.TEMPORAL_TLS_SERVER_CA_CERT_PATH && { caPath: parsed.TEMPORAL_TLS_SERVER_CA_CERT_PATH }),
      ...(parsed.TEMPORAL_TLS_SERVER_CA_CERT_DATA && { caData: parsed.TEMPORAL_TLS_SERVER_CA_CERT_DATA }),
      ...(parsed.TEMPORAL_TLS_SERVER_NAME && { serverName: parsed.TEMPORAL_TLS_SERVER_NAME }),
    },
    'keyData',
    parsed.TEMPORAL_TLS_CLIENT_KEY_DATA,
  );
  // keyData is hidden from Object.keys, and never alone (it needs a certificate, which is not).
  const tlsOn =
    parsed.TEMPORAL_TLS ?? (parsed.TEMPORAL_API_KEY !== undefined || Object.keys(tlsFiles).length > 0);
  const config: TemporalConfig = {
    address: parsed.TEMPORAL_ADDRESS,
    namespace: parsed.TEMPORAL_NAMESPACE,
    tls: tlsOn ? tlsFiles : false,
  };
  return defineSecret(config, 'apiKey', parsed.TEMPORAL_API_KEY);
}

/** TLS settings in the shape both `NativeConnection.connect` and the client's `Connection.connect` take. */
export interface TemporalTlsOptions {
  serverNameOverride?: string;
  serverRootCACertificate?: Buffer;
  clientCertPair?: { crt: Buffer; key: Buffer };
}

export interface TemporalConnectionOptions {
  address: string;
  tls?: TemporalTlsOptions | boolean;
  apiKey?: string;
}

/** Connection options for `NativeConnection.connect` (worker) or `Connection.connect` (client). */
export function temporalConnectionOptions(config: TemporalConfig): TemporalConnectionOptions {
  const options: TemporalConnectionOptions = { address: config.address };
  if (config.tls) {
    const { certPath, certData, keyPath, keyData, caPath, caData, serverName } = config.tls;
    const fileOrPem = (file: string | undefined, pem: string | undefined) =>
      file !== undefined ? readFileSync(file) : pem !== undefined ? Buffer.from(pem) : undefined;
    const ca = fileOrPem(caPath, caData);
    const crt = fileOrPem(certPath, certData);
    const key = fileOrPem(keyPath, keyData);
    options.tls = {
      ...(serverName && { serverNameOverride: serverName }),
      ...(ca && { serverRootCACertificate: ca }),
      ...(crt && key && { clientCertPair: { crt, key } }),
    };
  }
  // A plain property here: the SDK copies these options (spreading would drop a hidden one).
  if (config.apiKey !== undefined) options.apiKey = config.apiKey;
  // The SDK turns TLS on for an API key unless told otherwise: TLS off (TEMPORAL_TLS=false, or a
  // profile's `disabled = true`) must say so.
  if (config.apiKey !== undefined && config.tls === false) options.tls = false;
  return options;
}
