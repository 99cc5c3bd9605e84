/** LIFECYCLE_STORE_URL: the default SQLite file, an sqlite: path, a PostgreSQL URL kept secret. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../config/config-error';
import { DEFAULT_STORE_SQLITE_FILE } from '../../config/defaults';
import { storeConfigFromEnv } from '../../config/store';

const cwd = '/srv/app';

function problem(env: NodeJS.ProcessEnv): ConfigError {
  try {
    storeConfigFromEnv(env, cwd);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error;
  }
  assert.fail('expected a ConfigError');
}

describe('LIFECYCLE_STORE_URL', () => {
  it('defaults to the embedded SQLite file in .data/, relative to the working directory', () => {
    const expected = { kind: 'sqlite', file: path.join(cwd, DEFAULT_STORE_SQLITE_FILE) };
    assert.deepEqual(storeConfigFromEnv({}, cwd), expected);
    assert.deepEqual(storeConfigFromEnv({ LIFECYCLE_STORE_URL: '' }, cwd), expected);
    assert.match(DEFAULT_STORE_SQLITE_FILE, /^\.data\//);
  });

  it('takes sqlite:<path>, relative or absolute', () => {
    assert.deepEqual(storeConfigFromEnv({ LIFECYCLE_STORE_URL: 'sqlite:var/s.db' }, cwd), {
      kind: 'sqlite',
      file: '/srv/app/var/s.db',
    });
    assert.deepEqual(storeConfigFromEnv({ LIFECYCLE_STORE_URL: 'sqlite:/data/s.db' }, cwd), {
      kind: 'sqlite',
      file: '/data/s.db',
    });
  });

  it('takes a PostgreSQL URL, whose password never shows in a log, a spread or JSON', () => {
    const url = 'postgres://lifecycle_store:s3cret-Passw0rd@db.internal:5432/lifecycle_store';
    const config = storeConfigFromEnv({ LIFECYCLE_STORE_URL: url }, cwd);
    assert.equal(config.kind, 'postgres');
    assert.ok(config.kind === 'postgres');
    assert.equal(config.url, url);
    assert.equal(config.where, 'postgres://db.internal:5432/lifecycle_store');
    assert.doesNotMatch(JSON.stringify(config), /s3cret/);
    assert.doesNotMatch(JSON.stringify({ ...config }), /s3cret/);
    assert.equal(storeConfigFromEnv({ LIFECYCLE_STORE_URL: 'postgresql://u:p@h/db' }, cwd).kind, 'postgres');
  });

  it('refuses a bad value naming the variable, never echoing it', () => {
    for (const value of [
      'mysql://u:topsecretvalue@h/db',
      'postgres://u:topsecretvalue@/db',
      'postgres://u:topsecretvalue@host/',
      'sqlite:',
    ]) {
      const error = problem({ LIFECYCLE_STORE_URL: value });
      assert.deepEqual(error.variables, ['LIFECYCLE_STORE_URL'], value);
      assert.doesNotMatch(error.message, /topsecretvalue/);
    }
  });
});
