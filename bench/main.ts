/**
 * `npm run bench [-- --n 1000 --rate 20]`: the throughput benchmark of issue #13, in one run, side by
 * side. Starts its own dev server, simulator (R requests/s, burst R, Retry-After in seconds) and
 * worker; imports N new hires through the real CLI (`staffbase-lifecycle import`), meanwhile logs
 * one person out (urgent under load, against idle before) and sweeps the waiting hires once for
 * activations (activation.ts); then runs the plain-script baseline on the same simulator. Not part
 * of `npm test`. `npm run bench -- parked`: the parked case (parked.ts). `npm run bench -- cli-start`:
 * how fast the CLI starts, beside a bare node (cli-start.ts).
 * `npm run bench -- people`: the person index with 100,000 people (people.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testEncryptionEnv } from '../test/helpers/encryption';
import { type ActivationCheckFigures, activationCheckFigures } from './activation';
import { runPlainScript } from './baseline';
import { type CreationFigures, creationFigures } from './calls';
import { runCliStartBench } from './cli-start';
import { childPid, cpuSeconds, exitedChildrenCpuSeconds, perThousand } from './cpu';
import { benchHires, writeHiresCsv } from './hires';
import { parkedOptionsFromEnv, runParkedBench } from './parked';
import { peopleOptionsFromEnv, runPeopleBench } from './people';
import { type BenchStack, startBenchStack } from './stack';
import { urgentLogoutSeconds } from './urgent';

interface BenchOptions {
  hires: number;
  rate: number;
}

function parseOptions(argv: string[]): BenchOptions {
  const options: BenchOptions = { hires: 1_000, rate: 20 };
  for (let i = 0; i < argv.length; i += 1) {
    const value = Number(argv[i + 1]);
    if (argv[i] === '--n' && Number.isInteger(value) && value > 1) options.hires = value;
    else if (argv[i] === '--rate' && value > 0) options.rate = value;
    else throw new Error(`usage: npm run bench -- [--n <hires>] [--rate <requests/s>] (got ${argv[i]})`);
    i += 1;
  }
  return options;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The real import path: the CLI, as HR runs it, against the benchmark's Temporal. */
function importWithCli(stack: BenchStack, file: string): Promise<void> {
  const cli = path.resolve(__dirname, '..', 'client', 'cli', 'main.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', cli, 'import', file, '--kind', 'onboarding'], {
    env: { ...process.env, ...testEncryptionEnv, TEMPORAL_ADDRESS: stack.env.address },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`import exited ${code}`))));
  });
}

async function createdCount(stack: BenchStack): Promise<number> {
  const log = await stack.control.log();
  return log.filter((call) => call.method === 'POST' && call.path.endsWith('/users') && call.status === 201)
    .length;
}

async function waitForCreated(stack: BenchStack, count: number): Promise<void> {
  while ((await createdCount(stack)) < count) await sleep(500);
}

async function historyEventsPerOnboarding(stack: BenchStack, externalIDs: string[]): Promise<number> {
  const sample = externalIDs.slice(0, 10);
  const lengths = await Promise.all(
    sample.map(
      async (id) => (await stack.env.client.workflow.getHandle(`onboarding-${id}`).describe()).historyLength,
    ),
  );
  return lengths.reduce((sum, length) => sum + length, 0) / lengths.length;
}

interface CpuReading {
  /** This process: the worker (in-process here), the simulator and the benchmark's own polling. */
  benchProcess: number;
  devServer: number | undefined;
  /** Exited children: the CLI import once it has exited. */
  children: number;
}

/** The dev server is the SDK test environment's child process (`temporal server start-dev`). */
function importCpuReading(): CpuReading {
  const usage = process.cpuUsage();
  const devServerPid = childPid('temporal');
  return {
    benchProcess: (usage.user + usage.system) / 1e6,
    devServer: devServerPid === undefined ? undefined : cpuSeconds(devServerPid),
    children: exitedChildrenCpuSeconds(),
  };
}

/** CPU seconds from the import's start to the last user created. */
interface ImportCpu {
  benchProcess: number;
  devServer: number | undefined;
  cli: number;
}

function importCpu(before: CpuReading, after: CpuReading): ImportCpu {
  return {
    benchProcess: after.benchProcess - before.benchProcess,
    devServer:
      before.devServer === undefined || after.devServer === undefined
        ? undefined
        : after.devServer - before.devServer,
    cli: after.children - before.children,
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const { hires: n, rate } = options;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'staffbase-bench-'));
  console.log(
    `bench: N = ${n} new hires, R = ${rate} requests/s (burst ${rate}); ${os.cpus().length} CPUs, ${Math.round(os.totalmem() / 2 ** 30)} GB`,
  );
  const stack = await startBenchStack(rate);
  try {
    const idle = await urgentLogoutSeconds(stack.env.client, stack.control);

    const hires = benchHires(`bench-${Date.now()}`, n);
    const file = path.join(dir, 'new-hires.csv');
    writeHiresCsv(file, hires);
    const cpuBefore = importCpuReading();
    const imported = importWithCli(stack, file);
    // Urgent under load: once the bulk saturates the rate limit (two seconds' worth created).
    await waitForCreated(stack, Math.min(2 * rate, n - 1));
    const underLoad = await urgentLogoutSeconds(stack.env.client, stack.control);
    await imported;
    await waitForCreated(stack, n);
    const cpu = importCpu(cpuBefore, importCpuReading());
    const lifecycle = creationFigures(await stack.control.log());
    const events = await historyEventsPerOnboarding(
      stack,
      hires.map((hire) => hire.externalID),
    );
    const activation = await activationCheckFigures(
      stack.env.client,
      stack.control,
      hires.map((hire) => hire.externalID),
    );

    await stack.control.reset();
    await stack.limitRate();
    await runPlainScript(stack.simulator.apiUrl, stack.token, benchHires(`plain-${Date.now()}`, n));
    const plain = creationFigures(await stack.control.log());

    report({ n, rate, lifecycle, plain, idle, underLoad, events, activation, cpu });
  } finally {
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(figures: {
  n: number;
  rate: number;
  lifecycle: CreationFigures;
  plain: CreationFigures;
  idle: number;
  underLoad: number;
  events: number;
  activation: ActivationCheckFigures;
  cpu: ImportCpu;
}): void {
  const { rate, lifecycle, plain } = figures;
  const row = (name: string, f: CreationFigures) =>
    `${name.padEnd(22)} ${f.usersPerSecond.toFixed(2).padStart(8)} ${(f.usersPerSecond / rate).toFixed(2).padStart(7)} ` +
    `${f.callsPerUser.toFixed(3).padStart(11)} ${(100 * f.rateLimitedShare).toFixed(1).padStart(6)} %`;
  console.log('');
  console.log(
    `${'import'.padEnd(22)} ${'users/s'.padStart(8)} ${'÷ R'.padStart(7)} ${'calls/user'.padStart(11)} ${'429'.padStart(8)}`,
  );
  console.log(row('lifecycle (CLI import)', lifecycle));
  console.log(row('plain script', plain));
  console.log(`lifecycle ÷ plain script: ${(lifecycle.usersPerSecond / plain.usersPerSecond).toFixed(2)}×`);
  console.log(
    `urgent logout: idle ${figures.idle.toFixed(1)} s, under the bulk ${figures.underLoad.toFixed(1)} s`,
  );
  console.log(`history events per onboarding (awaiting activation): ${figures.events.toFixed(0)}`);
  const { cpu, n } = figures;
  console.log(
    `CPU per 1,000 onboardings (import start to last create): worker + simulator (one process) ` +
      `${perThousand(cpu.benchProcess, n)}, Temporal dev server ${perThousand(cpu.devServer, n)}, ` +
      `CLI import ${perThousand(cpu.cli, n)}`,
  );
  const { activation } = figures;
  console.log(
    `activation checks: ${activation.requests} requests for ${activation.waiting} waiting people = ` +
      `${activation.requestsPerFiftyWaiting.toFixed(2)} per 50 waiting people per interval ` +
      `(${activation.signalled} activated runs signalled)`,
  );
}

const benches: Record<string, () => Promise<void>> = {
  parked: () => runParkedBench(parkedOptionsFromEnv(process.env)),
  'cli-start': () => Promise.resolve(runCliStartBench(process.argv.slice(3))),
  people: () => runPeopleBench(peopleOptionsFromEnv(process.env)),
};
const bench = benches[process.argv[2] ?? ''] ?? main;

bench().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
