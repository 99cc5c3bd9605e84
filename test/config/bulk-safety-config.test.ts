/**
 * The bulk runs' thresholds are the worker's configuration (config/bulk-safety.ts): defaults, good
 * values, every bad value named; the worker reads them, the HR API does not (test/client/http/main.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BULK_SAFETY_ENV_VARS, bulkSafetyConfigFromEnv } from '../../config/bulk-safety';
import { ConfigError } from '../../config/config-error';
import {
  DEFAULT_BULK_MAX_FAILURES,
  DEFAULT_CLEANUP_CONFIRM_ABOVE,
  DEFAULT_LOGOUT_CONFIRM_ABOVE,
} from '../../config/defaults';
import { cleanupScheduleConfigFromEnv } from '../../config/schedules';
import { WORKER_ENV_VARS, workerConfigFromEnv } from '../../config/worker';
import { testEncryptionEnv } from '../helpers/encryption';

const staffbase = {
  ...testEncryptionEnv,
  STAFFBASE_BASE_URL: 'https://app.staffbase.com/api',
  STAFFBASE_API_TOKEN: 'token-for-the-bulk-safety-test',
};

describe('bulk thresholds (LOGOUT_CONFIRM_ABOVE, CLEANUP_CONFIRM_ABOVE, BULK_MAX_FAILURES)', () => {
  it('defaults: 50 users, 50 deletions, 100 failures', () => {
    assert.deepEqual(bulkSafetyConfigFromEnv({}), {
      logoutConfirmAbove: DEFAULT_LOGOUT_CONFIRM_ABOVE,
      cleanupConfirmAbove: DEFAULT_CLEANUP_CONFIRM_ABOVE,
      maxFailures: DEFAULT_BULK_MAX_FAILURES,
    });
    assert.equal(DEFAULT_BULK_MAX_FAILURES, 100);
    // An empty value (FOO= in .env) means the default.
    assert.equal(bulkSafetyConfigFromEnv({ BULK_MAX_FAILURES: '' }).maxFailures, 100);
  });

  it('reads each, 0 included (every logout or deletion needs a confirmation; the first failure stops)', () => {
    assert.deepEqual(
      bulkSafetyConfigFromEnv({
        LOGOUT_CONFIRM_ABOVE: '0',
        CLEANUP_CONFIRM_ABOVE: '200',
        BULK_MAX_FAILURES: '0',
      }),
      { logoutConfirmAbove: 0, cleanupConfirmAbove: 200, maxFailures: 0 },
    );
  });

  it('names every bad variable at once, without echoing its value', () => {
    assert.throws(
      () =>
        bulkSafetyConfigFromEnv({
          LOGOUT_CONFIRM_ABOVE: 'lots',
          CLEANUP_CONFIRM_ABOVE: '-1',
          BULK_MAX_FAILURES: '10001',
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(error.variables.sort(), [...BULK_SAFETY_ENV_VARS].sort());
        assert.match(error.message, /BULK_MAX_FAILURES must be between 0 and 10000/);
        assert.ok(!error.message.includes('lots'));
        return true;
      },
    );
  });

  it('the worker reads them into its configuration and lists them', () => {
    const config = workerConfigFromEnv({ ...staffbase, LOGOUT_CONFIRM_ABOVE: '7', BULK_MAX_FAILURES: '3' });
    assert.deepEqual(config.bulkSafety, {
      logoutConfirmAbove: 7,
      cleanupConfirmAbove: DEFAULT_CLEANUP_CONFIRM_ABOVE,
      maxFailures: 3,
    });
    for (const name of BULK_SAFETY_ENV_VARS) {
      assert.ok((WORKER_ENV_VARS as readonly string[]).includes(name), name);
    }
    assert.throws(
      () => workerConfigFromEnv({ ...staffbase, CLEANUP_CONFIRM_ABOVE: 'x' }),
      (error: unknown) => error instanceof ConfigError && error.variables.join() === 'CLEANUP_CONFIRM_ABOVE',
    );
  });

  it('the clean-up Schedule copies the worker’s values into its input', () => {
    const config = cleanupScheduleConfigFromEnv({ CLEANUP_CONFIRM_ABOVE: '12', BULK_MAX_FAILURES: '4' });
    assert.deepEqual(config.policy, { confirmAbove: 12, maxFailures: 4 });
  });
});
