import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { HTTP_API_ENV_VARS, HTTP_API_SECRET_ENV_VARS, httpApiConfigFromEnv } from '../../../config/http-api';
import { ConfigError } from '../../../config/config-error';
import { testEncryptionEnv, testEncryptionKey } from '../../helpers/encryption';
import { startDevServerEnvironment } from '../../helpers/temporal';
import { waitFor } from '../../helpers/waiting';
import { logCaptureEnv } from '../../../config/log-capture';

/** `client/http/main.ts` as operators run it: a process of its own, configured by its environment. */

const root = path.resolve(__dirname, '../../..');
const KEY = `main-key-${randomBytes(24).toString('hex')}`;

interface RunningProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

const spawned = new Set<ChildProcess>();
/** The API's store (audit rows): a file of this test's, never the checkout's `.data/store.sqlite`. */
const storeDir = mkdtempSync(path.join(tmpdir(), 'api-main-store-'));
process.once('exit', () => rmSync(storeDir, { recursive: true, force: true }));

/** Runs main.ts with exactly `env` (plus PATH and HOME): nothing leaks in from the test's own environment. */
function runMain(env: Record<string, string>): RunningProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'client/http/main.ts')], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...logCaptureEnv(),
      ...testEncryptionEnv,
      LIFECYCLE_STORE_URL: `sqlite:${path.join(storeDir, 'store.sqlite')}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  spawned.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      spawned.delete(child);
      resolve(code);
    }),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

/** The URL from the JSON "HR API listening" log line. */
async function listeningUrl(run: RunningProcess): Promise<string> {
  const line = await waitFor(
    () =>
      Promise.resolve(
        run
          .stdout()
          .split('\n')
          .find((text) => text.includes('HR API listening')),
      ),
    (found) => found !== undefined,
    { what: `"HR API listening" (stderr: ${run.stderr()})`, timeoutMs: 20_000 },
  );
  return (JSON.parse(line ?? '{}') as { url: string }).url;
}

describe('HR API process (client/http/main.ts)', () => {
  let env: TestWorkflowEnvironment;

  before(async () => {
    env = await startDevServerEnvironment();
  });
  after(async () => {
    for (const child of spawned) child.kill('SIGKILL');
    await env?.teardown();
  });

  it('refuses to start without LIFECYCLE_API_KEY, naming it, and exits 1', async () => {
    const run = runMain({ TEMPORAL_ADDRESS: env.address });
    assert.equal(await run.exit, 1);
    assert.match(run.stderr(), /LIFECYCLE_API_KEY is required/);
    assert.doesNotMatch(run.stdout(), /listening/);
  });

  it('refuses to start without an encryption key unless LIFECYCLE_ENCRYPTION=off, and exits 1', async () => {
    const run = runMain({
      LIFECYCLE_API_KEY: KEY,
      TEMPORAL_ADDRESS: env.address,
      LIFECYCLE_ENCRYPTION_KEY: '',
    });
    assert.equal(await run.exit, 1);
    assert.match(run.stderr(), /LIFECYCLE_ENCRYPTION_KEY is required/);
    assert.doesNotMatch(run.stdout(), /listening/);
  });

  it('names every bad variable at once, never echoing the key', async () => {
    const shortKey = 'short-secret';
    const run = runMain({
      LIFECYCLE_API_KEY: shortKey,
      LIFECYCLE_API_PORT: '80000',
      LIFECYCLE_API_DEV_MODE: 'perhaps',
      TEMPORAL_ADDRESS: 'no-port',
      OFFBOARDING_RETENTION_DAYS: 'thirty',
    });
    assert.equal(await run.exit, 1);
    for (const variable of [
      'LIFECYCLE_API_KEY',
      'LIFECYCLE_API_PORT',
      'LIFECYCLE_API_DEV_MODE',
      'TEMPORAL_ADDRESS',
      'OFFBOARDING_RETENTION_DAYS',
    ]) {
      assert.match(run.stderr(), new RegExp(`${variable} `), variable);
    }
    assert.ok(!run.stderr().includes(shortKey) && !run.stdout().includes(shortKey));
  });

  it('serves with a key, logs without it, and stops gracefully on SIGTERM (exit 0)', async () => {
    const run = runMain({
      LIFECYCLE_API_KEY: KEY,
      LIFECYCLE_API_PORT: '0',
      TEMPORAL_ADDRESS: env.address,
      LOG_FORMAT: 'json',
      IMPORT_MAX_FILE_MB: '7',
    });
    const url = await listeningUrl(run);
    const health = await fetch(`${url}/health`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { temporal: { reachable: boolean } }).temporal.reachable, true);
    assert.equal((await fetch(`${url}/v1/runs`)).status, 401);
    const runs = await fetch(`${url}/v1/runs`, { headers: { authorization: `Bearer ${KEY}` } });
    assert.equal(runs.status, 200);
    const rejected = await fetch(`${url}/v1/onboardings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ externalID: KEY }),
    });
    assert.equal(rejected.status, 400);
    // Standalone too, the console links runs to the Temporal UI (here: the local dev server's), and
    // knows the process's IMPORT_MAX_FILE_MB.
    const consoleConfig = (await (await fetch(`${url}/console/config.json`)).json()) as Record<
      string,
      unknown
    >;
    assert.deepEqual(consoleConfig, {
      temporalUiUrl: 'http://127.0.0.1:8233',
      namespace: 'default',
      importMaxFileMb: 7,
    });

    run.child.kill('SIGTERM');
    assert.equal(await run.exit, 0);
    const output = run.stdout() + run.stderr();
    assert.match(output, /"status":401/);
    assert.match(output, /HR API stopped/);
    assert.ok(!output.includes(KEY), 'the key appears in no log line');
    assert.ok(!output.includes(testEncryptionKey), 'the encryption key appears in no log line');
    assert.doesNotMatch(output, /authorization/i);
  });

  it('runs without a key in dev mode on a loopback host, warning loudly', async () => {
    const run = runMain({
      LIFECYCLE_API_DEV_MODE: 'true',
      LIFECYCLE_API_PORT: '0',
      TEMPORAL_ADDRESS: env.address,
      LOG_FORMAT: 'json',
    });
    const url = await listeningUrl(run);
    assert.match(run.stderr(), /DEV MODE: the HR API runs WITHOUT an API key/);
    assert.equal((await fetch(`${url}/v1/runs`)).status, 200);
    run.child.kill('SIGINT');
    assert.equal(await run.exit, 0);
  });

  it('exits 1 when Temporal cannot be reached', async () => {
    const run = runMain({ LIFECYCLE_API_KEY: KEY, LIFECYCLE_API_PORT: '0', TEMPORAL_ADDRESS: '127.0.0.1:1' });
    assert.equal(await run.exit, 1);
    assert.match(run.stdout() + run.stderr(), /Cannot reach Temporal/);
  });
});

describe('HR API configuration', () => {
  const base = { LIFECYCLE_API_KEY: KEY, ...testEncryptionEnv };
  const withKey = (env: NodeJS.ProcessEnv) => httpApiConfigFromEnv({ ...testEncryptionEnv, ...env });

  it('reads its defaults and keeps the key out of JSON, logs and spreads', () => {
    const config = httpApiConfigFromEnv(base);
    assert.equal(config.apiKey, KEY);
    assert.equal(config.port, 8080);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.devMode, false);
    assert.equal(config.bodyLimit, 64 * 1024);
    assert.equal(config.temporal.address, '127.0.0.1:7233');
    assert.equal(config.policies.offboarding.retentionDays, 30);
    assert.ok(!JSON.stringify(config).includes(KEY));
    assert.ok(!JSON.stringify({ ...config }).includes(KEY));
  });

  it('allows dev mode without a key on loopback only', () => {
    assert.equal(withKey({ LIFECYCLE_API_DEV_MODE: 'true' }).apiKey, undefined);
    assert.equal(withKey({ LIFECYCLE_API_DEV_MODE: 'yes', LIFECYCLE_API_HOST: 'localhost' }).devMode, true);
    assert.throws(
      () => withKey({ LIFECYCLE_API_DEV_MODE: 'true', LIFECYCLE_API_HOST: '0.0.0.0' }),
      (error: unknown) => error instanceof ConfigError && error.variables.includes('LIFECYCLE_API_KEY'),
    );
    assert.throws(
      () => withKey({ LIFECYCLE_API_DEV_MODE: 'false' }),
      (error: unknown) => error instanceof ConfigError && error.variables.join() === 'LIFECYCLE_API_KEY',
    );
  });

  it('lists every variable it reads, and its secrets', () => {
    for (const name of [
      'LIFECYCLE_API_KEY',
      'LIFECYCLE_API_PORT',
      'LIFECYCLE_API_HOST',
      'LIFECYCLE_API_DEV_MODE',
      'TEMPORAL_ADDRESS',
      'TEMPORAL_API_KEY',
      'OFFBOARDING_RETENTION_DAYS',
      'LOG_LEVEL',
      'STAFFBASE_WEBHOOK_SECRET',
      'STAFFBASE_EVENTS_PORT',
    ]) {
      assert.ok((HTTP_API_ENV_VARS as readonly string[]).includes(name), name);
    }
    assert.deepEqual(
      [...HTTP_API_SECRET_ENV_VARS],
      [
        'LIFECYCLE_API_KEY',
        'LIFECYCLE_ADMIN_API_KEY',
        'TEMPORAL_API_KEY',
        'TEMPORAL_TLS_CLIENT_KEY_DATA',
        'LIFECYCLE_ENCRYPTION_KEY',
        'LIFECYCLE_ENCRYPTION_OLD_KEYS',
        'STAFFBASE_WEBHOOK_SECRET',
        'LIFECYCLE_STORE_URL',
      ],
    );
  });

  it('links the console to the Temporal UI: LIFECYCLE_TEMPORAL_UI_URL, else the codec origin, else the local dev UI', () => {
    assert.equal(httpApiConfigFromEnv(base).temporalUiUrl, 'http://127.0.0.1:8233');
    assert.equal(
      httpApiConfigFromEnv({ ...base, LIFECYCLE_TEMPORAL_UI_URL: 'https://temporal.example.com/ui/' })
        .temporalUiUrl,
      'https://temporal.example.com/ui',
    );
    assert.equal(
      httpApiConfigFromEnv({ ...base, LIFECYCLE_CODEC_CORS_ORIGIN: 'http://10.0.0.5:8080' }).temporalUiUrl,
      'http://10.0.0.5:8080',
    );
    // A cluster elsewhere, with no UI named: no link rather than a wrong one.
    assert.equal(
      httpApiConfigFromEnv({ ...base, TEMPORAL_ADDRESS: 'temporal.internal:7233' }).temporalUiUrl,
      undefined,
    );
    assert.throws(
      () => httpApiConfigFromEnv({ ...base, LIFECYCLE_TEMPORAL_UI_URL: 'ftp://x' }),
      (error: unknown) =>
        error instanceof ConfigError && error.variables.join() === 'LIFECYCLE_TEMPORAL_UI_URL',
    );
  });

  it('takes a support key that differs from the HR systems’ key, and the UI origin for the codec', () => {
    const admin = `admin-${KEY}`;
    const config = httpApiConfigFromEnv({
      ...base,
      LIFECYCLE_ADMIN_API_KEY: admin,
      LIFECYCLE_CODEC_CORS_ORIGIN: 'http://127.0.0.1:8233/',
      // The bulk thresholds are the worker's: the HR API neither reads nor checks them.
      LOGOUT_CONFIRM_ABOVE: 'not-a-number',
      CLEANUP_CONFIRM_ABOVE: '-1',
      BULK_MAX_FAILURES: 'many',
    });
    assert.equal(config.adminApiKey, admin);
    assert.ok(!JSON.stringify(config).includes(admin));
    assert.equal(config.codecCorsOrigin, 'http://127.0.0.1:8233');
    for (const name of ['LOGOUT_CONFIRM_ABOVE', 'CLEANUP_CONFIRM_ABOVE', 'BULK_MAX_FAILURES']) {
      assert.ok(!(HTTP_API_ENV_VARS as readonly string[]).includes(name), `the HR API must not read ${name}`);
      assert.ok(!JSON.stringify(config).includes(name), name);
    }
    for (const [env, variable] of [
      [{ ...base, LIFECYCLE_ADMIN_API_KEY: KEY }, 'LIFECYCLE_ADMIN_API_KEY'],
      [{ ...testEncryptionEnv, LIFECYCLE_ADMIN_API_KEY: admin }, 'LIFECYCLE_API_KEY'],
      [{ ...base, LIFECYCLE_CODEC_CORS_ORIGIN: 'http://127.0.0.1:8233/ui' }, 'LIFECYCLE_CODEC_CORS_ORIGIN'],
    ] as const) {
      assert.throws(
        () => httpApiConfigFromEnv(env),
        (error: unknown) => error instanceof ConfigError && error.variables.join() === variable,
        variable,
      );
    }
  });
});
