/**
 * `npm run bench -- parked` (PARKED=n, default 20,000): n leavers offboarded and parked in retention,
 * in two modes side by side (PARKED_MODE=unpaced|paced|both, default both), each on a fresh stack
 * (process-stack.ts: the compiled worker with the image's process settings, the dev server as
 * `npm start` runs it, the simulator without a rate limit):
 *
 * - unpaced: all n started by ONE import of a CSV through the real CLI (`staffbase-lifecycle import
 *   <file> --kind offboarding`), as HR starts a site closure; parked with the policy's retention
 *   (30 days), so no deletions. PARKED_RUNS times (default 3), with the spread printed.
 * - paced: the runs started by this benchmark at most PARKED_IN_FLIGHT (50) ahead of the parked ones,
 *   each with an explicit deleteAt: the first after PARKED_LEAD_MINUTES (long enough for all n to be
 *   parked first), then PARKED_DELETIONS_PER_SECOND apart; every deletion checked against its deleteAt.
 *
 * For each run: parking rate (leavers parked per second, first start to last parked), Staffbase
 * requests per leaver in that window (the simulator's call count), worker peak RSS while parking and
 * quiet RSS once all are parked, and CPU seconds per 1,000 offboardings of the worker, the dev server
 * and the CLI. PARKED_RATE (default 200) is the worker's STAFFBASE_REQUESTS_PER_SECOND.
 * BENCH_CPU_PROFILE=1: the worker runs with --cpu-prof, summarised at the end (cpu-profile.ts).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Client } from '@temporalio/client';
import { startOffboarding } from '../client/lifecycle-runs';
import { defaultOffboardingPolicy } from '../lifecycle/offboarding-request';
import { type SimulatorControl } from '../simulator/control-client';
import { testEncryptionEnv } from '../test/helpers/encryption';
import { summariseCpuProfiles } from './cpu-profile';
import { exitedChildrenCpuSeconds } from './cpu';
import { type ProcessStack, type WorkerCode, buildWorkerCode, startProcessStack } from './process-stack';
import { report } from './parked-report';
import { type ParkingFigures, ParkingWatch, count, log, sleep } from './parked-watch';

const parkedModes = ['unpaced', 'paced', 'both'] as const;
type ParkedMode = (typeof parkedModes)[number];

export interface ParkedOptions {
  count: number;
  mode: ParkedMode;
  /** Unpaced imports, each on a fresh stack (PARKED_RUNS). */
  runs: number;
  leadMinutes: number;
  deletionsPerSecond: number;
  /** Paced: offboardings started but not yet parked, at most (PARKED_IN_FLIGHT). */
  inFlight: number;
  /** The worker's STAFFBASE_REQUESTS_PER_SECOND (PARKED_RATE): the simulator has no limit here. */
  requestsPerSecond: number;
  /** How long the worker is watched once all are parked, for its quiet RSS (PARKED_QUIET_SECONDS). */
  quietSeconds: number;
  cpuProfile: boolean;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name] === undefined || env[name] === '' ? fallback : Number(env[name]);
  if (!(value > 0)) throw new Error(`${name} must be a positive number`);
  return value;
}

export function parkedOptionsFromEnv(env: NodeJS.ProcessEnv): ParkedOptions {
  const count = Math.round(positive(env, 'PARKED', 20_000));
  const mode = (env.PARKED_MODE || 'both') as ParkedMode;
  if (!parkedModes.includes(mode)) throw new Error(`PARKED_MODE must be one of ${parkedModes.join(', ')}`);
  return {
    count,
    mode,
    runs: Math.round(positive(env, 'PARKED_RUNS', 3)),
    // Parking runs at about 12 runs/s on the 2-CPU VM: 1.5 minutes per 1,000, plus slack.
    leadMinutes: positive(env, 'PARKED_LEAD_MINUTES', Math.max(3, Math.ceil(count / 650) + 3)),
    deletionsPerSecond: positive(env, 'PARKED_DELETIONS_PER_SECOND', 20),
    inFlight: Math.round(positive(env, 'PARKED_IN_FLIGHT', 50)),
    // PARKED_REQUESTS_PER_SECOND: the earlier name, still read.
    requestsPerSecond: positive(env, 'PARKED_RATE', positive(env, 'PARKED_REQUESTS_PER_SECOND', 200)),
    quietSeconds: positive(env, 'PARKED_QUIET_SECONDS', 30),
    cpuProfile: env.BENCH_CPU_PROFILE === '1',
  };
}

/** Runs `work` over `items`, `width` at a time. */
async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

async function seedLeavers(control: SimulatorControl, externalIDs: string[]): Promise<void> {
  await inParallel(externalIDs, 16, (externalID) =>
    control.seedUser({
      externalID,
      userName: externalID,
      emails: [{ value: `${externalID}@example.test`, primary: true }],
      status: 'activated',
      sessions: 1,
    }),
  );
}

/** A fresh stack per run, closed afterwards (also on Ctrl-C or a kill: no process left behind). */
async function withStack<T>(
  options: ParkedOptions,
  code: WorkerCode,
  profileDir: string | undefined,
  run: (stack: ProcessStack) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'staffbase-parked-run-'));
  const stack = await startProcessStack(dir, {
    requestsPerSecond: options.requestsPerSecond,
    code,
    workerNodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  });
  const onSignal = (): void => {
    log('interrupted: stopping the worker and the dev server');
    void stack.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await run(stack);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The real import path: HR's `staffbase-lifecycle import`, against this stack's Temporal. */
function importWithCli(stack: ProcessStack, file: string): Promise<void> {
  const bin = path.resolve(__dirname, '..', 'client', 'cli', 'bin.mjs');
  const child = spawn(process.execPath, [bin, 'import', file, '--kind', 'offboarding'], {
    env: { ...process.env, ...testEncryptionEnv, TEMPORAL_ADDRESS: stack.devServer.address },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // Its audit lines (one per start) go to stderr: shown only when the import fails.
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`import exited ${code}:\n${stderr}`)),
    );
  });
}

async function unpacedRun(
  options: ParkedOptions,
  stack: ProcessStack,
  label: string,
): Promise<ParkingFigures> {
  const { count: n } = options;
  const prefix = `unpaced-${Date.now()}`;
  const ids = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
  await seedLeavers(stack.control, ids);
  const file = path.join(os.tmpdir(), `${prefix}-leavers.csv`);
  // The policy's retention (30 days): parked, not deleted, in this mode.
  writeFileSync(file, `externalID\n${ids.join('\n')}\n`);
  try {
    log(`${label}: seeded ${n} activated users; one CLI import of ${n} offboardings`);
    const watch = await ParkingWatch.start(stack);
    try {
      const imported = importWithCli(stack, file);
      const ours = `WorkflowType='offboarding' AND WorkflowId STARTS_WITH 'offboarding-${prefix}-'`;
      const parking = Promise.all([imported, watch.untilParked(ours, n)]);
      await imported;
      // The import is the only child of this process that exits in the window.
      const cliCpu = exitedChildrenCpuSeconds() - watch.exitedChildrenCpu0;
      log(`${label}: the import returned after ${((Date.now() - watch.t0) / 1000).toFixed(1)} s`);
      const [, figures] = await parking;
      return { label, ...figures, cliCpu, workerQuietMb: await watch.quietRss(options.quietSeconds) };
    } finally {
      watch.stop();
    }
  } finally {
    rmSync(file, { force: true });
  }
}

/**
 * Starts run 0…n-1 so that at most `inFlight` are on their way to retention at once: the paced mode,
 * where the workflow cache (WORKER_MAX_CACHED_WORKFLOWS) holds every run in progress.
 */
async function startPaced(
  client: Client,
  ours: string,
  inFlight: number,
  n: number,
  start: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  while (next < n) {
    const settled =
      (await count(client, `${ours} AND LifecycleStage='retention'`)) +
      (await count(client, `${ours} AND ExecutionStatus!='Running'`));
    const room = Math.min(inFlight - (next - settled), n - next);
    if (room <= 0) {
      await sleep(250);
      continue;
    }
    const batch = Array.from({ length: room }, (_, offset) => next + offset);
    next += room;
    await inParallel(batch, 16, start);
  }
}

async function pacedRun(options: ParkedOptions, stack: ProcessStack): Promise<ParkingFigures> {
  const { count: n } = options;
  const prefix = `paced-${Date.now()}`;
  const ids = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
  await seedLeavers(stack.control, ids);
  log(
    `paced: seeded ${n} activated users; starting them ${options.inFlight} in flight, first deletion ` +
      `${options.leadMinutes} min after the start, then ${options.deletionsPerSecond}/s`,
  );
  const watch = await ParkingWatch.start(stack);
  try {
    const { t0 } = watch;
    const firstMs = t0 + options.leadMinutes * 60_000;
    const spacingMs = 1_000 / options.deletionsPerSecond;
    const deleteAtMs = (i: number) => Math.round(firstMs + i * spacingMs);
    const ours = `WorkflowType='offboarding' AND WorkflowId STARTS_WITH 'offboarding-${prefix}-'`;
    const started = startPaced(stack.client, ours, options.inFlight, n, async (i) => {
      const externalID = ids[i] as string;
      const outcome = await startOffboarding(
        stack.client,
        { externalID, deleteAt: new Date(deleteAtMs(i)).toISOString() },
        defaultOffboardingPolicy,
      );
      if (outcome.status !== 'started') throw new Error(`${externalID}: ${outcome.status}`);
    });
    const [, parking] = await Promise.all([started, watch.untilParked(ours, n)]);
    if (Date.now() >= firstMs)
      log('paced: the first deletion was due before all were parked (raise PARKED_LEAD_MINUTES)');
    const quietSeconds = Math.min(options.quietSeconds, Math.max(0, (firstMs - Date.now()) / 1000 - 1));
    const workerQuietMb = await watch.quietRss(quietSeconds);

    for (;;) {
      const closed = await count(stack.client, `${ours} AND ExecutionStatus!='Running'`);
      if (closed >= n) break;
      if (stack.worker.exitCode !== null) throw new Error(`the worker exited (${stack.worker.exitCode})`);
      if (Date.now() > deleteAtMs(n - 1) + 10 * 60_000) throw new Error('deletions still open 10 min late');
      log(`paced: closed ${closed} of ${n}; worker ${watch.worker.samples.at(-1)?.mb.toFixed(0)} MB`);
      await sleep(10_000);
    }
    const durationMs = Date.now() - t0;

    // Lateness: the run's close (just after its DELETE was answered) against its deleteAt.
    let maxLateMs = 0;
    let notCompleted = 0;
    for await (const run of stack.client.workflow.list({ query: ours })) {
      if (run.status.name !== 'COMPLETED' || !run.closeTime) {
        notCompleted += 1;
        continue;
      }
      const i = Number(run.workflowId.slice(`offboarding-${prefix}-`.length));
      maxLateMs = Math.max(maxLateMs, run.closeTime.getTime() - deleteAtMs(i));
    }
    const left = new Set((await stack.control.users()).map((user) => user.externalID));
    const deleted = ids.filter((id) => !left.has(id)).length;
    return {
      label: 'paced',
      ...parking,
      workerQuietMb,
      deletions: {
        deleted,
        notCompleted,
        maxLateMs,
        durationMs,
        workerPeakMb: watch.worker.figures(t0).peak,
      },
    };
  } finally {
    watch.stop();
  }
}

export async function runParkedBench(options: ParkedOptions): Promise<void> {
  const { count: n } = options;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'staffbase-parked-'));
  const profileDir = options.cpuProfile ? path.join(dir, 'cpu-profiles') : undefined;
  if (profileDir) mkdirSync(profileDir);
  log(
    `parked: ${n} offboardings, mode ${options.mode} (${options.runs} unpaced run(s)), worker at ` +
      `${options.requestsPerSecond} Staffbase requests/s; ${os.cpus().length} CPUs, ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GB, load ${os.loadavg()[0]?.toFixed(2)}`,
  );
  try {
    const code = await buildWorkerCode(dir);
    const results: ParkingFigures[] = [];
    if (options.mode !== 'paced') {
      for (let run = 1; run <= options.runs; run += 1) {
        const label = options.runs === 1 ? 'unpaced' : `unpaced ${run}`;
        results.push(
          await withStack(options, code, profileDir, (stack) => unpacedRun(options, stack, label)),
        );
      }
    }
    if (options.mode !== 'unpaced') {
      results.push(await withStack(options, code, profileDir, (stack) => pacedRun(options, stack)));
    }
    report(options, results);
    if (profileDir) summariseCpuProfiles(profileDir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
