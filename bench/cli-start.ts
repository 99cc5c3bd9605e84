/**
 * `npm run bench -- cli-start [--runs 10]`: how long `staffbase-lifecycle` takes to start, side by side
 * with a bare `node -e ''` (issue 26). Each row is one command run N times in a child process, wall
 * time from spawn to exit: median, min, max. Prints figures only; nothing here asserts a time.
 *
 * `status <id>` is measured "up to its Temporal connection": LIFECYCLE_ENCRYPTION_KEY is left unset, so
 * the command loads everything it needs (the Temporal client, the payload codec, the configuration) and
 * stops with its configuration error exactly where it would connect — no server involved.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const bin = path.join(root, 'client', 'cli', 'bin.mjs');

interface StartCase {
  name: string;
  args: string[];
  /** The exit code this case ends with when it ran as meant. */
  exitCode: number;
}

const cases: StartCase[] = [
  { name: "node -e ''", args: ['-e', ''], exitCode: 0 },
  { name: 'staffbase-lifecycle --help', args: [bin, '--help'], exitCode: 0 },
  { name: 'staffbase-lifecycle status <id> (to connect)', args: [bin, 'status', 'emp-42'], exitCode: 2 },
  {
    name: 'tsx client/cli/main.ts --help (fallback)',
    args: ['--import', 'tsx', path.join(root, 'client', 'cli', 'main.ts'), '--help'],
    exitCode: 0,
  },
];

/** The environment without anything that would change what the CLI does (no key, no Temporal). */
function quietEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG']) {
    if (process.env[name] !== undefined) env[name] = process.env[name];
  }
  return env;
}

function timeOnce(startCase: StartCase): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, startCase.args, {
    cwd: root,
    env: quietEnv(),
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== startCase.exitCode) {
    throw new Error(
      `${startCase.name}: exit ${String(result.status)}, expected ${startCase.exitCode}\n${result.stderr}`,
    );
  }
  return ms;
}

function summary(times: number[]): { median: number; min: number; max: number } {
  const sorted = [...times].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? (sorted[middle] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted.at(-1) as number };
}

export function runCliStartBench(argv: string[]): void {
  const runsAt = argv.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 10;
  if (!Number.isInteger(runs) || runs < 1) throw new Error('usage: npm run bench -- cli-start [--runs <n>]');
  // One start first: compiles the CLI into .cache/cli/ when the sources changed since the last build.
  for (const startCase of cases) timeOnce(startCase);
  console.log(
    `CLI start, ${runs} runs each (wall time, ms) — ${os.cpus().length} cores, load average ` +
      `${os.loadavg()[0]?.toFixed(2)}, node ${process.version}`,
  );
  console.log(`${'command'.padEnd(46)} ${'median'.padStart(7)} ${'min'.padStart(7)} ${'max'.padStart(7)}`);
  for (const startCase of cases) {
    const { median, min, max } = summary(Array.from({ length: runs }, () => timeOnce(startCase)));
    console.log(
      `${startCase.name.padEnd(46)} ${median.toFixed(0).padStart(7)} ${min.toFixed(0).padStart(7)} ${max.toFixed(0).padStart(7)}`,
    );
  }
}
