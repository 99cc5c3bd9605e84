import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { waitFor } from '../helpers/waiting';
import { logCaptureEnv } from '../../config/log-capture';

const root = path.resolve(__dirname, '..', '..');

/**
 * worker/main.ts as a child process that a test can crash: SIGKILL ends it with activities in
 * flight (no graceful stop, nothing handed back), as a machine failure or an OOM kill would.
 */
export class WorkerChild {
  #child: ChildProcess | undefined;
  #output = '';
  kills = 0;

  constructor(private readonly env: Record<string, string>) {}

  /** Starts the worker and waits until it polls. */
  async start(): Promise<void> {
    this.#output = '';
    const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...logCaptureEnv(), ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    // Only the tail is kept: a worker under load logs a lot, the start line and the last errors matter.
    const keep = (chunk: Buffer) => (this.#output = (this.#output + chunk.toString()).slice(-50_000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    await waitFor(
      () => Promise.resolve(this.#output),
      (output) => output.includes('Worker started') || child.exitCode !== null,
      { timeoutMs: 60_000, what: 'the worker process to start' },
    );
    if (child.exitCode !== null) throw new Error(`the worker exited at start:\n${this.#output}`);
  }

  /** A crash: SIGKILL, and wait until the process is gone. */
  async crash(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.kills += 1;
  }

  output(): string {
    return this.#output;
  }

  async stop(): Promise<void> {
    await this.crash();
  }
}
