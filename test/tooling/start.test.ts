/**
 * `npm start` end to end, as a newcomer runs it: the whole stack as one child process (its own
 * process group, free ports, a temporary data folder), an onboarding through the HR API that the
 * real status check sees activated in the simulator, an offboarding whose retention ends seconds
 * later, then Ctrl-C: exit 0 and no process left behind. And a bad configuration: exit 1 naming every
 * bad variable, nothing started.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { staffbaseQueueRate } from '../../tooling/staffbase-queue-rate';
import { resolveTemporalBinary } from '../../tooling/temporal-binaries';
import { newHire } from '../helpers/people';
import { waitFor } from '../helpers/waiting';
import { logCaptureEnv } from '../../config/log-capture';

const root = path.resolve(__dirname, '..', '..');

interface StartChild {
  child: ChildProcess;
  /** The process group: the child leads it (`detached: true`). */
  pgid: number;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  dataDir: string;
}

/** Process groups to kill in `after`, whatever happened: npm start's own and the dev server's. */
const groups = new Set<number>();
const dataDirs: string[] = [];

function groupMembers(pgid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '-g', String(pgid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((pid) => pid > 0);
  } catch {
    return []; // ps exits 1 when no process matches
  }
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}

after(() => {
  for (const pgid of groups) killGroup(pgid);
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address && typeof address === 'object');
  return address.port;
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** tooling/start.ts with ONLY the given variables (plus PATH, HOME, and where the Temporal CLI is). */
function spawnStart(env: Record<string, string>): StartChild {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'npm-start-'));
  dataDirs.push(dataDir);
  const envFile = path.join(dataDir, 'empty.env'); // a developer's own .env must not leak in
  writeFileSync(envFile, '');
  const child = spawn(process.execPath, ['--import', 'tsx', 'tooling/start.ts'], {
    cwd: root,
    detached: true,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...logCaptureEnv(),
      ...(process.env.TEMPORAL_CLI_PATH && { TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH }),
      DATA_DIR: dataDir,
      ENV_FILE: envFile,
      // The stack's store in its own data folder, never the checkout's `.data/store.sqlite`.
      LIFECYCLE_STORE_URL: `sqlite:${path.join(dataDir, 'store.sqlite')}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  assert.ok(child.pid);
  groups.add(child.pid);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  return { child, pgid: child.pid, output: () => output, exited, dataDir };
}

async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

interface PersonState {
  onboarding?: { runStatus: string; outcome?: { result: string; activatedVia?: string } };
  offboarding?: { runStatus: string; outcome?: { result: string } };
}

/**
 * Every wait of the end-to-end test draws from one budget that ends well before the test's own
 * timeout: a slow step fails naming itself (e.g. "the onboarding to complete"), never the test as a
 * whole, however the steps share the time. Each step also has its own cap.
 */
const endToEndTimeoutMs = 240_000;
const endToEndBudgetMs = endToEndTimeoutMs - 20_000; // left for the after hooks to kill and clean up

function waitBudget(totalMs: number): (capMs: number) => number {
  const deadline = Date.now() + totalMs;
  return (capMs) => Math.max(1, Math.min(capMs, deadline - Date.now()));
}

describe('npm start (tooling/start.ts)', () => {
  it(
    'runs the stack: onboarding → activation → offboarding → deletion; Ctrl-C stops everything, exit 0',
    { timeout: endToEndTimeoutMs },
    async () => {
      const budget = waitBudget(endToEndBudgetMs);
      const [temporalPort, uiPort, simulatorPort, apiPort] = await Promise.all([
        freePort(),
        freePort(),
        freePort(),
        freePort(),
      ]);
      const start = spawnStart({
        TEMPORAL_DEV_PORT: String(temporalPort),
        TEMPORAL_UI_PORT: String(uiPort),
        SIMULATOR_PORT: String(simulatorPort),
        LIFECYCLE_API_PORT: String(apiPort),
        // The real status-check path, once a minute instead of every six hours. The activation
        // sweep is paused: its Schedule fires on the quarter hour and would otherwise, now and then,
        // signal the activation before the run's own check sees it.
        ONBOARDING_STATUS_CHECK_INTERVAL_MINUTES: '1',
        ACTIVATION_SWEEP_INTERVAL_MINUTES: '0',
        // The leaver below is deleted three seconds after the deactivation: no one-day floor.
        OFFBOARDING_MIN_RETENTION_DAYS: '0',
        STAFFBASE_REQUESTS_PER_SECOND: '12.5',
      });

      await waitFor(
        () => Promise.resolve(start.output()),
        (output) => output.includes('staffbase-lifecycle is running') || start.child.exitCode !== null,
        { timeoutMs: budget(90_000), intervalMs: 200, what: 'the banner' },
      );
      assert.equal(start.child.exitCode, null, `npm start exited early:\n${start.output()}`);
      const devServerPid = Number(/Temporal dev server ready .*pid=(\d+)/.exec(start.output())?.[1]);
      assert.ok(devServerPid > 0, 'no dev server pid in the log');
      groups.add(devServerPid); // the dev server leads its own group

      // The Staffbase rate lives on the dev server's queue (as compose's temporal-setup sets it).
      const serverRate = await staffbaseQueueRate({
        cli: resolveTemporalBinary('cli'),
        address: `127.0.0.1:${temporalPort}`,
        namespace: 'default',
      });
      assert.equal(serverRate, 12.5);

      const api = `http://127.0.0.1:${apiPort}`;
      const simulator = `http://127.0.0.1:${simulatorPort}`;
      const output = start.output();
      assert.match(output, new RegExp(`Temporal Web UI +http://127\\.0\\.0\\.1:${uiPort}`));
      assert.match(output, new RegExp(`HR API +${api.replace(/\./g, '\\.')}`));
      assert.match(output, new RegExp(`SIMULATOR ${simulator.replace(/\./g, '\\.')}/api`));
      assert.match(output, /Staffbase: the embedded SIMULATOR/);
      assert.match(output, /_simulator\/users\/\{externalID\}\/activate/);
      assert.match(output, /curl -sS -X POST .*\/v1\/onboardings/);
      assert.match(output, /Clean-up Schedule cleanup-pending-accounts: created/);

      // Payload encryption on without any set-up: a development key generated into DATA_DIR, said so;
      // the dev server's UI is pointed at the HR API's codec endpoint, which answers the UI's origin.
      assert.match(output, /payloads are encrypted with the development key generated into/);
      const keyFile = path.join(start.dataDir, 'encryption-key');
      assert.equal(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64').length, 32);
      assert.equal(statSync(keyFile).mode & 0o777, 0o600);
      assert.ok(!output.includes(readFileSync(keyFile, 'utf8').trim()), 'the key is never printed');
      assert.match(output, /Payloads +encrypted \(key k1-[0-9a-f]{12}\)/);
      // The dev server gets an allow-list of variables (tooling/child-env.ts), not npm start's
      // environment, which holds the encryption key (here the development key it generated).
      const devServerEnv = readFileSync(`/proc/${devServerPid}/environ`, 'utf8').split('\0');
      assert.ok(
        devServerEnv.some((entry) => entry.startsWith('PATH=')),
        'the dev server has PATH',
      );
      for (const entry of devServerEnv) {
        assert.ok(
          !/^(LIFECYCLE_|STAFFBASE_|SMTP_|TEMPORAL_)/.test(entry),
          `the dev server inherited ${entry.split('=')[0]}`,
        );
      }
      assert.ok(!devServerEnv.join('\n').includes(readFileSync(keyFile, 'utf8').trim()), 'no encryption key');
      const devServerArgs = readFileSync(`/proc/${devServerPid}/cmdline`, 'utf8').split('\0');
      const codecArg = devServerArgs.indexOf('--ui-codec-endpoint');
      assert.equal(devServerArgs[codecArg + 1], `http://127.0.0.1:${apiPort}/codec`);
      const uiOrigin = `http://127.0.0.1:${uiPort}`;
      const preflight = await fetch(`http://127.0.0.1:${apiPort}/codec/decode`, {
        method: 'OPTIONS',
        headers: { origin: uiOrigin, 'access-control-request-method': 'POST' },
      });
      assert.equal(preflight.headers.get('access-control-allow-origin'), uiOrigin);

      // 1. Onboarding through the HR API (dev mode: no key).
      const hire = newHire();
      const id = hire.externalID;
      const started = await fetch(`${api}/v1/onboardings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(hire),
      });
      assert.equal(started.status, 202, JSON.stringify(await json(started.clone())));

      // 2. The account appears in the simulator; the new hire accepts the invitation there.
      await waitFor(
        async () => (await fetch(`${simulator}/_simulator/users/${encodeURIComponent(id)}`)).status,
        (status) => status === 200,
        { timeoutMs: budget(20_000), intervalMs: 200, what: 'the Staffbase account' },
      );
      const activated = await fetch(`${simulator}/_simulator/users/${encodeURIComponent(id)}/activate`, {
        method: 'POST',
      });
      assert.equal(activated.status < 300, true);

      // 3. The run's own status check (every minute here) sees it and completes.
      const onboarded = await waitFor(
        async () => (await json(await fetch(`${api}/v1/people/${encodeURIComponent(id)}`))) as PersonState,
        (state) => state.onboarding?.runStatus === 'COMPLETED',
        { timeoutMs: budget(80_000), intervalMs: 500, what: 'the onboarding to complete' },
      );
      assert.equal(onboarded.onboarding?.outcome?.result, 'activated');
      assert.equal(onboarded.onboarding?.outcome?.activatedVia, 'status-check');

      // 4. Offboarding with the deletion three seconds after deactivation.
      const offboarded = await fetch(`${api}/v1/offboardings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ externalID: id, deleteAt: new Date(Date.now() + 3_000).toISOString() }),
      });
      assert.equal(offboarded.status, 202, JSON.stringify(await json(offboarded.clone())));
      const deleted = await waitFor(
        async () => (await json(await fetch(`${api}/v1/people/${encodeURIComponent(id)}`))) as PersonState,
        (state) => state.offboarding?.runStatus === 'COMPLETED',
        { timeoutMs: budget(30_000), intervalMs: 250, what: 'the offboarding to complete' },
      );
      assert.equal(deleted.offboarding?.outcome?.result, 'deleted');
      assert.equal((await fetch(`${simulator}/_simulator/users/${encodeURIComponent(id)}`)).status, 404);

      // 5. Ctrl-C (to the whole group, as a terminal sends it): everything stops, exit 0.
      process.kill(-start.pgid, 'SIGINT');
      const { code, signal } = await within(start.exited, budget(15_000), 'stopping on Ctrl-C');
      assert.equal(signal, null);
      assert.equal(code, 0, start.output().slice(-3000));
      assert.match(start.output(), /SIGINT received/);
      assert.match(start.output(), /Everything stopped/);
      assert.deepEqual(groupMembers(start.pgid), [], 'processes of npm start were left running');
      await waitFor(
        () => Promise.resolve(groupMembers(devServerPid)),
        (members) => members.length === 0,
        { timeoutMs: budget(5_000), intervalMs: 100, what: 'the dev server and its watchdog to be gone' },
      );
    },
  );

  it('refuses a bad configuration: exit 1 naming every bad variable, nothing left running', async () => {
    const start = spawnStart({
      LIFECYCLE_API_PORT: 'notaport',
      TEMPORAL_UI_PORT: '99999',
      CLEANUP_SCHEDULE_CRON: 'every morning',
      STAFFBASE_API_TOKEN: 'c2VjcmV0LXRva2VuLXZhbHVlLW5ldmVyLXByaW50ZWQ=',
    });
    const { code } = await within(start.exited, 30_000, 'exiting on a bad configuration');
    assert.equal(code, 1);
    for (const variable of [
      'LIFECYCLE_API_PORT',
      'TEMPORAL_UI_PORT',
      'CLEANUP_SCHEDULE_CRON',
      'STAFFBASE_BASE_URL',
    ]) {
      assert.match(start.output(), new RegExp(`${variable} `), `${variable} is not named`);
    }
    assert.ok(
      !start.output().includes('c2VjcmV0LXRva2VuLXZhbHVlLW5ldmVyLXByaW50ZWQ='),
      'the token was printed',
    );
    assert.doesNotMatch(start.output(), /Starting the Temporal dev server/);
    assert.deepEqual(groupMembers(start.pgid), []);
  });
});
