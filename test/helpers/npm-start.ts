/**
 * `npm start` as a child process for end-to-end tests (the browser tests of the HR console): the
 * whole stack in its own process group, on free ports, with a temporary data folder and only the
 * variables given. `stop()` sends Ctrl-C to the group and waits; `kill()` is the last resort in `after`.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitFor } from './waiting';
import { logCaptureEnv } from '../../config/log-capture';

const root = path.resolve(__dirname, '..', '..');

export interface NpmStart {
  child: ChildProcess;
  output(): string;
  dataDir: string;
  /** The stack's store (LIFECYCLE_STORE_URL=sqlite:<this>, unless the test set its own). */
  storeFile: string;
  apiUrl: string;
  simulatorUrl: string;
  uiUrl: string;
  /** Ctrl-C to the whole group; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL to npm start's group and the dev server's; removes the data folder. */
  kill(): void;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address && typeof address === 'object');
  return address.port;
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Starts tooling/start.ts and waits for its banner (fails with its output if it exits first). */
export async function startNpmStart(env: Record<string, string> = {}): Promise<NpmStart> {
  const [temporalPort, uiPort, simulatorPort, apiPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'npm-start-'));
  const envFile = path.join(dataDir, 'empty.env'); // a developer's own .env must not leak in
  const storeFile = path.join(dataDir, 'store.sqlite');
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
      TEMPORAL_DEV_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      SIMULATOR_PORT: String(simulatorPort),
      LIFECYCLE_API_PORT: String(apiPort),
      // The stack's own store in its data folder, never the checkout's .data/store.sqlite.
      LIFECYCLE_STORE_URL: `sqlite:${storeFile}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  assert.ok(child.pid);
  const pgid = child.pid;
  const groups = new Set([pgid]);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const started: NpmStart = {
    child,
    output: () => output,
    dataDir,
    storeFile,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    simulatorUrl: `http://127.0.0.1:${simulatorPort}`,
    uiUrl: `http://127.0.0.1:${uiPort}`,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      process.kill(-pgid, 'SIGINT');
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 20_000));
      const result = await Promise.race([exited, timeout]);
      return result === 'timeout' ? null : result;
    },
    kill() {
      for (const group of groups) killGroup(group);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await waitFor(
      () => Promise.resolve(output),
      (text) => text.includes('staffbase-lifecycle is running') || child.exitCode !== null,
      { timeoutMs: 90_000, intervalMs: 200, what: 'the npm start banner' },
    );
    assert.equal(child.exitCode, null, `npm start exited early:\n${output}`);
    const devServerPid = Number(/Temporal dev server ready .*pid=(\d+)/.exec(output)?.[1]);
    if (devServerPid > 0) groups.add(devServerPid); // it leads its own group
  } catch (error) {
    started.kill();
    throw error;
  }
  return started;
}
