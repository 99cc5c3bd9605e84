import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WorkflowNotFoundError } from '@temporalio/client';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import ExcelJS from 'exceljs';
import { type RowResult } from '../../../client/csv/run-import';
import { lifecycleWorkflowId } from '../../../lifecycle/workflow-ids';
import { testPayloadCodec } from '../../helpers/encryption';
import { startLifecycleTestStack } from '../../helpers/lifecycle-stack';
import { TEST_TOKEN } from '../../helpers/simulator';
import { startDevServerEnvironment } from '../../helpers/temporal';
import { cli, jsonOf } from '../cli/run-cli';

interface ImportJson {
  summaryLine: string;
  mapping?: { header: string; matchedBy: string }[];
  staffbaseAccountsRead?: number;
  summary: Record<string, number>;
  rows: RowResult[];
}

/**
 * `staffbase-lifecycle import` as HR runs it, against a dev server. No worker runs: started runs stay
 * open, which is all an import is about (starting exactly the right runs, once).
 */
describe('CSV import through the CLI (spawned processes against the dev server)', () => {
  let env: TestWorkflowEnvironment;
  let dir: string;
  const id = (n: number) => `csv-${process.pid}-${n}`;
  const run = (args: string[], extraEnv: Record<string, string> = {}) =>
    cli(args, { address: env.address, env: extraEnv });
  const statusOf = async (lifecycle: 'onboarding' | 'offboarding', externalID: string) => {
    try {
      return (await env.client.workflow.getHandle(lifecycleWorkflowId(lifecycle, externalID)).describe())
        .status.name;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return 'none';
      throw error;
    }
  };
  const file = (name: string, content: string) => {
    const target = path.join(dir, name);
    writeFileSync(target, content, 'utf8');
    return target;
  };

  before(async () => {
    env = await startDevServerEnvironment();
    dir = mkdtempSync(path.join(tmpdir(), 'csv-import-'));
  });
  after(async () => {
    await env?.teardown();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('dry-runs, then starts exactly the good rows once; a second import starts nothing new', async () => {
    // An Excel-style export: BOM, semicolons, CRLF, quoted cells with the delimiter inside.
    const onboardings = file(
      'new-hires.csv',
      '\uFEFFexternalID;userName;firstName;lastName;email;startDate;groupIDs;profile.department\r\n' +
        `${id(1)};ada.${id(1)};Ada;"Lovelace; Countess";ada@example.test;2030-01-15;sales|berlin;"R&D; Analytics"\r\n` +
        `${id(2)};bob.${id(2)};Bob;Builder;bob@example.test;;;\r\n` +
        `${id(3)};;Cy;Young;not-an-email;2030-02-30;;\r\n` +
        `${id(1)};dup.${id(1)};Dup;Licate;dup@example.test;;;\r\n` +
        ';;;;;;;\r\n' +
        `${id(4)};dee.${id(4)};Dee;"Quote ""Q"" Test";dee@example.test;;;Ops\r\n`,
    );
    const good = [id(1), id(2), id(4)];

    const dry = await run(['import', onboardings, '--kind', 'onboarding', '--dry-run']);
    assert.equal(dry.code, 6, dry.stderr);
    assert.match(dry.stdout, new RegExp(`would start  row 2: ${id(1)} \\(onboarding-${id(1)}\\)`));
    assert.match(
      dry.stdout,
      new RegExp(`row 4 \\(${id(3)}\\): userName: is required; email: must be an email`),
    );
    assert.match(dry.stdout, /startDate: must be a date in the form YYYY-MM-DD/);
    assert.match(dry.stdout, new RegExp(`row 5 \\(${id(1)}\\): externalID: duplicate of row 2`));
    assert.match(dry.stdout, /dry run: would start 3, already running 0, already completed 0, rejected 2/);
    for (const externalID of [...good, id(3)]) assert.equal(await statusOf('onboarding', externalID), 'none');

    const reportJson = path.join(dir, 'report.json');
    const first = await run(['import', onboardings, '--kind', 'onboarding', '--report', reportJson]);
    assert.equal(first.code, 6, first.stderr);
    assert.match(
      first.stdout,
      /new-hires\.csv: started 3, already running 0, already completed 0, rejected 2/,
    );
    for (const externalID of good) assert.equal(await statusOf('onboarding', externalID), 'RUNNING');
    assert.equal(await statusOf('onboarding', id(3)), 'none');
    // One audit line per started run, on stderr: which person and run, via the CLI, no name or email.
    const audits = first.stderr
      .split('\n')
      .filter((line) => line.includes('"audit":true'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      audits.map((line) => [line.event, line.externalID, line.workflowId, line.via]).sort(),
      good.map((externalID) => ['onboarding-started', externalID, `onboarding-${externalID}`, 'cli']).sort(),
    );
    assert.doesNotMatch(first.stderr, /Lovelace|ada@example/);

    const report = JSON.parse(readFileSync(reportJson, 'utf8')) as ImportJson & { file: string };
    assert.equal(report.file, onboardings);
    assert.deepEqual(
      report.rows.map((row) => [row.row, row.externalID, row.result]),
      [
        [2, id(1), 'started'],
        [3, id(2), 'started'],
        [4, id(3), 'rejected'],
        [5, id(1), 'rejected'],
        [7, id(4), 'started'],
      ],
    );
    assert.deepEqual(
      report.rows[2]?.problems?.map((problem) => problem.field),
      ['userName', 'email', 'startDate'],
    );
    assert.ok(report.rows[0]?.runId);
    // The first row of a duplicated externalID is the one that started (with its quoted cells intact).
    const history = await env.client.workflow
      .getHandle(lifecycleWorkflowId('onboarding', id(1)))
      .fetchHistory();
    const encrypted = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    assert.ok(encrypted);
    // The history holds ciphertext (the CLI encrypts like every client): decode with the test key.
    assert.doesNotMatch(Buffer.from(encrypted.data ?? []).toString('utf8'), /Lovelace/);
    const [payload] = await testPayloadCodec.decode([encrypted]);
    assert.match(Buffer.from(payload?.data ?? []).toString('utf8'), /Lovelace; Countess/);

    const reportCsv = path.join(dir, 'report.csv');
    const [second, secondJson, status] = await Promise.all([
      run(['import', onboardings, '--kind', 'onboarding', '--report', reportCsv]),
      run(['import', onboardings, '--kind', 'onboarding', '--json']),
      // No worker runs here: `status` falls back to Temporal's description of the run.
      run(['status', id(2)]),
    ]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /onboarding {2}RUNNING {2}\(workflow/);
    assert.match(status.stdout, /no worker polls the task queue staffbase-lifecycle/);
    assert.equal(second.code, 6, second.stderr);
    assert.match(second.stdout, /started 0, already running 3, already completed 0, rejected 2/);
    const again = jsonOf<ImportJson>(secondJson);
    assert.deepEqual(again.summary, {
      started: 0,
      alreadyRunning: 3,
      alreadyCompleted: 0,
      wouldStart: 0,
      rejected: 2,
      skipped: 0,
      refused: 0,
      failed: 0,
    });
    const csvLines = readFileSync(reportCsv, 'utf8').split('\r\n');
    assert.equal(csvLines[0], 'row,externalID,result,workflowId,runId,detail');
    assert.match(csvLines[1] ?? '', new RegExp(`^2,${id(1)},already-running,onboarding-${id(1)},[\\w-]+,$`));
    assert.match(csvLines[3] ?? '', new RegExp(`^4,${id(3)},rejected,,,"userName: is required; email: `));
    assert.equal(csvLines.length, 1 + 5 + 1);
  });

  it('starts offboardings from a comma file; --strict starts nothing when a row is rejected', async () => {
    const offboardings = file(
      'leavers.csv',
      'externalID,lastWorkingDay,retentionDays,reason\n' +
        `${id(10)},2030-03-31,30,"moved on, with thanks"\n` +
        `${id(11)},,,\n`,
    );
    const mixed = file(
      'leavers-mixed.csv',
      'externalID,lastWorkingDay,retentionDays\n' + `${id(12)},2030-03-31,30\n` + `${id(13)},31.03.2030,x\n`,
    );
    const [ok, strict, badHeader] = await Promise.all([
      run(['import', offboardings, '--kind', 'offboarding', '--json']),
      run(['import', mixed, '--kind', 'offboarding', '--strict']),
      run(['import', offboardings, '--kind', 'onboarding']),
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(jsonOf<ImportJson>(ok).summary.started, 2);
    assert.equal(await statusOf('offboarding', id(10)), 'RUNNING');

    assert.equal(strict.code, 2, strict.stderr);
    assert.match(strict.stdout, /rejected 1, not started 1 \(--strict\)$/m);
    assert.match(
      strict.stdout,
      /row 3 \(.*\): lastWorkingDay: must be a date .*; retentionDays: must be a whole number/,
    );
    assert.equal(await statusOf('offboarding', id(12)), 'none');

    assert.equal(badHeader.code, 2);
    assert.match(badHeader.stderr, /column 2 "lastWorkingDay" is not a field of an onboarding request/);
  });
  it('dry-runs a Workday export as is: aliases, BOM, semicolons, DD.MM.YYYY, duplicates, Staffbase preflight', async () => {
    // The preflight runs through a worker (workflow directoryLookup), so this test has its own
    // server with workers and simulator: the runs the other tests leave open stay untouched.
    const stack = await startLifecycleTestStack({ server: 'dev-server' });
    await stack.startWorkers();
    const { control, simulator } = stack;
    const runHere = (args: string[], extraEnv: Record<string, string> = {}) =>
      cli(args, { address: stack.env.address, env: extraEnv });
    const statusHere = async (externalID: string) => {
      try {
        return (
          await stack.env.client.workflow.getHandle(lifecycleWorkflowId('onboarding', externalID)).describe()
        ).status.name;
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return 'none';
        throw error;
      }
    };
    try {
      await control.seedUser({
        externalID: `other-${id(20)}`,
        userName: `taken.${id(20)}`,
        emails: [{ value: `taken.${id(20)}@example.test`, primary: true }],
        status: 'activated',
      });
      await control.seedUser({
        externalID: id(24),
        userName: `re.${id(24)}`,
        emails: [{ value: `re.${id(24)}@example.test`, primary: true }],
        status: 'deactivated',
      });
      const workday = file(
        'workday.csv',
        '\uFEFFEmployee ID;User Name;First Name;Last Name;Work Email;Hire Date\r\n' +
          `${id(20)};ada.${id(20)};Ada;Lovelace;ada.${id(20)}@example.test;31.12.2026\r\n` +
          `${id(21)};bob.${id(21)};Bob;Builder;bob.${id(21)}@example.test;2027-01-15\r\n` +
          `${id(22)};BOB.${id(21)};Bobby;Double;bobby.${id(22)}@example.test;12/31/2026\r\n` +
          `${id(23)};taken.${id(20)};Cy;Taken;cy.${id(23)}@example.test;\r\n` +
          `${id(24)};re.${id(24)};Re;Hire;re.${id(24)}@example.test;1.2.2027\r\n`,
      );
      // The CLI needs no Staffbase token: the worker reads the tenant. Set, they turn the check on.
      const staffbase = { STAFFBASE_BASE_URL: simulator.apiUrl, STAFFBASE_API_TOKEN: TEST_TOKEN };
      const args = ['import', workday, '--kind', 'onboarding', '--dry-run'];
      const [dry, unchecked, noFormat, json] = await Promise.all([
        runHere([...args, '--date-format', 'DD.MM.YYYY'], staffbase),
        runHere([...args, '--date-format', 'DD.MM.YYYY', '--no-check-staffbase'], staffbase),
        runHere(args),
        runHere([...args, '--date-format', 'DD.MM.YYYY', '--json', '--check-staffbase']),
      ]);

      assert.equal(dry.code, 6, dry.stderr);
      assert.match(dry.stdout, /^Columns:\n {2}column 1 "Employee ID" → externalID \(alias\)\n/m);
      assert.match(dry.stdout, /column 6 "Hire Date" → startDate \(alias\)/);
      assert.match(dry.stdout, /^Staffbase: compared with 2 accounts$/m);
      assert.doesNotMatch(unchecked.stdout, /Staffbase: compared/);
      assert.match(dry.stdout, new RegExp(`would start  row 2: ${id(20)} \\(onboarding-${id(20)}\\)$`, 'm'));
      assert.match(dry.stdout, new RegExp(`would start  row 3: ${id(21)} `));
      assert.match(
        dry.stdout,
        new RegExp(
          `would start  row 6: ${id(24)} \\(onboarding-${id(24)}\\): will reactivate \\(rehire\\) the deactivated Staffbase account`,
        ),
      );
      assert.match(
        dry.stdout,
        new RegExp(
          `row 4 \\(${id(22)}\\): userName: same as row 3 .*; startDate: must be a date in the form YYYY-MM-DD or DD.MM.YYYY`,
        ),
      );
      assert.match(
        dry.stdout,
        new RegExp(
          `row 5 \\(${id(23)}\\): userName: "taken.${id(20)}" belongs to another Staffbase account \\(externalID other-${id(20)}, activated\\)`,
        ),
      );
      assert.match(dry.stdout, /dry run: would start 3, already running 0, already completed 0, rejected 2/);

      assert.equal(unchecked.code, 6, unchecked.stderr);
      assert.match(
        unchecked.stdout,
        /dry run: would start 4, already running 0, already completed 0, rejected 1/,
      );

      // Without --date-format the regional date is refused, with the way out.
      assert.match(
        noFormat.stdout,
        new RegExp(
          `row 2 \\(${id(20)}\\): startDate: must be a date in the form YYYY-MM-DD \\(the file looks like DD.MM.YYYY: see --date-format\\)`,
        ),
      );

      const report = jsonOf<ImportJson>(json);
      assert.equal(report.staffbaseAccountsRead, 2);
      assert.deepEqual(
        report.mapping?.map((column) => column.header),
        ['Employee ID', 'User Name', 'First Name', 'Last Name', 'Work Email', 'Hire Date'],
      );
      assert.equal(
        report.rows.find((row) => row.externalID === id(24))?.staffbase,
        'will reactivate (rehire) the deactivated Staffbase account',
      );
      assert.doesNotMatch(noFormat.stdout, /Staffbase: compared/);
      const lookups = (await control.log()).filter((call) => call.routeKey === 'GET /users');
      assert.equal(lookups.length, 2, 'one page each for the two checking runs');
      for (const n of [20, 21, 22, 23, 24]) assert.equal(await statusHere(id(n)), 'none');
    } finally {
      await stack.close();
    }
  });

  it('starts offboardings from an .xlsx sheet with a mapping file; unknown headers are refused with the ways out', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Summary').addRow(['not this one']);
    const leavers = workbook.addWorksheet('Leavers');
    leavers.addRow(['Personnel Number', 'Last Day of Work', 'Why', 'Cost Center']);
    leavers.addRow([id(30), new Date(Date.UTC(2030, 2, 31)), 'moved on', 'CC-7']);
    leavers.addRow([id(31), '03/31/2030', '', 'CC-7']);
    const xlsx = path.join(dir, 'leavers.xlsx');
    await workbook.xlsx.writeFile(xlsx);
    const mapping = file(
      'hr-mapping.json',
      JSON.stringify({ Why: 'reason', 'Not in this export': 'retentionDays' }),
    );

    const [refused, started] = await Promise.all([
      run(['import', xlsx, '--kind', 'offboarding', '--sheet', 'Leavers']),
      run([
        'import',
        xlsx,
        '--kind',
        'offboarding',
        '--sheet',
        'leavers',
        '--mapping',
        mapping,
        '--ignore-unknown',
        '--date-format',
        'MM/DD/YYYY',
        '--json',
      ]),
    ]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /column 3 "Why" is not a field of an offboarding request/);
    assert.match(refused.stderr, /leave it out with --ignore-unknown/);

    assert.equal(started.code, 0, started.stderr);
    const result = jsonOf<ImportJson & { sheet: string }>(started);
    assert.equal(result.sheet, 'Leavers');
    assert.equal(result.summary.started, 2);
    assert.deepEqual(
      result.mapping?.map((column) => column.matchedBy),
      ['alias', 'alias', '--mapping', '--ignore-unknown'],
    );
    assert.equal(await statusOf('offboarding', id(30)), 'RUNNING');
    assert.equal(await statusOf('offboarding', id(31)), 'RUNNING');
  });
});
