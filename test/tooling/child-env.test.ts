/**
 * The processes `npm start` spawns get an allow-list of variables, not its environment: the Temporal
 * dev server never sees the Staffbase token, the encryption key or the API keys.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { childProcessEnv, isChildProcessEnvName } from '../../tooling/child-env';
import { type RunningDevServer, startDevServer } from '../../tooling/dev-server';
import { resolveTemporalBinary } from '../../tooling/temporal-binaries';

const secrets = {
  STAFFBASE_API_TOKEN: 'c2VudGluZWwtc3RhZmZiYXNlLXRva2Vu',
  STAFFBASE_BASE_URL: 'https://acme.staffbase.com/api',
  LIFECYCLE_ENCRYPTION_KEY: 'k1:c2VudGluZWwtZW5jcnlwdGlvbi1rZXktMzItYnl0ZXMhIQ==',
  LIFECYCLE_API_KEY: 'sentinel-hr-api-key-0123456789',
  LIFECYCLE_ADMIN_API_KEY: 'sentinel-admin-key-0123456789',
  SMTP_PASSWORD: 'sentinel-smtp-password',
  TEMPORAL_API_KEY: 'sentinel-temporal-cloud-key',
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address && typeof address === 'object');
  return address.port;
}

describe('child process environment (tooling/child-env.ts)', () => {
  it('keeps what a program needs to run (PATH, HOME, locale, time zone) and nothing of the service', () => {
    const env = childProcessEnv({
      PATH: '/usr/bin:/bin',
      HOME: '/home/hr',
      LANG: 'de_DE.UTF-8',
      LC_ALL: 'de_DE.UTF-8',
      TZ: 'Europe/Berlin',
      TMPDIR: '/tmp',
      ...secrets,
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      NODE_OPTIONS: '--require ./evil.js',
      UNSET: undefined,
    });
    assert.deepEqual(env, {
      PATH: '/usr/bin:/bin',
      HOME: '/home/hr',
      LANG: 'de_DE.UTF-8',
      LC_ALL: 'de_DE.UTF-8',
      TZ: 'Europe/Berlin',
      TMPDIR: '/tmp',
    });
  });

  it('adds what the caller sets on purpose; no service variable is allowed by name', () => {
    assert.deepEqual(childProcessEnv({ PATH: '/bin', ...secrets }, { TEMPORAL_CLI_FLAG: 'x' }), {
      PATH: '/bin',
      TEMPORAL_CLI_FLAG: 'x',
    });
    for (const name of Object.keys(secrets)) assert.equal(isChildProcessEnvName(name), false, name);
  });

  describe('the Temporal dev server npm start spawns', () => {
    let server: RunningDevServer | undefined;
    const dataDir = mkdtempSync(path.join(tmpdir(), 'child-env-'));
    after(async () => {
      await server?.stop(5_000);
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('inherits neither the Staffbase token nor the encryption key nor any key (/proc/<pid>/environ)', async () => {
      const [port, uiPort] = await Promise.all([freePort(), freePort()]);
      server = await startDevServer({
        binary: resolveTemporalBinary('cli'),
        dbFile: path.join(dataDir, 'temporal.sqlite'),
        port,
        uiPort,
        readyTimeoutMs: 90_000,
        parentEnv: { ...process.env, ...secrets },
      });
      const environ = readFileSync(`/proc/${server.pid}/environ`, 'utf8').split('\0').filter(Boolean);
      const names = environ.map((entry) => entry.slice(0, entry.indexOf('=')));
      assert.ok(names.includes('PATH'), 'PATH is passed on');
      // The watchdog shell (which execs the server) sets these itself.
      const setByTheShell = new Set(['PWD', 'OLDPWD', 'SHLVL', '_']);
      for (const name of names.filter((one) => !setByTheShell.has(one))) {
        assert.ok(isChildProcessEnvName(name), `${name} is not on the allow-list`);
      }
      const text = environ.join('\n');
      for (const [name, value] of Object.entries(secrets)) {
        assert.ok(!text.includes(value), `the dev server has the value of ${name}`);
      }
    });
  });
});
