/**
 * STAFFBASE_WEBHOOK_SECRET and friends, and the [choice]s of staffbase/events.ts they configure: the
 * secret check (header, scheme, constant-time comparison of digests) and the event reader.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../config/config-error';
import { httpApiConfigFromEnv, httpApiSecretValues } from '../../config/http-api';
import { readStaffbaseEvent, webhookSecretCheck } from '../../staffbase/events';
import { testEncryptionEnv } from '../helpers/encryption';

const base = { ...testEncryptionEnv, LIFECYCLE_API_KEY: 'k'.repeat(32) };
const SECRET = 's'.repeat(40);

describe('Staffbase events configuration', () => {
  it('is off without a secret (and empty counts as unset)', () => {
    assert.equal(httpApiConfigFromEnv(base).staffbaseEvents, undefined);
    assert.equal(httpApiConfigFromEnv({ ...base, STAFFBASE_WEBHOOK_SECRET: '' }).staffbaseEvents, undefined);
  });

  it('defaults to Authorization: Bearer on the HR API port, and keeps the secret out of sight', () => {
    const config = httpApiConfigFromEnv({ ...base, STAFFBASE_WEBHOOK_SECRET: SECRET }).staffbaseEvents;
    assert.ok(config);
    assert.equal(config.secret, SECRET);
    assert.deepEqual({ ...config }, { header: 'Authorization', scheme: 'Bearer', port: undefined });
    assert.ok(!JSON.stringify(config).includes(SECRET));
    assert.ok(httpApiSecretValues({ ...base, STAFFBASE_WEBHOOK_SECRET: SECRET }).includes(SECRET));
  });

  it('takes its own header, an empty scheme and its own port', () => {
    const config = httpApiConfigFromEnv({
      ...base,
      STAFFBASE_WEBHOOK_SECRET: SECRET,
      STAFFBASE_WEBHOOK_SECRET_HEADER: 'X-Staffbase-Secret',
      STAFFBASE_WEBHOOK_SECRET_SCHEME: ' ',
      STAFFBASE_EVENTS_PORT: '8081',
    }).staffbaseEvents;
    assert.deepEqual({ ...config }, { header: 'X-Staffbase-Secret', scheme: '', port: 8081 });
  });

  it('refuses a short secret, a bad header, a bad port and a port without a secret, naming each', () => {
    const cases: [Record<string, string>, string][] = [
      [{ STAFFBASE_WEBHOOK_SECRET: 'short' }, 'STAFFBASE_WEBHOOK_SECRET'],
      [
        { STAFFBASE_WEBHOOK_SECRET: SECRET, STAFFBASE_WEBHOOK_SECRET_HEADER: 'x: y' },
        'STAFFBASE_WEBHOOK_SECRET_HEADER',
      ],
      [{ STAFFBASE_WEBHOOK_SECRET: SECRET, STAFFBASE_EVENTS_PORT: '70000' }, 'STAFFBASE_EVENTS_PORT'],
      [{ STAFFBASE_EVENTS_PORT: '8081' }, 'STAFFBASE_EVENTS_PORT'],
    ];
    for (const [env, variable] of cases) {
      assert.throws(
        () => httpApiConfigFromEnv({ ...base, ...env }),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.variables.join() === variable &&
          !error.message.includes('short'),
        variable,
      );
    }
  });
});

describe('the webhook secret check ([choice])', () => {
  it('accepts the secret only in the configured header and scheme', () => {
    const bearer = webhookSecretCheck({ secret: SECRET, header: 'Authorization', scheme: 'Bearer' });
    assert.equal(bearer({ authorization: `Bearer ${SECRET}` }), true);
    assert.equal(bearer({ authorization: `bearer  ${SECRET} ` }), true);
    for (const value of [SECRET, `Bearer ${SECRET}x`, `Basic ${SECRET}`, `Bearer`, '']) {
      assert.equal(bearer({ authorization: value }), false, value);
    }
    assert.equal(bearer({}), false);
    const bare = webhookSecretCheck({ secret: SECRET, header: 'X-Secret', scheme: '' });
    assert.equal(bare({ 'x-secret': SECRET }), true);
    assert.equal(bare({ authorization: `Bearer ${SECRET}` }), false);
  });
});

describe('reading an event ([choice])', () => {
  it('takes the type and the user id from the simulator’s shape and other plausible ones', () => {
    const expected = { result: 'user', type: 'user.changed', userId: 'abc123' };
    assert.deepEqual(readStaffbaseEvent({ type: 'user.changed', data: { id: 'abc123' } }), expected);
    assert.deepEqual(
      readStaffbaseEvent({ eventType: 'user.changed', data: { user: { id: 'abc123' } } }),
      expected,
    );
    assert.deepEqual(readStaffbaseEvent({ event: 'user.changed', userId: 'abc123' }), expected);
  });

  it('names an unknown type, and the field that is missing or wrong', () => {
    assert.deepEqual(readStaffbaseEvent({ type: 'post.published', data: { id: 'x' } }), {
      result: 'unknown-type',
      type: 'post.published',
    });
    assert.equal(readStaffbaseEvent([]).result, 'invalid');
    assert.deepEqual(readStaffbaseEvent({ data: { id: 'x' } }), {
      result: 'invalid',
      field: 'type',
      message: 'is required',
    });
    const traversal = readStaffbaseEvent({ type: 'user.deleted', data: { id: '../admin' } });
    assert.equal(traversal.result === 'invalid' && traversal.field, 'data.id');
  });
});
