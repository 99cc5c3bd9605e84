import assert from 'node:assert/strict';
import { ConfigError } from '../../config/config-error';
import { temporalConfigFromEnv } from '../../config/temporal';

/** The ConfigError `read` throws; fails the test when it throws nothing or something else. */
export function configErrorOf(read: () => unknown): ConfigError {
  try {
    read();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a ConfigError');
}

/** Reads the Temporal configuration and returns it with the warnings it gave. */
export function readTemporalConfigWithWarnings(env: NodeJS.ProcessEnv) {
  const warnings: string[] = [];
  const config = temporalConfigFromEnv(env, (message) => warnings.push(message));
  return { config, warnings };
}
