/**
 * Temporal's TOML client configuration file (the `temporal` CLI's and the SDKs' "profiles"), read the
 * way `@temporalio/envconfig` reads it: `TEMPORAL_CONFIG_FILE`, else the default
 * `<user config dir>/temporalio/temporal.toml` when it exists; profile `TEMPORAL_PROFILE`, else
 * `default`. A profile's values come back under the environment variables' names, so the caller lets
 * the environment override them (Temporal's precedence) and checks both alike.
 *
 * `@temporalio/envconfig` (and its TOML parser) is loaded only when there is a file to read: most
 * processes have none, and the CLI's start-up time counts.
 */
import { readFileSync } from 'node:fs';
import { platform } from 'node:os';
import path from 'node:path';
import type * as EnvConfig from '@temporalio/envconfig';
import { ConfigError, type ConfigProblem } from './config-error';

export const DEFAULT_TEMPORAL_PROFILE = 'default';

/** What a profile sets, under the standard variable names, and where each value came from. */
export interface TemporalProfileSettings {
  /** Standard variable name (TEMPORAL_ADDRESS, …) → the profile's value for it. */
  values: Record<string, string>;
  /** Standard variable name → the profile key it came from, for error messages. */
  origin: Map<string, string>;
  /** Settings the profile has that this service does not use (names only). */
  ignored: string[];
}

/**
 * The default file, as `@temporalio/envconfig` locates it (its helper is internal, and importing it
 * would load the TOML parser for every process): %APPDATA% on Windows, ~/Library/Application Support
 * on macOS, $XDG_CONFIG_HOME (absolute) or ~/.config elsewhere.
 */
export function defaultTemporalConfigFile(env: NodeJS.ProcessEnv): string | undefined {
  let dir: string | undefined;
  switch (platform()) {
    case 'win32':
      dir = env.APPDATA || undefined;
      break;
    case 'darwin':
      dir = env.HOME ? path.join(env.HOME, 'Library', 'Application Support') : undefined;
      break;
    default: {
      const xdg = env.XDG_CONFIG_HOME;
      if (xdg) dir = path.isAbsolute(xdg) ? xdg : undefined;
      else dir = env.HOME ? path.join(env.HOME, '.config') : undefined;
    }
  }
  return dir === undefined ? undefined : path.join(dir, 'temporalio', 'temporal.toml');
}

/** Profile key → standard variable name, for the plain string settings. */
const STRING_KEYS = {
  address: 'TEMPORAL_ADDRESS',
  namespace: 'TEMPORAL_NAMESPACE',
  apiKey: 'TEMPORAL_API_KEY',
} as const;

/** TLS inputs: each a file path or PEM text, and the variable names of both forms. */
const TLS_SOURCES = {
  clientCert: {
    key: 'client_cert',
    path: 'TEMPORAL_TLS_CLIENT_CERT_PATH',
    data: 'TEMPORAL_TLS_CLIENT_CERT_DATA',
  },
  clientKey: {
    key: 'client_key',
    path: 'TEMPORAL_TLS_CLIENT_KEY_PATH',
    data: 'TEMPORAL_TLS_CLIENT_KEY_DATA',
  },
  serverCACert: {
    key: 'server_ca_cert',
    path: 'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
    data: 'TEMPORAL_TLS_SERVER_CA_CERT_DATA',
  },
} as const;

/** The variables a TLS input's two forms go by: an environment value for either replaces both. */
export const TEMPORAL_TLS_SOURCE_PAIRS: readonly (readonly [string, string])[] = Object.values(
  TLS_SOURCES,
).map(({ path: pathName, data }) => [pathName, data] as const);

interface FileChoice {
  file: string;
  /** Named by TEMPORAL_CONFIG_FILE (must exist) or the default location (may be absent). */
  explicit: boolean;
}

function chooseFile(env: NodeJS.ProcessEnv): FileChoice | undefined {
  const named = env.TEMPORAL_CONFIG_FILE;
  if (named !== undefined && named !== '') return { file: named, explicit: true };
  // From `env` only, as the SDK does: a caller's explicit environment without HOME reads no default file.
  const fallback = defaultTemporalConfigFile(env);
  return fallback === undefined ? undefined : { file: fallback, explicit: false };
}

function fileProblem(choice: FileChoice, message: string): ConfigProblem {
  return choice.explicit
    ? { variable: 'TEMPORAL_CONFIG_FILE', message: `(${choice.file}) ${message}` }
    : {
        variable: 'TEMPORAL_CONFIG_FILE',
        message: `is not set, and the default file ${choice.file} ${message}`,
      };
}

/** The file's text; undefined when there is no file to read (a missing default file is no error). */
function readConfigText(choice: FileChoice | undefined): string | undefined {
  if (choice === undefined) return undefined;
  try {
    return readFileSync(choice.file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !choice.explicit) return undefined;
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EACCES'
          ? 'is not readable (permission denied)'
          : `cannot be read (${code ?? 'error'})`;
    throw new ConfigError([fileProblem(choice, why)]);
  }
}

/** The parser's reason and position only: its full message quotes the line, which may hold a key. */
function tomlProblem(choice: FileChoice, error: unknown): ConfigProblem {
  const { message, line, column } = error as { message?: unknown; line?: unknown; column?: unknown };
  const reason = typeof message === 'string' ? (message.split('\n')[0] ?? '') : '';
  const where =
    typeof line === 'number' && typeof column === 'number' ? ` at line ${line}, column ${column}` : '';
  return fileProblem(choice, `is not valid TOML${where}: ${reason}`);
}

function decodeData(data: string | Uint8Array): string {
  return typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
}

/**
 * Reads the profile, or returns undefined when there is no file and no profile was asked for.
 * Throws a ConfigError naming the file (and the profile) when the file or profile is wrong; no value
 * of the file is ever part of a message.
 */
export function readTemporalProfile(env: NodeJS.ProcessEnv): TemporalProfileSettings | undefined {
  const choice = chooseFile(env);
  const text = readConfigText(choice);
  const requestedProfile =
    env.TEMPORAL_PROFILE !== undefined && env.TEMPORAL_PROFILE !== '' ? env.TEMPORAL_PROFILE : undefined;
  if (text === undefined || choice === undefined) {
    if (requestedProfile === undefined) return undefined;
    const where =
      choice === undefined ? 'no default file location (HOME is not set)' : `no file at ${choice.file}`;
    throw new ConfigError([
      {
        variable: 'TEMPORAL_PROFILE',
        message: `is "${requestedProfile}", but there is no config file to read it from (TEMPORAL_CONFIG_FILE is not set, ${where})`,
      },
    ]);
  }

  // Loaded here, not at the top: only a process with a config file pays for the TOML parser.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const envconfig = require('@temporalio/envconfig') as typeof EnvConfig;
  const profiles = parseProfiles(envconfig, text, choice);

  const profileName = requestedProfile ?? DEFAULT_TEMPORAL_PROFILE;
  const profile = Object.hasOwn(profiles, profileName) ? profiles[profileName] : undefined;
  if (profile === undefined) {
    // Temporal's rule: a missing `default` profile is no error, a named one is.
    if (requestedProfile === undefined) return { values: {}, origin: new Map(), ignored: [] };
    const known = Object.keys(profiles);
    throw new ConfigError([
      {
        variable: 'TEMPORAL_PROFILE',
        message: `is "${profileName}", but ${choice.file} has no [profile.${profileName}] (${known.length > 0 ? `its profiles: ${known.join(', ')}` : 'it has no profiles'})`,
      },
    ]);
  }
  return profileSettings(profile, `profile "${profileName}" in ${choice.file}`, choice);
}

function parseProfiles(
  envconfig: typeof EnvConfig,
  text: string,
  choice: FileChoice,
): Record<string, EnvConfig.ClientConfigProfile> {
  try {
    return envconfig.loadClientConfigFromToml(Buffer.from(text, 'utf8'), { strict: false }).profiles;
  } catch (error) {
    // The SDK's converter fails with a TypeError on a file without any [profile.…] table (empty, or
    // only comments): valid TOML with no profiles.
    if (error instanceof TypeError) return {};
    if ((error as object).constructor?.name === 'TomlError')
      throw new ConfigError([tomlProblem(choice, error)]);
    // The SDK's own checks ("Cannot specify both client_cert_path and client_cert_data") name keys, not values.
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : 'unreadable';
    throw new ConfigError([fileProblem(choice, `is not a valid Temporal config file: ${reason}`)]);
  }
}

function profileSettings(
  profile: EnvConfig.ClientConfigProfile,
  where: string,
  choice: FileChoice,
): TemporalProfileSettings {
  const values: Record<string, string> = {};
  const origin = new Map<string, string>();
  const problems: ConfigProblem[] = [];
  const set = (name: string, tomlKey: string, value: unknown) => {
    if (value === undefined) return;
    if (typeof value !== 'string') {
      problems.push(fileProblem(choice, `${where}: ${tomlKey} must be a string`));
      return;
    }
    values[name] = value;
    origin.set(name, `${tomlKey} (${where})`);
  };
  set(STRING_KEYS.address, 'address', profile.address);
  set(STRING_KEYS.namespace, 'namespace', profile.namespace);
  set(STRING_KEYS.apiKey, 'api_key', profile.apiKey);
  const tls = profile.tls;
  if (tls !== undefined) {
    if (tls.disabled !== undefined && typeof tls.disabled !== 'boolean') {
      problems.push(fileProblem(choice, `${where}: tls.disabled must be true or false`));
    }
    // As the SDK reads it: a [tls] table turns TLS on unless it says `disabled = true`.
    values.TEMPORAL_TLS = tls.disabled === true ? 'false' : 'true';
    origin.set('TEMPORAL_TLS', `tls (${where})`);
    set('TEMPORAL_TLS_SERVER_NAME', 'tls.server_name', tls.serverName);
    for (const [field, names] of Object.entries(TLS_SOURCES)) {
      const source = tls[field as keyof typeof TLS_SOURCES];
      if (source === undefined) continue;
      if ('path' in source) set(names.path, `tls.${names.key}_path`, source.path);
      else set(names.data, `tls.${names.key}_data`, decodeData(source.data));
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const ignored =
    profile.grpcMeta !== undefined && Object.keys(profile.grpcMeta).length > 0 ? ['grpc_meta'] : [];
  return { values, origin, ignored };
}
