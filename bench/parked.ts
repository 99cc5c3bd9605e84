/**
 * `npm run bench -- parked` (PARKED=n, default 20,000): n offboardings parked in retention at once,
 * the worker's and the dev server's resident memory sampled throughout, and every deletion checked
 * against its deleteAt. Each leaver gets an explicit deleteAt: the first after PARKED_LEAD_MINUTES
 * (long enough for all n to be deactivated and parked first), then PARKED_DELETIONS_PER_SECOND apart,
 * so the deletions come as a steady stream the stack can keep up with, not one thundering herd.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Client } from '@temporalio/client';
import { startOffboarding } from '../client/lifecycle-runs';
import { defaultOffboardingPolicy } from '../lifecycle/offboarding-request';
import { type SimulatorControl } from '../simulator/control-client';
import { startProcessStack } from './process-stack';
import { RssSampler, rssMb } from './rss';

interface ParkedOptions {
  count: number;
  leadMinutes: number;
  deletionsPerSecond: number;
  /** Offboardings started but not yet parked, at most (PARKED_IN_FLIGHT). */
  inFlight: number;
  /** The worker's STAFFBASE_REQUESTS_PER_SECOND: high, the simulator has no limit here. */
  requestsPerSecond: number;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name] === undefined ? fallback : Number(env[name]);
  if (!(value > 0)) throw new Error(`${name} must be a positive number`);
  return value;
}

export function parkedOptionsFromEnv(env: NodeJS.ProcessEnv): ParkedOptions {
  const count = Math.round(positive(env, 'PARKED', 20_000));
  return {
    count,
    // Parking runs at about 12 runs/s on the 2-CPU VM: 1.5 minutes per 1,000, plus slack.
    leadMinutes: positive(env, 'PARKED_LEAD_MINUTES', Math.max(3, Math.ceil(count / 650) + 3)),
    deletionsPerSecond: positive(env, 'PARKED_DELETIONS_PER_SECOND', 20),
    inFlight: Math.round(positive(env, 'PARKED_IN_FLIGHT', 50)),
    requestsPerSecond: positive(env, 'PARKED_REQUESTS_PER_SECOND', 200),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

async function count(client: Client, query: string): Promise<number> {
  return (await client.workflow.count(query)).count;
}

/**
 * Starts run 0…n-1 so that at most `inFlight` are on their way to retention at once. Thousands in
 * progress at the same moment would be more than the worker caches (WORKER_MAX_CACHED_WORKFLOWS), so
 * nearly every task would replay its run from the history first: measured, parking fell from about
 * 12 to 4 runs/s. That is a bulk offboarding's throughput question, not the memory of parked runs this
 * benchmark is about.
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

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

export async function runParkedBench(options: ParkedOptions): Promise<void> {
  const { count: n } = options;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'staffbase-parked-'));
  log(
    `parked: ${n} offboardings, first deletion ${options.leadMinutes} min after the start, then ` +
      `${options.deletionsPerSecond}/s; ${os.cpus().length} CPUs, ${Math.round(os.totalmem() / 2 ** 30)} GB`,
  );
  const stack = await startProcessStack(dir, options.requestsPerSecond);
  const worker = new RssSampler(stack.worker.pid, 2_000);
  const server = new RssSampler(stack.devServer.pid, 2_000);
  let parkedPeak = 0;
  // Ctrl-C or a kill (a run too long for the machine): the figures so far, then stop the worker
  // process and the dev server too, never leave them behind.
  const onSignal = (): void => {
    const [w, d] = [worker.figures(), server.figures()];
    log(
      `interrupted with at most ${parkedPeak} parked at once: worker RSS peak ${w.peak.toFixed(0)} MB, ` +
        `median ${w.median.toFixed(0)} MB; dev server peak ${d.peak.toFixed(0)} MB, median ${d.median.toFixed(0)} MB`,
    );
    void stack.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const prefix = `parked-${Date.now()}`;
    const ids = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
    await seedLeavers(stack.control, ids);
    const t0 = Date.now();
    const firstMs = t0 + options.leadMinutes * 60_000;
    const spacingMs = 1_000 / options.deletionsPerSecond;
    const deleteAtMs = (i: number) => Math.round(firstMs + i * spacingMs);
    log(`seeded ${n} activated users; starting the offboardings`);

    const ours = `WorkflowType='offboarding' AND WorkflowId STARTS_WITH 'offboarding-${prefix}-'`;
    await startPaced(stack.client, ours, options.inFlight, ids.length, async (i) => {
      const externalID = ids[i] as string;
      const started = await startOffboarding(
        stack.client,
        { externalID, deleteAt: new Date(deleteAtMs(i)).toISOString() },
        defaultOffboardingPolicy,
      );
      if (started.status !== 'started') throw new Error(`${externalID}: ${started.status}`);
    });
    log(`started ${n} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);

    let allParkedAtMs: number | undefined;
    for (;;) {
      const parked = await count(stack.client, `${ours} AND LifecycleStage='retention'`);
      const closed = await count(stack.client, `${ours} AND ExecutionStatus!='Running'`);
      parkedPeak = Math.max(parkedPeak, parked);
      if (parked === n && allParkedAtMs === undefined) {
        allParkedAtMs = Date.now();
        log(`all ${n} parked after ${((allParkedAtMs - t0) / 1000).toFixed(0)} s`);
      }
      log(
        `parked ${parked}, closed ${closed}; worker ${rssMb(stack.worker.pid)?.toFixed(0)} MB, ` +
          `dev server ${rssMb(stack.devServer.pid)?.toFixed(0)} MB`,
      );
      if (closed >= n) break;
      if (stack.worker.exitCode !== null) throw new Error(`the worker exited (${stack.worker.exitCode})`);
      if (Date.now() > deleteAtMs(n - 1) + 10 * 60_000) throw new Error('deletions still open 10 min late');
      await sleep(10_000);
    }
    const endMs = Date.now();

    // Lateness: the run's close (just after its DELETE was answered) against its deleteAt.
    let deleted = 0;
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
    deleted = ids.filter((id) => !left.has(id)).length;

    worker.stop();
    server.stop();
    const whole = worker.figures();
    const parkedWindow = allParkedAtMs === undefined ? undefined : worker.figures(allParkedAtMs, firstMs);
    const serverFigures = server.figures();
    console.log('');
    console.log(`parked offboardings:            ${n} (at most ${parkedPeak} in retention at once)`);
    console.log(`all parked at once:             ${allParkedAtMs === undefined ? 'no' : 'yes'}`);
    console.log(
      `worker RSS (whole run):         peak ${whole.peak.toFixed(0)} MB, median ${whole.median.toFixed(0)} MB`,
    );
    if (parkedWindow && parkedWindow.count > 0) {
      console.log(
        `worker RSS (all parked):        peak ${parkedWindow.peak.toFixed(0)} MB, median ${parkedWindow.median.toFixed(0)} MB`,
      );
    }
    console.log(
      `dev server RSS:                 peak ${serverFigures.peak.toFixed(0)} MB, median ${serverFigures.median.toFixed(0)} MB`,
    );
    console.log(`deletions:                      ${deleted} of ${n} (${notCompleted} runs not completed)`);
    console.log(`max lateness after deleteAt:    ${(maxLateMs / 1000).toFixed(1)} s`);
    console.log(`duration:                       ${((endMs - t0) / 60_000).toFixed(1)} min`);
  } finally {
    worker.stop();
    server.stop();
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
