import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEV_TOKEN } from '../../simulator/dev-token';

const root = path.resolve(__dirname, '..', '..');
const STARTUP_TIMEOUT_MS = 30_000;

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

interface Started {
  child: ChildProcess;
  output: () => string;
}

/**
 * Starts a command in a process group of its own, so the whole tree (npm → sh → tsx → node) can be
 * stopped together; every group started here is killed in `after` even when a test failed.
 */
const groups: number[] = [];
function startProcess(command: string, args: string[], env: Record<string, string>): Started {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid) groups.push(child.pid);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function waitFor(started: Started, pattern: RegExp): Promise<RegExpMatchArray> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const match = pattern.exec(started.output());
    if (match) return match;
    if (started.child.exitCode !== null) break;
    await sleep(50);
  }
  throw new Error(`no ${String(pattern)} in the output:\n${started.output()}`);
}

function groupAlive(groupId: number): boolean {
  try {
    process.kill(-groupId, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForGroupGone(groupId: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (groupAlive(groupId) && Date.now() < deadline) await sleep(50);
  assert.equal(groupAlive(groupId), false, 'every process of the simulator ended');
}

after(async () => {
  for (const groupId of groups) {
    if (!groupAlive(groupId)) continue;
    process.kill(-groupId, 'SIGKILL');
    await waitForGroupGone(groupId);
  }
});

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const env = (values: Record<string, string>): Record<string, string> => ({
  SIMULATOR_TOKEN: '',
  SIMULATOR_DATA_FILE: '',
  SIMULATOR_RATE_LIMIT_RPS: '',
  ...values,
});

describe('npm run simulator', () => {
  it('starts on SIMULATOR_PORT, answers with SIMULATOR_TOKEN, never logs the token, stops on SIGTERM', async () => {
    const port = await freePort();
    const token = 'bWFpbi10ZXN0OnNlY3JldC12YWx1ZQ==';
    const started = startProcess(
      npm,
      ['run', 'simulator'],
      env({
        SIMULATOR_PORT: String(port),
        SIMULATOR_TOKEN: token,
        SIMULATOR_LOG_REQUESTS: '1',
      }),
    );
    const [, apiUrl] = await waitFor(started, /listening on (http:\/\/\S+\/api)/);
    assert.equal(apiUrl, `http://127.0.0.1:${port}/api`);

    const authorized = await fetch(`${apiUrl}/users`, { headers: { authorization: `Basic ${token}` } });
    assert.equal(authorized.status, 200);
    assert.deepEqual(((await authorized.json()) as { total: number }).total, 0);
    const refused = await fetch(`${apiUrl}/users`, { headers: { authorization: `Basic ${DEV_TOKEN}` } });
    assert.equal(refused.status, 401, 'the dev token is not accepted when SIMULATOR_TOKEN is set');
    // The refused request's own log line is the last one: wait for it, not for a fixed moment.
    await waitFor(started, /"statusCode":401/);
    assert.ok(!started.output().includes(token), 'the token never appears in the output');

    const pid = started.child.pid as number;
    process.kill(-pid, 'SIGTERM');
    await waitForGroupGone(pid);
  });

  it('uses the development token by default and exits 0 with a last line on SIGTERM', async () => {
    const port = await freePort();
    const started = startProcess(
      process.execPath,
      ['--import', 'tsx', 'simulator/main.ts'],
      env({
        SIMULATOR_PORT: String(port),
      }),
    );
    await waitFor(started, /listening on/);
    const response = await fetch(`http://127.0.0.1:${port}/api/users`, {
      headers: { authorization: `Basic ${DEV_TOKEN}` },
    });
    assert.equal(response.status, 200);
    assert.ok(!started.output().includes(DEV_TOKEN));
    const exited = once(started.child, 'exit');
    started.child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0);
    assert.match(started.output(), /stopped \(SIGTERM\)/);
  });

  for (const [variable, value] of [
    ['SIMULATOR_PORT', 'eighty'],
    ['SIMULATOR_PORT', '70000'],
    ['SIMULATOR_RATE_LIMIT_RPS', '-5'],
  ] as const) {
    it(`fails naming ${variable} when it is ${value}`, async () => {
      const started = startProcess(
        process.execPath,
        ['--import', 'tsx', 'simulator/main.ts'],
        env({
          SIMULATOR_PORT: '0',
          [variable]: value,
        }),
      );
      const [code] = (await once(started.child, 'exit')) as [number | null];
      assert.equal(code, 1);
      assert.match(started.output(), new RegExp(`invalid ${variable}`));
    });
  }
});
