/**
 * The reconciliation's hold thresholds are the worker's configuration (config/reconcile-safety.ts):
 * defaults, good values, every bad value named without its value.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../config/config-error';
import { RECONCILE_SAFETY_ENV_VARS, reconcileSafetyConfigFromEnv } from '../../config/reconcile-safety';
import { WORKER_ENV_VARS, workerConfigFromEnv } from '../../config/worker';
import { testEncryptionEnv } from '../helpers/encryption';

const staffbase = {
  ...testEncryptionEnv,
  STAFFBASE_BASE_URL: 'https://app.staffbase.com/api',
  STAFFBASE_API_TOKEN: 'token-for-the-reconcile-safety-test',
};

describe('reconciliation thresholds (RECONCILE_HOLD_ABOVE, …_PERCENT, RECONCILE_MIN_ACTIVE_RATIO)', () => {
  it('defaults: 50 offboardings, 5 %, 0.9; an empty value is the default', () => {
    const expected = { holdAbove: 50, holdAbovePercent: 5, minActiveRatio: 0.9 };
    assert.deepEqual(reconcileSafetyConfigFromEnv({}), expected);
    assert.deepEqual(reconcileSafetyConfigFromEnv({ RECONCILE_MIN_ACTIVE_RATIO: '' }), expected);
  });

  it('reads each, fractions for the percentage and the ratio', () => {
    assert.deepEqual(
      reconcileSafetyConfigFromEnv({
        RECONCILE_HOLD_ABOVE: '0',
        RECONCILE_HOLD_ABOVE_PERCENT: '2.5',
        RECONCILE_MIN_ACTIVE_RATIO: '0.75',
      }),
      { holdAbove: 0, holdAbovePercent: 2.5, minActiveRatio: 0.75 },
    );
  });

  it('names every bad variable at once, without echoing its value', () => {
    assert.throws(
      () =>
        reconcileSafetyConfigFromEnv({
          RECONCILE_HOLD_ABOVE: 'plenty',
          RECONCILE_HOLD_ABOVE_PERCENT: '101',
          RECONCILE_MIN_ACTIVE_RATIO: '1.5',
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(error.variables.sort(), [...RECONCILE_SAFETY_ENV_VARS].sort());
        assert.match(error.message, /RECONCILE_HOLD_ABOVE_PERCENT must be between 0 and 100/);
        assert.match(error.message, /RECONCILE_MIN_ACTIVE_RATIO must be between 0 and 1/);
        assert.ok(!error.message.includes('plenty'));
        return true;
      },
    );
  });

  it('the worker reads them into its configuration and lists them', () => {
    const config = workerConfigFromEnv({ ...staffbase, RECONCILE_HOLD_ABOVE: '20' });
    assert.deepEqual(config.reconcileSafety, { holdAbove: 20, holdAbovePercent: 5, minActiveRatio: 0.9 });
    for (const name of RECONCILE_SAFETY_ENV_VARS) {
      assert.ok((WORKER_ENV_VARS as readonly string[]).includes(name), name);
    }
    assert.throws(
      () => workerConfigFromEnv({ ...staffbase, RECONCILE_MIN_ACTIVE_RATIO: 'most' }),
      (error: unknown) =>
        error instanceof ConfigError && error.variables.join() === 'RECONCILE_MIN_ACTIVE_RATIO',
    );
  });
});
