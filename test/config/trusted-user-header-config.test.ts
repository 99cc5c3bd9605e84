/** LIFECYCLE_TRUSTED_USER_HEADER: unset by default, a header name, never one a client sets itself. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../config/config-error';
import { HTTP_API_ENV_VARS, httpApiConfigFromEnv } from '../../config/http-api';
import { testEncryptionEnv } from '../helpers/encryption';

const base = { ...testEncryptionEnv, LIFECYCLE_API_KEY: 'k'.repeat(32) };

describe('LIFECYCLE_TRUSTED_USER_HEADER', () => {
  it('is unset by default (and empty counts as unset)', () => {
    assert.equal(httpApiConfigFromEnv(base).trustedUserHeader, undefined);
    assert.equal(
      httpApiConfigFromEnv({ ...base, LIFECYCLE_TRUSTED_USER_HEADER: '' }).trustedUserHeader,
      undefined,
    );
    assert.ok((HTTP_API_ENV_VARS as readonly string[]).includes('LIFECYCLE_TRUSTED_USER_HEADER'));
  });

  it('takes a header name, lower-cased as Node reads headers', () => {
    const config = httpApiConfigFromEnv({ ...base, LIFECYCLE_TRUSTED_USER_HEADER: ' X-Forwarded-User ' });
    assert.equal(config.trustedUserHeader, 'x-forwarded-user');
  });

  it('refuses what is no header name, and headers every client sets itself, naming the variable', () => {
    for (const value of ['X Forwarded User', 'x-user:', 'X-Requested-By', 'Authorization', 'cookie']) {
      assert.throws(
        () => httpApiConfigFromEnv({ ...base, LIFECYCLE_TRUSTED_USER_HEADER: value }),
        (error: unknown) =>
          error instanceof ConfigError && error.variables.join() === 'LIFECYCLE_TRUSTED_USER_HEADER',
        value,
      );
    }
  });
});
