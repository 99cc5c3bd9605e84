/**
 * Payload encryption settings, read by every process that talks to Temporal (worker, HR API, CLI,
 * the Schedule creator): they must all share the key, or one cannot read what another wrote.
 *
 * - LIFECYCLE_ENCRYPTION_KEY: 32 random bytes in base64 (`openssl rand -base64 32`) [secret];
 * - LIFECYCLE_ENCRYPTION_OLD_KEYS: comma-separated earlier keys, for decryption only (key rotation) [secret];
 * - LIFECYCLE_ENCRYPTION: `off` turns encryption off explicitly; without a key and without `off`, the
 *   process refuses to start — personal data in clear in Temporal is never an accident. With `on` (the
 *   default) an unencrypted payload is refused on decode (a run started with plaintext input fails);
 *   `migrate` encrypts like `on` but still reads payloads written before encryption was turned on.
 */
import { z } from 'zod';
import { ConfigError, type ConfigProblem, pickEnv } from './config-error';
import { type EncryptionConfig, createKeyRing, decodeKey } from '../lifecycle/payload-codec/key-ring';

export const ENCRYPTION_ENV_VARS = [
  'LIFECYCLE_ENCRYPTION',
  'LIFECYCLE_ENCRYPTION_KEY',
  'LIFECYCLE_ENCRYPTION_OLD_KEYS',
] as const;

export const ENCRYPTION_SECRET_ENV_VARS = [
  'LIFECYCLE_ENCRYPTION_KEY',
  'LIFECYCLE_ENCRYPTION_OLD_KEYS',
] as const;

/** Its shape belongs to the codec that consumes it (lifecycle/ sits below config/). */
export type { EncryptionConfig };

const MODE_HINT = 'must be on, off or migrate';
const modeSchema = z.enum(['on', 'off', 'migrate'], { error: MODE_HINT });

const KEY_HINT = 'must be 32 random bytes in base64, e.g. the output of `openssl rand -base64 32`';

/** Reads and validates the encryption settings; throws one ConfigError naming every problem (never a key). */
export function encryptionConfigFromEnv(env: NodeJS.ProcessEnv): EncryptionConfig {
  const raw = pickEnv(env, ENCRYPTION_ENV_VARS);
  const problems: ConfigProblem[] = [];
  const mode = modeSchema.safeParse((raw.LIFECYCLE_ENCRYPTION ?? 'on').trim().toLowerCase());
  if (!mode.success) problems.push({ variable: 'LIFECYCLE_ENCRYPTION', message: MODE_HINT });

  const current =
    raw.LIFECYCLE_ENCRYPTION_KEY === undefined ? undefined : decodeKey(raw.LIFECYCLE_ENCRYPTION_KEY);
  if (raw.LIFECYCLE_ENCRYPTION_KEY !== undefined && !current) {
    problems.push({ variable: 'LIFECYCLE_ENCRYPTION_KEY', message: KEY_HINT });
  }
  const older = (raw.LIFECYCLE_ENCRYPTION_OLD_KEYS ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '')
    .map(decodeKey);
  if (older.some((key) => key === undefined)) {
    problems.push({
      variable: 'LIFECYCLE_ENCRYPTION_OLD_KEYS',
      message:
        'must be a comma-separated list of keys, each 32 bytes in base64 (like LIFECYCLE_ENCRYPTION_KEY)',
    });
  }
  if (mode.success && mode.data !== 'off' && raw.LIFECYCLE_ENCRYPTION_KEY === undefined) {
    problems.push({
      variable: 'LIFECYCLE_ENCRYPTION_KEY',
      message:
        'is required: workflow histories hold names and emails, encrypted with this key (`openssl rand -base64 32`; ' +
        'the same key for the worker, the HR API and the CLI). LIFECYCLE_ENCRYPTION=off stores them in clear.',
    });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  if (mode.data === 'off') return { mode: 'off' };
  const config = { mode: 'on', acceptUnencrypted: mode.data === 'migrate' } as EncryptionConfig;
  Object.defineProperty(config, 'keys', {
    value: createKeyRing(current as Buffer, older as Buffer[]),
    enumerable: false,
  });
  return config;
}

/** The values of the secret variables that are set: the loggers redact them from every line. */
export function encryptionSecretValues(env: NodeJS.ProcessEnv): string[] {
  return [env.LIFECYCLE_ENCRYPTION_KEY, ...(env.LIFECYCLE_ENCRYPTION_OLD_KEYS ?? '').split(',')]
    .map((value) => value?.trim())
    .filter((value): value is string => value !== undefined && value !== '');
}
