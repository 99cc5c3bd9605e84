/**
 * What every process that reaches Temporal reads alike — the connection (TEMPORAL_*) and payload
 * encryption (LIFECYCLE_ENCRYPTION_*) — listed once, so the worker and the HR API cannot drift apart.
 */
import {
  ENCRYPTION_ENV_VARS,
  ENCRYPTION_SECRET_ENV_VARS,
  type EncryptionConfig,
  encryptionConfigFromEnv,
} from './encryption';
import {
  TEMPORAL_ENV_VARS,
  TEMPORAL_SECRET_ENV_VARS,
  type TemporalConfig,
  temporalConfigFromEnv,
} from './temporal';

export const TEMPORAL_CLIENT_ENV_VARS = [...TEMPORAL_ENV_VARS, ...ENCRYPTION_ENV_VARS] as const;

export const TEMPORAL_CLIENT_SECRET_ENV_VARS = [
  ...TEMPORAL_SECRET_ENV_VARS,
  ...ENCRYPTION_SECRET_ENV_VARS,
] as const;

/** The two sections of a process's `collectConfig`: each reports its own problems. */
export function temporalClientSections(env: NodeJS.ProcessEnv): {
  temporal: () => TemporalConfig;
  encryption: () => EncryptionConfig;
} {
  return { temporal: () => temporalConfigFromEnv(env), encryption: () => encryptionConfigFromEnv(env) };
}
