import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { runCli } from '../../../client/cli/main';
import { testEncryptionEnv } from '../../helpers/encryption';

const root = path.resolve(__dirname, '..', '..', '..');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  /** Temporal address (TEMPORAL_ADDRESS); the CLI's default otherwise. */
  address?: string;
  /** Written to the CLI's stdin, then closed. */
  stdin?: string;
  env?: Record<string, string>;
}

/**
 * The store the CLI writes its audit rows to: one SQLite file per test process, never the checkout's
 * `.data/store.sqlite` (a test sets LIFECYCLE_STORE_URL itself to read the rows).
 */
export const cliTestStoreFile = path.join(tmpdir(), `cli-test-store-${process.pid}.sqlite`);
process.once('exit', () => {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${cliTestStoreFile}${suffix}`, { force: true });
});

/**
 * The environment without any Temporal setting (variables, default config file) or policy setting of
 * the machine running the tests, with the test encryption key the test workers use (the CLI reads and
 * writes the same encrypted payloads).
 */
function cleanEnv(options: CliRunOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(TEMPORAL_|ONBOARDING_|OFFBOARDING_|LIFECYCLE_)/.test(key)) env[key] = value;
  }
  return {
    ...env,
    // Nor the machine's default Temporal config file (~/.config/temporalio/temporal.toml): no file there.
    XDG_CONFIG_HOME: path.join(root, 'test', 'fixtures', 'no-temporal-config'),
    ...testEncryptionEnv,
    LIFECYCLE_STORE_URL: `sqlite:${cliTestStoreFile}`,
    ...(options.address && { TEMPORAL_ADDRESS: options.address }),
    ...options.env,
  };
}

/**
 * Runs `staffbase-lifecycle <args>` as a user would: a child process (`node --import tsx
 * client/cli/main.ts`). Asynchronous on purpose: tests run workers in this process meanwhile.
 */
export function cli(args: string[], options: CliRunOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'client/cli/main.ts', ...args], {
      cwd: root,
      env: cleanEnv(options),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

/** Parses the --json output of a run, failing with the whole output when it is not JSON. */
export function jsonOf<T = Record<string, unknown>>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${run.code}):\n${run.stdout}\n--- stderr ---\n${run.stderr}`);
  }
}

/** Runs the CLI in this process (no Temporal needed: help, usage and validation errors). */
export async function cliInProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        append(chunk.toString('utf8'));
        done();
      },
    });
  const stdin = new PassThrough();
  stdin.end();
  const code = await runCli(args, {
    stdout: sink((text) => (stdout += text)),
    stderr: sink((text) => (stderr += text)),
    stdin,
    env: { ...testEncryptionEnv, LIFECYCLE_STORE_URL: `sqlite:${cliTestStoreFile}`, ...env },
  });
  return { code, stdout, stderr };
}
