/**
 * `npm test`: typecheck, lint, then every test file under test/ on node:test, ending with one
 * readable line: "N passed, N failed". Arguments narrow the run to test files whose path contains
 * one of them (`npm test -- onboarding`); SKIP_STATIC_CHECKS=1 skips typecheck and lint while iterating.
 * The cluster test (test/deploy/cluster.test.ts, which needs `npm run install:cluster`) runs last, in
 * a process of its own, and its counts join the one closing line; `npm run test:cluster`
 * (`--cluster`) runs only it.
 *
 * Every logger of every test process (workers, HR APIs, `npm start`, the tests' own Temporal runtime)
 * also writes its lines into a temporary directory (config/log-capture.ts); after the last test file,
 * a check reads them all and fails, counted in the closing line, when one holds a test person's name,
 * userName or email (tooling/log-check.ts).
 *
 * The test processes of one run share their workflow bundles through a temporary directory
 * (test/helpers/shared-bundles.ts): each distinct bundle is built once per run, not once per file.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LOG_CAPTURE_DIR_ENV } from '../config/log-capture';
import { testPersonalData } from '../test/helpers/people';
import { SHARED_BUNDLE_DIR_ENV } from '../test/helpers/shared-bundles';
import { checkCapturedLogs, describeFindings } from './log-check';

const root = path.resolve(__dirname, '..');
/** Test files with their own npm script, never found by `npm test`'s discovery (filters included). */
const OWN_SCRIPT_TESTS = ['test/deploy/cluster.test.ts'];
const clusterRun = process.argv.includes('--cluster');
/**
 * No test may hang the run: a test file (Node 20's runner applies --test-timeout to each file's
 * process, hooks included) fails and is stopped after TEST_FILE_TIMEOUT_S, and a group of test files
 * after TEST_GROUP_DEADLINE_S; both far above a passing run (the longest file, the interleavings,
 * takes about 3 minutes; the whole suite about 22 on 2 cores, 34 on a loaded machine).
 */
const TEST_FILE_TIMEOUT_S = Number(process.env.TEST_FILE_TIMEOUT_S ?? 600);
const GROUP_DEADLINE_S = Number(process.env.TEST_GROUP_DEADLINE_S ?? 3_000);
const filters = process.argv.slice(2).filter((argument) => argument !== '--cluster');

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

function run(label: string, command: string, args: string[]): boolean {
  console.log(`\n▶ ${label}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  return result.status === 0;
}

/**
 * Runs the test process in a process group of its own, so that any server a crashed test left behind
 * (Temporal dev/test servers, simulators) is found and stopped afterwards instead of outliving the run.
 */
function runTestProcessGroup(
  label: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ ok: boolean; strays: string[] }> {
  console.log(`\n▶ ${label}`);
  const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', detached: true, env });
  const forward = (signal: NodeJS.Signals) => () => child.pid && killGroup(child.pid, signal);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  // A test that hangs must end as a failure, not outlast CI: stop the group at its deadline.
  const watchdog = setTimeout(() => {
    console.error(`\n✖ the tests ran longer than ${GROUP_DEADLINE_S} s and were stopped (a test hangs)`);
    if (child.pid) killGroup(child.pid, 'SIGTERM');
    setTimeout(() => child.pid && killGroup(child.pid, 'SIGKILL'), 10_000).unref();
  }, GROUP_DEADLINE_S * 1000);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(watchdog);
      const strays = child.pid ? processesInGroup(child.pid) : [];
      if (child.pid && strays.length > 0) killGroup(child.pid, 'SIGKILL');
      resolve({ ok: code === 0, strays });
    });
  });
}

function processesInGroup(groupId: number): string[] {
  const ps = spawnSync('ps', ['-eo', 'pgid=,pid=,args='], { encoding: 'utf8' });
  return ps.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([pgid]) => Number(pgid) === groupId)
    .map(([, pid, ...command]) => `${pid} ${command.join(' ')}`)
    .filter((line) => !line.includes('<defunct>')); // already dead, only not yet reaped
}

function killGroup(groupId: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-groupId, signal);
  } catch {
    // the group is already gone
  }
}

const matchesFilters = (file: string) =>
  filters.length === 0 || filters.some((filter) => file.includes(filter));

/** The ordinary test files, then the ones that run in a process of their own (the cluster test). */
function testFileGroups(): string[][] {
  const own = OWN_SCRIPT_TESTS.filter(matchesFilters);
  if (clusterRun) return [[...OWN_SCRIPT_TESTS]];
  const entries = readdirSync(path.join(root, 'test'), { recursive: true, encoding: 'utf8' });
  const ordinary = entries
    .filter((entry) => entry.endsWith('.test.ts'))
    .map((entry) => path.join('test', entry))
    .filter((file) => !OWN_SCRIPT_TESTS.includes(file.split(path.sep).join('/')))
    .filter(matchesFilters)
    .sort();
  return [ordinary, own].filter((group) => group.length > 0);
}

async function main(): Promise<number> {
  const checks: Counts = { passed: 0, failed: 0, skipped: 0 };
  if (process.env.SKIP_STATIC_CHECKS !== '1' && !clusterRun) {
    const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
    for (const [label, args] of [
      // Generated, not checked in: lint and the console's typecheck read the current OpenAPI document.
      ['console API types (generated)', ['tsx', 'tooling/console-api-types.ts']],
      ['typecheck (tsc --noEmit)', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
      ['lint (eslint)', ['eslint', '.', '--max-warnings', '0']],
    ] as const) {
      if (run(label, npx, [...args])) checks.passed += 1;
      else checks.failed += 1;
    }
  }

  const groups = testFileGroups();
  const summaryDir = mkdtempSync(path.join(tmpdir(), 'staffbase-lifecycle-tests-'));
  const logDir = mkdtempSync(path.join(tmpdir(), 'staffbase-lifecycle-logs-'));
  // One workflow bundle per run for all test processes (test/helpers/shared-bundles.ts).
  const bundleDir = mkdtempSync(path.join(tmpdir(), 'staffbase-lifecycle-bundles-'));
  const testEnv = { ...process.env, [LOG_CAPTURE_DIR_ENV]: logDir, [SHARED_BUNDLE_DIR_ENV]: bundleDir };
  const tests: Counts = { passed: 0, failed: 0, skipped: 0 };
  if (groups.length === 0) {
    console.error(`\nNo test files match ${filters.join(', ') || 'test/**/*.test.ts'}.`);
    tests.failed = 1;
  }
  for (const [index, files] of groups.entries()) {
    const summaryFile = path.join(summaryDir, `summary-${index}.json`);
    const { ok, strays } = await runTestProcessGroup(
      `tests (${files.length} files, node:test)`,
      [
        '--import',
        'tsx',
        '--test',
        `--test-timeout=${TEST_FILE_TIMEOUT_S * 1000}`,
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        `--test-reporter=${path.join(root, 'tooling', 'test-summary-reporter.mjs')}`,
        `--test-reporter-destination=${summaryFile}`,
        ...files,
      ],
      testEnv,
    );
    let counts: Counts = { passed: 0, failed: 0, skipped: 0 };
    try {
      counts = JSON.parse(readFileSync(summaryFile, 'utf8')) as Counts;
    } catch {
      counts.failed += 1; // the runner died before reporting: never count that as green
    }
    if (!ok && counts.failed === 0) counts.failed = 1;
    if (strays.length > 0) {
      // A test that leaves a server running is a bug even when its assertions passed.
      console.error(
        `\n✖ ${strays.length} process(es) outlived the tests and were killed:\n  ${strays.join('\n  ')}`,
      );
      counts.failed += 1;
    }
    tests.passed += counts.passed;
    tests.failed += counts.failed;
    tests.skipped += counts.skipped;
  }
  rmSync(summaryDir, { recursive: true, force: true });
  rmSync(bundleDir, { recursive: true, force: true });

  // No personal data in logs: one more test, counted like the others.
  const logCheck = checkCapturedLogs(logDir, testPersonalData);
  if (logCheck.findings.length === 0) {
    console.log(
      `\n✔ no test person's name or email in ${logCheck.lines} log lines of ${logCheck.files} processes`,
    );
    tests.passed += 1;
    rmSync(logDir, { recursive: true, force: true });
  } else {
    console.error(
      `\n✖ personal data in ${logCheck.findings.length} log line(s) (source-pid:line kind value, masked):\n` +
        `${describeFindings(logCheck.findings)}\n  (the captured lines are kept in ${logDir})`,
    );
    tests.failed += 1;
  }

  const staticLine =
    checks.passed + checks.failed > 0
      ? `static checks: ${checks.passed} passed, ${checks.failed} failed\n`
      : '';
  console.log(
    `\n${staticLine}tests: ${tests.passed} passed, ${tests.failed} failed, ${tests.skipped} skipped`,
  );
  return checks.failed + tests.failed > 0 ? 1 : 0;
}

void main().then((code) => process.exit(code));
