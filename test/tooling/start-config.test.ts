/** `npm start`'s configuration: its laptop defaults, and one error naming every bad variable. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../config/config-error';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { useDevEncryptionKey } from '../../tooling/dev-encryption-key';
import { DEFAULT_DATA_DIR, effectiveEnv, startConfigFromEnv } from '../../config/start';
import { testEncryptionEnv, testEncryptionKey } from '../helpers/encryption';

describe('npm start configuration', () => {
  it('defaults: own dev server, simulator, HR API in dev mode, data in .data/', () => {
    const config = startConfigFromEnv({ ...testEncryptionEnv });
    assert.deepEqual(config.devServer, { port: 7233, uiPort: 8233 });
    assert.deepEqual(config.simulator, { port: 4010 });
    assert.equal(config.dataDir, DEFAULT_DATA_DIR);
    assert.equal(path.basename(config.dataDir), '.data');
    assert.equal(config.worker.temporal.address, '127.0.0.1:7233');
    assert.equal(config.api.temporal.address, '127.0.0.1:7233');
    assert.equal(config.api.devMode, true);
    assert.equal(config.api.apiKey, undefined);
    assert.equal(config.apiDevModeByDefault, true);
    assert.equal(config.api.port, 8080);
    assert.equal(config.schedules.enabled, true);
  });

  it('the dev server follows TEMPORAL_DEV_PORT; TEMPORAL_ADDRESS means no dev server', () => {
    assert.equal(effectiveEnv({ TEMPORAL_DEV_PORT: '17233' }).TEMPORAL_ADDRESS, '127.0.0.1:17233');
    const config = startConfigFromEnv({
      ...testEncryptionEnv,
      TEMPORAL_ADDRESS: 'temporal.example.com:7233',
    });
    assert.equal(config.devServer, undefined);
    assert.equal(config.worker.temporal.address, 'temporal.example.com:7233');
  });

  it('a configured Staffbase means no simulator; an API key means no dev mode; secrets are collected', () => {
    const key = 'k'.repeat(32);
    const token = 'dG9rZW4tdmFsdWU=';
    const config = startConfigFromEnv({
      ...testEncryptionEnv,
      STAFFBASE_BASE_URL: 'https://acme.staffbase.com/api',
      STAFFBASE_API_TOKEN: token,
      LIFECYCLE_API_KEY: key,
    });
    assert.equal(config.simulator, undefined);
    assert.equal(config.api.devMode, false);
    assert.equal(config.api.apiKey, key);
    assert.equal(config.apiDevModeByDefault, false);
    assert.deepEqual(config.secrets.sort(), [key, token, testEncryptionKey].sort());
    assert.ok(!JSON.stringify(config).includes(token));
  });

  it('names every bad variable of every component at once', () => {
    assert.throws(
      () =>
        startConfigFromEnv({
          ...testEncryptionEnv,
          SIMULATOR_PORT: '0',
          LIFECYCLE_API_PORT: 'notaport',
          LIFECYCLE_API_HOST: '0.0.0.0',
          STAFFBASE_API_TOKEN: 'dG9rZW4=',
          CLEANUP_PENDING_OLDER_THAN_DAYS: 'soon',
          LIFECYCLE_TIME_ZONE: 'Nowhere/Town',
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(error.variables.sort(), [
          'CLEANUP_PENDING_OLDER_THAN_DAYS',
          'LIFECYCLE_API_KEY',
          'LIFECYCLE_API_PORT',
          'LIFECYCLE_TIME_ZONE',
          'SIMULATOR_PORT',
          'STAFFBASE_BASE_URL',
        ]);
        // The time zone is read by the policies and the Schedule: reported once.
        assert.equal(
          error.problems.filter((problem) => problem.variable === 'LIFECYCLE_TIME_ZONE').length,
          1,
        );
        return true;
      },
    );
  });

  it('allows the dev server’s UI origin on the codec endpoint, and no origin with a cluster', () => {
    assert.equal(effectiveEnv({}).LIFECYCLE_CODEC_CORS_ORIGIN, 'http://127.0.0.1:8233');
    assert.equal(
      effectiveEnv({ TEMPORAL_UI_PORT: '18233' }).LIFECYCLE_CODEC_CORS_ORIGIN,
      'http://127.0.0.1:18233',
    );
    assert.equal(effectiveEnv({ TEMPORAL_ADDRESS: 'temporal:7233' }).LIFECYCLE_CODEC_CORS_ORIGIN, undefined);
  });

  it('uses a development key from DATA_DIR when none is set, generating it once; never over a set key or off', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'dev-key-'));
    try {
      const env: NodeJS.ProcessEnv = {};
      const first = useDevEncryptionKey(env, dataDir);
      assert.equal(first.source === 'file' && first.generated, true);
      const file = path.join(dataDir, 'encryption-key');
      assert.equal(env.LIFECYCLE_ENCRYPTION_KEY, readFileSync(file, 'utf8').trim());
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const again: NodeJS.ProcessEnv = {};
      const second = useDevEncryptionKey(again, dataDir);
      assert.equal(second.source === 'file' && second.generated, false);
      assert.equal(again.LIFECYCLE_ENCRYPTION_KEY, env.LIFECYCLE_ENCRYPTION_KEY);
      assert.deepEqual(useDevEncryptionKey({ ...testEncryptionEnv }, dataDir), { source: 'environment' });
      assert.deepEqual(useDevEncryptionKey({ LIFECYCLE_ENCRYPTION: 'OFF' }, dataDir), { source: 'off' });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
