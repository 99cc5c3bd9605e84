/**
 * The Temporal dev server of `npm start`: `temporal server start-dev` with its state in a SQLite file
 * (a restart resumes every open run), the Web UI, and the project's search attributes. Registering
 * attributes that already exist in that file is fine: the CLI skips them on the second start.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { priorityServerSettings } from '../lifecycle/priority-lanes';
import { devServerSearchAttributeArgs } from '../lifecycle/search-attributes';
import { childProcessEnv } from './child-env';

export interface DevServerOptions {
  /** The `temporal` CLI (resolveTemporalBinary('cli')). */
  binary: string;
  dbFile: string;
  /** Frontend port (gRPC) on 127.0.0.1. */
  port: number;
  uiPort: number;
  /** The HR API's codec endpoint (`http://127.0.0.1:8080/codec`): the UI shows decrypted payloads. */
  uiCodecEndpoint?: string;
  /** The process whose end stops the server (default: this one). */
  parentPid?: number;
  /** How long to wait for the frontend to answer; default 60 s. */
  readyTimeoutMs?: number;
  /** More `temporal server start-dev` arguments (the parked benchmark's SQLite settings). */
  extraArgs?: string[];
  /** Lines the server writes (warnings and errors only: it runs at --log-level warn). */
  onOutput?: (line: string) => void;
  /** The environment the server's allow-listed variables come from (tooling/child-env.ts); default this process's. */
  parentEnv?: NodeJS.ProcessEnv;
}

export interface RunningDevServer {
  /** host:port for TEMPORAL_ADDRESS. */
  address: string;
  uiUrl: string;
  pid: number;
  /** Resolves when the process has exited (asked to or not). */
  exited: Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs` (default 10 s); resolves when the process is gone. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
  /** Kills at once without waiting: for `process.on('exit')`, where nothing async runs any more. */
  killNow(): void;
}

/**
 * `sh -c <this> name <parent pid> <binary> <args…>`: polls the parent every second; once it is gone,
 * SIGTERM to the server (SIGKILL 10 s later if still there). `$$` is the shell's pid, which `exec`
 * hands to the server.
 */
const watchdogScript =
  'parent=$1; shift; ' +
  '( trap "" INT; while kill -0 "$parent" 2>/dev/null; do sleep 1; done; ' +
  'kill -TERM $$ 2>/dev/null && { n=0; while kill -0 $$ 2>/dev/null && [ $n -lt 10 ]; do sleep 1; n=$((n+1)); done; ' +
  'kill -KILL $$ 2>/dev/null; } ) </dev/null >/dev/null 2>&1 & ' +
  'exec "$@"';

export function devServerArgs(
  options: Pick<DevServerOptions, 'dbFile' | 'port' | 'uiPort' | 'uiCodecEndpoint' | 'extraArgs'>,
): string[] {
  return [
    'server',
    'start-dev',
    '--db-filename',
    options.dbFile,
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--ui-port',
    String(options.uiPort),
    '--log-level',
    'warn',
    ...(options.uiCodecEndpoint ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : []),
    ...(options.extraArgs ?? []),
    ...devServerSearchAttributeArgs(),
    ...priorityLaneArgs(),
  ];
}

/** `--dynamic-config-value` for each server setting the priority lanes need (lifecycle/priority-lanes.ts). */
export function priorityLaneArgs(): string[] {
  return Object.entries(priorityServerSettings).flatMap(([key, value]) => [
    '--dynamic-config-value',
    `${key}=${JSON.stringify(value)}`,
  ]);
}

/** Starts the dev server and resolves once it accepts Temporal connections; rejects (and kills it) otherwise. */
export async function startDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  // Own process group: a Ctrl-C in the terminal reaches `npm start` only, which stops the worker
  // first and the server last, instead of the server dying under the worker. A watchdog (a shell
  // loop, which then `exec`s the server, so child.pid is the server's) stops the server when this
  // process is gone however it went, even SIGKILL: no orphan keeps the ports and the SQLite file.
  const child = spawn(
    '/bin/sh',
    [
      '-c',
      watchdogScript,
      'temporal-dev-server',
      String(options.parentPid ?? process.pid),
      options.binary,
      ...devServerArgs(options),
    ],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Never the whole environment: it holds the Staffbase token and the encryption key.
      env: childProcessEnv(options.parentEnv ?? process.env),
    },
  );
  const recent: string[] = [];
  const onChunk = (chunk: Buffer): void => {
    for (const line of chunk.toString().split('\n')) {
      if (line.trim() === '') continue;
      recent.push(line);
      if (recent.length > 20) recent.shift();
      options.onOutput?.(line);
    }
  };
  child.stdout?.on('data', onChunk);
  child.stderr?.on('data', onChunk);

  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const spawnFailed = new Promise<Error>((resolve) => child.once('error', resolve));

  const address = `127.0.0.1:${options.port}`;
  const server: RunningDevServer = {
    address,
    uiUrl: `http://127.0.0.1:${options.uiPort}`,
    pid: child.pid ?? -1,
    exited,
    stop: stopper(child, exited),
    killNow() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };

  try {
    await Promise.race([
      waitUntilReady(address, options.readyTimeoutMs ?? 60_000),
      exited.then(() => {
        throw new Error(
          `The Temporal dev server exited during start-up (is port ${options.port} or ${options.uiPort} taken?):\n` +
            recent.join('\n'),
        );
      }),
      spawnFailed.then((error) => {
        throw new Error(`Could not start ${options.binary}: ${error.message}`);
      }),
    ]);
  } catch (error) {
    await server.stop(2_000);
    throw error;
  }
  return server;
}

function stopper(child: ChildProcess, exited: Promise<void>): (graceMs?: number) => Promise<void> {
  let stopping: Promise<void> | undefined;
  return (graceMs = 10_000) => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), graceMs);
      });
      const tooSlow = await Promise.race([exited.then(() => false), timedOut]);
      clearTimeout(timer);
      if (tooSlow) {
        child.kill('SIGKILL');
        await exited;
      }
    })();
    return stopping;
  };
}

/** The frontend answers a real RPC (not just an open port): the server is ready for clients and workers. */
async function waitUntilReady(address: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: 1_000 });
      await connection.workflowService.getSystemInfo({});
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    } finally {
      await connection?.close().catch(() => undefined);
    }
  }
  throw new Error(
    `The Temporal dev server did not answer on ${address} within ${timeoutMs} ms: ${String(lastError)}`,
  );
}
