/**
 * `npm test`'s personal-data check (tooling/log-check.ts, run by tooling/run-tests.ts after every
 * test file): it must catch a regression. A child process logs a test person's name and email
 * through the worker's and the HR API's real loggers into a capture directory of its own (not the
 * suite's); the check finds every one, names its source and line, and never prints the value itself.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { LOG_CAPTURE_DIR_ENV } from '../../config/log-capture';
import {
  checkCapturedLogs,
  describeFindings,
  findPersonalDataInLines,
  maskValue,
} from '../../tooling/log-check';
import { testPersonalData } from '../helpers/people';

const root = path.resolve(__dirname, '..', '..');
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the personal-data log check', () => {
  it('catches names and emails logged by a worker and an HR API process, without printing them', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'log-check-test-'));
    dirs.push(dir);
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'test/fixtures/leaky-logger.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', [LOG_CAPTURE_DIR_ENV]: dir },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(child.status, 0, child.stderr);
    assert.deepEqual(
      readdirSync(dir)
        .map((file) => file.replace(/-\d+\.log$/, ''))
        .sort(),
      ['hr-api', 'worker'],
    );

    const result = checkCapturedLogs(dir, testPersonalData);
    assert.equal(result.files, 2);
    assert.equal(result.lines, 4);
    const found = result.findings.map(
      (finding) => `${finding.source.replace(/-\d+$/, '')}:${finding.line} ${finding.kind}`,
    );
    assert.deepEqual(found.sort(), ['hr-api:1 email', 'worker:1 userName', 'worker:2 name'].sort());

    const report = describeFindings(result.findings);
    for (const value of ['ada.lovelace.1', 'Grace Hopper', 'Hopper', 'ada.9@example.test']) {
      assert.ok(!report.includes(value), `the report printed ${value}: ${report}`);
    }
    assert.match(report, /worker-\d+:2 name Gr…\(5\)/);
  });

  it('passes clean lines, and an operator’s login in an audit line', () => {
    const lines = [
      '{"level":"info","msg":"Onboarding finished","externalID":"emp-7","result":"activated"}',
      '{"level":"info","msg":"audit","audit":true,"event":"delete-now-requested","requestedBy":"grace.support"}',
      '{"level":"warn","msg":"Shutdown grace period of 60 s","lifecycle":"offboarding"}',
    ];
    assert.deepEqual(findPersonalDataInLines('worker-1', lines, testPersonalData), []);
  });

  it('masks a value to its first two characters and its length', () => {
    assert.equal(maskValue('Lovelace'), 'Lo…(8)');
  });
});
