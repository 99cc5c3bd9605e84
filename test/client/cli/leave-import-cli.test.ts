/**
 * `staffbase-lifecycle import --kind leave` as HR runs it, against a dev server. No worker runs: started
 * runs stay open, which is all an import is about (starting exactly the right leaves, once, and none for
 * a person another lifecycle still decides about).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WorkflowNotFoundError } from '@temporalio/client';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type RowResult } from '../../../client/csv/run-import';
import { startOffboarding, startOnboarding } from '../../../client/lifecycle-runs';
import { defaultOffboardingPolicy } from '../../../lifecycle/offboarding-request';
import { defaultOnboardingPolicy } from '../../../lifecycle/onboarding-request';
import { type PersonLifecycle, lifecycleWorkflowId } from '../../../lifecycle/workflow-ids';
import { startDevServerEnvironment } from '../../helpers/temporal';
import { cli, jsonOf } from './run-cli';

interface ImportJson {
  summaryLine: string;
  summary: Record<string, number>;
  rows: RowResult[];
}

describe('leave import through the CLI (spawned processes against the dev server)', () => {
  let env: TestWorkflowEnvironment;
  let dir: string;
  const id = (n: number) => `leave-csv-${process.pid}-${n}`;
  const run = (args: string[]) => cli(args, { address: env.address });
  const statusOf = async (lifecycle: PersonLifecycle, externalID: string) => {
    try {
      return (await env.client.workflow.getHandle(lifecycleWorkflowId(lifecycle, externalID)).describe())
        .status.name;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return 'none';
      throw error;
    }
  };

  before(async () => {
    env = await startDevServerEnvironment();
    dir = mkdtempSync(path.join(tmpdir(), 'leave-import-'));
  });
  after(async () => {
    await env?.teardown();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('starts a leave per good row once; refuses people with an open onboarding or offboarding', async () => {
    // People another lifecycle still decides about, started through the service's own starters.
    await startOnboarding(
      env.client,
      {
        externalID: id(3),
        userName: `joiner.${id(3)}`,
        firstName: 'Jo',
        lastName: 'Iner',
        email: `joiner.${id(3)}@example.test`,
        startDate: '2030-01-15',
      },
      defaultOnboardingPolicy,
    );
    await startOffboarding(
      env.client,
      { externalID: id(4), lastWorkingDay: '2030-01-31' },
      defaultOffboardingPolicy,
    );

    const leaves = path.join(dir, 'leaves.csv');
    writeFileSync(
      leaves,
      '\uFEFFEmployee ID;Leave Start Date;Return Date;Leave Type\r\n' +
        `${id(1)};01.03.2030;01.09.2030;parental\r\n` +
        `${id(2)};01.04.2030;;sabbatical\r\n` +
        `${id(3)};01.03.2030;;\r\n` +
        `${id(4)};01.03.2030;;\r\n` +
        `${id(5)};01.03.2030;01.02.2030;\r\n`,
      'utf8',
    );
    const args = ['import', leaves, '--kind', 'leave', '--date-format', 'DD.MM.YYYY'];

    const dry = await run([...args, '--dry-run']);
    assert.equal(dry.code, 6, dry.stderr);
    assert.match(dry.stdout, new RegExp(`would start  row 2: ${id(1)} \\(leave-${id(1)}\\)`));
    assert.match(dry.stdout, new RegExp(`refused: row 4 \\(${id(3)}\\): onboarding-open: .*open onboarding`));
    assert.match(dry.stdout, new RegExp(`refused: row 5 \\(${id(4)}\\): offboarding-open`));
    assert.match(dry.stdout, new RegExp(`row 6 \\(${id(5)}\\): until: must be a day after from`));
    assert.match(
      dry.stdout,
      /dry run: would start 2, already running 0, already completed 0, rejected 1, refused 2/,
    );
    for (const n of [1, 2, 3, 4, 5]) assert.equal(await statusOf('leave', id(n)), 'none');

    const reportCsv = path.join(dir, 'report.csv');
    const first = await run([...args, '--report', reportCsv]);
    assert.equal(first.code, 6, first.stderr);
    assert.match(
      first.stdout,
      /leaves\.csv: started 2, already running 0, already completed 0, rejected 1, refused 2/,
    );
    for (const n of [1, 2]) assert.equal(await statusOf('leave', id(n)), 'RUNNING');
    for (const n of [3, 4, 5]) assert.equal(await statusOf('leave', id(n)), 'none');
    // The refused people's own runs are untouched.
    assert.equal(await statusOf('onboarding', id(3)), 'RUNNING');
    assert.equal(await statusOf('offboarding', id(4)), 'RUNNING');
    const audits = first.stderr
      .split('\n')
      .filter((line) => line.includes('"audit":true'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(audits.map((line) => [line.event, line.externalID, line.outcome]).sort(), [
      ['leave-started', id(1), 'started'],
      ['leave-started', id(2), 'started'],
    ]);
    const csvLines = readFileSync(reportCsv, 'utf8').split('\r\n');
    assert.match(csvLines[3] ?? '', new RegExp(`^4,${id(3)},refused,leave-${id(3)},,.*open onboarding`));

    const again = await run([...args, '--json']);
    assert.equal(again.code, 6, again.stderr);
    const second = jsonOf<ImportJson>(again);
    assert.deepEqual(
      { ...second.summary },
      {
        started: 0,
        alreadyRunning: 2,
        alreadyCompleted: 0,
        wouldStart: 0,
        rejected: 1,
        skipped: 0,
        refused: 2,
        failed: 0,
      },
    );
    assert.deepEqual(
      second.rows.filter((row) => row.result === 'refused').map((row) => [row.externalID, row.reason]),
      [
        [id(3), 'onboarding-open'],
        [id(4), 'offboarding-open'],
      ],
    );
    // Still one run each: the re-import found the open leaves and started none.
    for (const n of [1, 2]) {
      const runs = env.client.workflow.list({
        query: `WorkflowId = '${lifecycleWorkflowId('leave', id(n))}'`,
      });
      let count = 0;
      for await (const _ of runs) count += 1;
      assert.equal(count, 1, `${id(n)}: one leave run`);
    }
  });
});
