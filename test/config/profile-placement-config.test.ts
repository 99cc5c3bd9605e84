/** STAFFBASE_PROFILE_PLACEMENT and STAFFBASE_PROFILE_UPDATE: defaults, good values, bad values named. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../config/config-error';
import { staffbaseConfigFromEnv } from '../../config/staffbase';

describe('Staffbase profile model settings', () => {
  it('default to the legacy model and a replacing PUT', () => {
    const config = staffbaseConfigFromEnv({});
    assert.equal(config.profilePlacement, 'top-level');
    assert.equal(config.profileUpdate, 'replace');
  });

  it('read the newer model and a merging PUT', () => {
    const config = staffbaseConfigFromEnv({
      STAFFBASE_PROFILE_PLACEMENT: 'profile',
      STAFFBASE_PROFILE_UPDATE: 'merge',
    });
    assert.equal(config.profilePlacement, 'profile');
    assert.equal(config.profileUpdate, 'merge');
  });

  it('refuse other values with a ConfigError naming each variable and its choices', () => {
    let caught: unknown;
    try {
      staffbaseConfigFromEnv({ STAFFBASE_PROFILE_PLACEMENT: 'v3', STAFFBASE_PROFILE_UPDATE: 'patch' });
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof ConfigError, String(caught));
    const problems = Object.fromEntries(
      caught.problems.map((problem) => [problem.variable, problem.message]),
    );
    assert.match(problems.STAFFBASE_PROFILE_PLACEMENT ?? '', /top-level, profile/);
    assert.match(problems.STAFFBASE_PROFILE_UPDATE ?? '', /replace, merge/);
  });
});
