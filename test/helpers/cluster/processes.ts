/**
 * Child processes of the cluster test (PostgreSQL, the Temporal server, workers, the HR API, the
 * simulator): output kept in memory for failure messages, readiness by output line or probe, and a
 * stop that escalates from a polite signal to SIGKILL. Children stay in the test's process group, so
 * the test runner finds and kills any a crashed test leaves behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

const KEPT_OUTPUT_CHARS = 64_000;

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /** Resolves with the exit code (null after a signal) once the process has exited. */
  readonly exited: Promise<number | null>;
  /** The last output (stdout and stderr interleaved), for failure messages. */
  output(): string;
  /** Waits until the output matches `pattern`; fails early when the process exits first. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** Sends `signal`, then SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export interface StartOptions {
  cwd?: string;
  /** The complete environment (nothing is inherited unless the caller spreads process.env). */
  env: NodeJS.ProcessEnv;
}

export function startProcess(
  name: string,
  command: string,
  args: readonly string[],
  options: StartOptions,
): ManagedProcess {
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-KEPT_OUTPUT_CHARS);
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      exitCode = code;
      for (const listener of listeners) listener();
      resolve(code);
    });
    child.on('error', (error) => {
      output += `\n[spawn error] ${error.message}`;
      exitCode = -1;
      resolve(-1);
    });
  });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
  const pid = child.pid;

  return {
    name,
    pid,
    exited,
    output: () => output,
    waitForOutput(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`${name}: no output matching ${pattern} within ${timeoutMs} ms\n${tail(output)}`));
        }, timeoutMs);
        const check = (): void => {
          if (pattern.test(output)) {
            finish();
            resolve();
          } else if (exitCode !== undefined) {
            finish();
            reject(new Error(`${name} exited (${exitCode}) before printing ${pattern}\n${tail(output)}`));
          }
        };
        const finish = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    async stop(signal = 'SIGTERM', graceMs = 15_000) {
      if (exitCode !== undefined) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The last lines of an output, for error messages that stay readable. */
export function tail(output: string, lines = 40): string {
  return output.split('\n').slice(-lines).join('\n');
}

function tryListen(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.on('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * A port that was free a moment ago. `below`: Temporal stores membership ports as SQL smallint, so
 * those must stay under 32768, where the OS never picks one: then a random one is tried instead.
 */
export async function freePort(below?: number): Promise<number> {
  if (below === undefined) {
    const port = await tryListen(0);
    if (port !== undefined) return port;
  }
  const low = 20_000;
  const high = Math.min(below ?? 32_768, 32_768);
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = low + Math.floor(Math.random() * (high - low));
    if ((await tryListen(port)) !== undefined) return port;
  }
  throw new Error(`no free port between ${low} and ${high}`);
}
