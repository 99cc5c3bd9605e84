/**
 * Where the Temporal cluster is, and how to connect to it: shared by the worker, the HR API, the CLI
 * and `npm start`. Defaults fit the local dev server; TLS and an API key are there for Temporal Cloud
 * or a secured self-hosted cluster.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { z } from 'zod';
import { defineSecret, parseEnv } from './config-error';
import { DEFAULT_TEMPORAL_ADDRESS, DEFAULT_TEMPORAL_NAMESPACE } from './defaults';
import { booleanFlag, hostAndPort } from './env-rules';

export const TEMPORAL_ENV_VARS = [
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'TEMPORAL_API_KEY',
  'TEMPORAL_TLS',
  'TEMPORAL_TLS_CERT_PATH',
  'TEMPORAL_TLS_KEY_PATH',
  'TEMPORAL_TLS_CA_PATH',
  'TEMPORAL_TLS_SERVER_NAME',
] as const;

/** Values that must never be logged or echoed. */
export const TEMPORAL_SECRET_ENV_VARS = ['TEMPORAL_API_KEY'] as const;

export interface TemporalTlsFiles {
  /** Client certificate and key for mTLS (both or neither). */
  certPath?: string;
  keyPath?: string;
  /** CA that signed the server's certificate, when not a public one. */
  caPath?: string;
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

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

const filePath = z.string().refine(readable, { error: 'must be the path of a readable file' }).optional();

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
    TEMPORAL_TLS_CERT_PATH: filePath,
    TEMPORAL_TLS_KEY_PATH: filePath,
    TEMPORAL_TLS_CA_PATH: filePath,
    TEMPORAL_TLS_SERVER_NAME: z.string().trim().min(1).optional(),
  })
  .refine((env) => env.TEMPORAL_TLS_CERT_PATH === undefined || env.TEMPORAL_TLS_KEY_PATH !== undefined, {
    path: ['TEMPORAL_TLS_KEY_PATH'],
    error: 'is required when TEMPORAL_TLS_CERT_PATH is set (mTLS needs the certificate and its key)',
    when: () => true,
  })
  .refine((env) => env.TEMPORAL_TLS_KEY_PATH === undefined || env.TEMPORAL_TLS_CERT_PATH !== undefined, {
    path: ['TEMPORAL_TLS_CERT_PATH'],
    error: 'is required when TEMPORAL_TLS_KEY_PATH is set (mTLS needs the certificate and its key)',
    when: () => true,
  });

/** Reads and validates the Temporal settings; throws a ConfigError naming every bad variable. */
export function temporalConfigFromEnv(env: NodeJS.ProcessEnv): TemporalConfig {
  const parsed = parseEnv(temporalEnvSchema, env, TEMPORAL_ENV_VARS, TEMPORAL_SECRET_ENV_VARS);
  const tlsFiles: TemporalTlsFiles = {
    ...(parsed.TEMPORAL_TLS_CERT_PATH && { certPath: parsed.TEMPORAL_TLS_CERT_PATH }),
    ...(parsed.TEMPORAL_TLS_KEY_PATH && { keyPath: parsed.TEMPORAL_TLS_KEY_PATH }),
    ...(parsed.TEMPORAL_TLS_CA_PATH && { caPath: parsed.TEMPORAL_TLS_CA_PATH }),
    ...(parsed.TEMPORAL_TLS_SERVER_NAME && { serverName: parsed.TEMPORAL_TLS_SERVER_NAME }),
  };
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
    const { certPath, keyPath, caPath, serverName } = config.tls;
    options.tls = {
      ...(serverName && { serverNameOverride: serverName }),
      ...(caPath && { serverRootCACertificate: readFileSync(caPath) }),
      ...(certPath &&
        keyPath && { clientCertPair: { crt: readFileSync(certPath), key: readFileSync(keyPath) } }),
    };
  }
  // A plain property here: the SDK copies these options (spreading would drop a hidden one).
  if (config.apiKey !== undefined) options.apiKey = config.apiKey;
  return options;
}
