/**
 * The parked benchmark's stack, each part where production has it: the Temporal dev server as
 * `npm start` runs it (SQLite file, priority-lane settings), and the real worker process
 * (worker/main.ts with a pre-built workflow bundle, as the container runs it, and the production
 * memory defaults), so their resident memory can be sampled on their own. The worker is compiled to
 * plain JavaScript first (esbuild, which tsx brings along), as the image runs `node dist/...`: under
 * tsx its RSS would include the TypeScript loader. It gets the image's process settings
 * (config/worker-process.ts). The simulator runs in this process, without a
 * rate limit: the benchmark is about memory and timers, not the tenant.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { WORKER_PROCESS_ENV } from '../config/worker-process';
import { type SimulatorControl } from '../simulator/control-client';
import { type RunningSimulator } from '../simulator/server';
import { testDataConverter, testEncryptionEnv } from '../test/helpers/encryption';
import { startTestSimulator } from '../test/helpers/simulator';
import { type RunningDevServer, startDevServer } from '../tooling/dev-server';
import { resolveTemporalBinary } from '../tooling/temporal-binaries';
import { build } from 'esbuild';
import { bundleWorkflows } from '../worker/bundle-workflows';

export interface ProcessStack {
  client: Client;
  devServer: RunningDevServer;
  worker: ChildProcess & { pid: number };
  simulator: RunningSimulator;
  control: SimulatorControl;
  close(): Promise<void>;
}

const quiet = (): void => undefined;
const quietBundler = {
  log: quiet,
  trace: quiet,
  debug: quiet,
  info: quiet,
  warn: quiet,
  error: console.error,
};

/**
 * worker/main.ts and what it imports, file by file (require.resolve of sibling files keeps working),
 * into dist/bench/ (git-ignored, inside the project, so node_modules resolve as in the image).
 */
async function compileWorker(): Promise<string> {
  const root = path.resolve(__dirname, '..');
  const outdir = path.join(root, 'dist', 'bench');
  const dirs = ['worker', 'workflows', 'activities', 'staffbase', 'lifecycle', 'config'];
  const sources = dirs
    .filter((dir) => existsSync(path.join(root, dir)))
    .flatMap((dir) =>
      readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
        .map((file) => path.join(root, dir, file)),
    );
  rmSync(outdir, { recursive: true, force: true }); // no stale module from an earlier layout
  await build({
    entryPoints: sources,
    outdir,
    outbase: root,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
  });
  // Imported for the User-Agent's version; tsc copies it into its outDir the same way.
  copyFileSync(path.join(root, 'package.json'), path.join(outdir, 'package.json'));
  return path.join(outdir, 'worker', 'main.js');
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address !== 'object') throw new Error('no free port');
  return address.port;
}

/** BENCH_SQLITE_PRAGMAS=journal_mode=wal,synchronous=off: a faster dev server for long parked runs. */
function sqlitePragmaArgs(pragmas: string | undefined): string[] {
  return (pragmas ?? '')
    .split(',')
    .filter(Boolean)
    .flatMap((pragma) => ['--sqlite-pragma', pragma]);
}

/** The worker's code, built once for several stacks: the compiled worker and the workflow bundle. */
export interface WorkerCode {
  workerScript: string;
  bundlePath: string;
}

export async function buildWorkerCode(dir: string): Promise<WorkerCode> {
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  await bundleWorkflows(bundlePath, { logger: quietBundler });
  return { workerScript: await compileWorker(), bundlePath };
}

export interface ProcessStackOptions {
  /** The worker's STAFFBASE_REQUESTS_PER_SECOND. */
  requestsPerSecond: number;
  code: WorkerCode;
  /** Node flags before the worker's script (e.g. --cpu-prof). */
  workerNodeArgs?: string[];
}

/** `dir` holds the dev server's SQLite file (one stack per directory). */
export async function startProcessStack(dir: string, options: ProcessStackOptions): Promise<ProcessStack> {
  const { requestsPerSecond, code } = options;
  const { bundlePath, workerScript } = code;
  const [port, uiPort, httpPort] = [await freePort(), await freePort(), await freePort()];
  const [devServer, sim] = await Promise.all([
    startDevServer({
      binary: resolveTemporalBinary('cli'),
      dbFile: path.join(dir, 'temporal.sqlite'),
      port,
      uiPort,
      extraArgs: [
        // Chosen here with the others: the server's own random pick once took a port meant for one of them.
        '--http-port',
        String(httpPort),
        ...sqlitePragmaArgs(process.env.BENCH_SQLITE_PRAGMAS),
      ],
    }),
    startTestSimulator(),
  ]);
  const connection = await Connection.connect({ address: devServer.address });
  const client = new Client({ connection, dataConverter: testDataConverter });

  const worker = spawn(process.execPath, [...(options.workerNodeArgs ?? []), workerScript], {
    env: {
      // WORKER_MAX_* and other settings set by the caller pass through; the defaults apply otherwise.
      ...process.env,
      // The image's process settings (MALLOC_ARENA_MAX, NODE_OPTIONS), whatever this shell has.
      ...WORKER_PROCESS_ENV,
      // As the Dockerfile sets it (JSON logs; libraries' production paths).
      NODE_ENV: 'production',
      ...testEncryptionEnv,
      TEMPORAL_ADDRESS: devServer.address,
      STAFFBASE_BASE_URL: sim.simulator.apiUrl,
      STAFFBASE_API_TOKEN: sim.token,
      STAFFBASE_REQUESTS_PER_SECOND: String(requestsPerSecond),
      WORKFLOW_BUNDLE_PATH: bundlePath,
      CLEANUP_SCHEDULE_ENABLED: 'false',
      // The parked bench deletes minutes after the deactivation: no one-day floor.
      OFFBOARDING_MIN_RETENTION_DAYS: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (worker.pid === undefined) throw new Error('the worker process did not start');
  const workerExited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));

  return {
    client,
    devServer,
    worker: worker as ChildProcess & { pid: number },
    ...sim,
    async close() {
      worker.kill('SIGTERM');
      await Promise.race([workerExited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (worker.exitCode === null) worker.kill('SIGKILL');
      await connection.close().catch(() => undefined);
      await sim.simulator.close();
      await devServer.stop();
    },
  };
}
