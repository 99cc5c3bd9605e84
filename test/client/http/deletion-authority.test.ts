/**
 * Deletion authority over HTTP (issue 24, scenario 1): the HR systems' key cannot hasten a deletion —
 * not by `retentionDays` 0 or below the policy, not by an early `deleteAt`, not through an import row —
 * and cannot release a legal hold; the support key can. Real HTTP, the time-skipping server with real
 * workers and the simulator behind it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { WorkflowNotFoundError } from '@temporalio/client';
import ExcelJS from 'exceljs';
import { type RunningHttpApi, startHttpApi } from '../../../client/http/server';
import { type AuditRecord } from '../../../lifecycle/audit/audit-record';
import { earlyDeletionRule } from '../../../lifecycle/deletion-authority';
import { type OffboardingPolicy } from '../../../lifecycle/offboarding-request';
import { type LifecycleTestStack, startLifecycleTestStack } from '../../helpers/lifecycle-stack';
import { offboardingPolicy, onboardingPolicy, uniqueSuffix } from '../../helpers/people';
import { lazyTempStore } from '../../helpers/temp-store';

/** The store behind GET /v1/people (opened only if a request reaches it). */
const store = lazyTempStore();

const KEY = `hr-key-${randomBytes(24).toString('hex')}`;
const ADMIN_KEY = `support-key-${randomBytes(24).toString('hex')}`;
const policy: OffboardingPolicy = offboardingPolicy({ retentionDays: 30 });
const day = 86_400_000;

interface Body {
  error?: string;
  message?: string;
  rule?: string;
  field?: string;
  status?: string;
  summary?: { wouldStart: number; rejected: number };
  rows?: {
    row: number;
    externalID?: string;
    result: string;
    problems?: { field: string; message: string }[];
  }[];
  requests?: { row: number }[];
}

describe('deletion authority over HTTP (time-skipping server, real workers and simulator)', () => {
  let stack: LifecycleTestStack;
  let api: RunningHttpApi;
  const audits: AuditRecord[] = [];

  before(async () => {
    stack = await startLifecycleTestStack({ server: 'time-skipping' });
    await stack.startWorkers();
    api = await startHttpApi({
      temporalClient: stack.env.client,
      store,
      policies: { onboarding: onboardingPolicy(), offboarding: policy },
      apiKey: KEY,
      adminApiKey: ADMIN_KEY,
      port: 0,
      audit: (record) => audits.push(record),
    });
  });
  after(async () => {
    await api?.close();
    await stack?.close();
  });
  afterEach(async () => {
    await stack.terminateLeftoverRuns();
  });

  async function call(path: string, body: unknown, key: string): Promise<{ status: number; body: Body }> {
    const response = await fetch(`${api.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Body };
  }
  const assertNothingStarted = (externalID: string) =>
    assert.rejects(
      stack.env.client.workflow.getHandle(`offboarding-${externalID}`).describe(),
      WorkflowNotFoundError,
    );
  async function activeEmployee(): Promise<string> {
    const externalID = `leaver-${uniqueSuffix()}`;
    await stack.control.seedUser({
      externalID,
      userName: externalID,
      emails: [{ value: `${externalID}@example.test`, primary: true }],
      status: 'activated',
    });
    return externalID;
  }

  it('scenario 1: retentionDays 0 with the HR key is a 403 naming the rule; nothing starts, the account stays', async () => {
    const externalID = await activeEmployee();
    const refused = await call('/v1/offboardings', { externalID, retentionDays: 0 }, KEY);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error, 'forbidden');
    assert.equal(refused.body.rule, earlyDeletionRule);
    assert.equal(refused.body.field, 'retentionDays');
    assert.match(refused.body.message ?? '', /early-deletion-needs-admin-key/);
    assert.match(refused.body.message ?? '', /LIFECYCLE_ADMIN_API_KEY/);
    await assertNothingStarted(externalID);
    const account = await stack.control.user(externalID);
    assert.equal(account?.status, 'activated', 'the account is still in place, untouched');
  });

  it('refuses the HR key a retention below the policy and a deleteAt earlier than it allows; the policy itself passes', async () => {
    const externalID = await activeEmployee();
    const shorter = await call('/v1/offboardings', { externalID, retentionDays: 29 }, KEY);
    assert.equal(shorter.status, 403);
    assert.deepEqual([shorter.body.rule, shorter.body.field], [earlyDeletionRule, 'retentionDays']);
    const past = await call('/v1/offboardings', { externalID, deleteAt: '2020-01-01T00:00:00Z' }, KEY);
    assert.equal(past.status, 403);
    assert.deepEqual([past.body.rule, past.body.field], [earlyDeletionRule, 'deleteAt']);
    // After the last working day, less than the policy's 30 days later.
    const lastWorkingDay = new Date(Date.now() + 10 * day).toISOString().slice(0, 10);
    const soonAfter = await call(
      '/v1/offboardings',
      { externalID, lastWorkingDay, deleteAt: new Date(Date.now() + 20 * day).toISOString() },
      KEY,
    );
    assert.equal(soonAfter.status, 403);
    assert.equal(soonAfter.body.field, 'deleteAt');
    await assertNothingStarted(externalID);
    assert.equal(audits.filter((record) => record.externalID === externalID).length, 0);

    // The policy's retention (or longer) is HR's to ask: it starts (scheduled for later, so it waits).
    stack.track({ workflowId: `offboarding-${externalID}` });
    const policyRetention = await call(
      '/v1/offboardings',
      { externalID, lastWorkingDay, retentionDays: 30 },
      KEY,
    );
    assert.equal(policyRetention.status, 202);
  });

  it('lets the support key start a deletion sooner than the policy, and audits who asked', async () => {
    const externalID = `leaver-${uniqueSuffix()}`;
    stack.track({ workflowId: `offboarding-${externalID}` });
    const lastWorkingDay = new Date(Date.now() + 10 * day).toISOString().slice(0, 10);
    const started = await call(
      '/v1/offboardings',
      { externalID, lastWorkingDay, retentionDays: 0 },
      ADMIN_KEY,
    );
    assert.equal(started.status, 202);
    assert.equal(started.body.status, 'started');
    const lines = audits.filter((record) => record.externalID === externalID);
    // Two lines: the start itself (as for every start) and the shortening, which names the rule.
    assert.deepEqual(lines.map((record) => record.event).sort(), [
      'offboarding-started',
      'retention-shortened',
    ]);
    const audit = lines.find((record) => record.event === 'retention-shortened');
    assert.equal(audit?.via, 'admin-key');
    assert.equal(audit?.outcome, 'started');
    assert.equal(audit?.workflowId, `offboarding-${externalID}`);
  });

  it('releasing a legal hold needs the support key: 403 for the HR key, before the run is asked', async () => {
    const externalID = `leaver-${uniqueSuffix()}`;
    const refused = await call(`/v1/offboardings/${externalID}/legal-hold/release`, {}, KEY);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error, 'forbidden');
    assert.match(refused.body.message ?? '', /LIFECYCLE_ADMIN_API_KEY/);
    // The support key gets through to the run (there is none here: 404).
    const support = await call(`/v1/offboardings/${externalID}/legal-hold/release`, {}, ADMIN_KEY);
    assert.equal(support.status, 404);
  });

  const importRows = (suffix: string) => [
    ['externalID', 'retentionDays', 'deleteAt'],
    [`keep-${suffix}`, '30', ''],
    [`zero-${suffix}`, '0', ''],
    [`past-${suffix}`, '', '2020-01-01T00:00:00Z'],
  ];
  const csvOf = (rows: string[][]) => rows.map((row) => row.join(',')).join('\n') + '\n';
  async function xlsxOf(rows: string[][]): Promise<Buffer> {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Leavers');
    // Typed cells as HR exports them: retention days as numbers (the header row stays text).
    rows.forEach((row, rowIndex) =>
      sheet.addRow(row.map((cell, index) => (rowIndex > 0 && index === 1 && cell ? Number(cell) : cell))),
    );
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  for (const format of ['csv', 'xlsx'] as const) {
    it(`${format} dry run with the HR key rejects the rows that would delete early, naming row, field and rule`, async () => {
      const suffix = uniqueSuffix();
      const rows = importRows(suffix);
      const content = format === 'csv' ? Buffer.from(csvOf(rows)) : await xlsxOf(rows);
      const body = {
        kind: 'offboarding',
        content: content.toString('base64'),
        fileName: `leavers.${format}`,
      };

      const hr = await call('/v1/imports/dry-run', body, KEY);
      assert.equal(hr.status, 200, JSON.stringify(hr.body));
      assert.deepEqual(hr.body.summary && [hr.body.summary.wouldStart, hr.body.summary.rejected], [1, 2]);
      const byId = new Map(hr.body.rows?.map((row) => [row.externalID, row]));
      assert.equal(byId.get(`keep-${suffix}`)?.result, 'would-start');
      const zero = byId.get(`zero-${suffix}`);
      const past = byId.get(`past-${suffix}`);
      assert.deepEqual(
        [zero?.row, zero?.result, zero?.problems?.[0]?.field],
        [3, 'rejected', 'retentionDays'],
      );
      assert.deepEqual([past?.row, past?.result, past?.problems?.[0]?.field], [4, 'rejected', 'deleteAt']);
      for (const row of [zero, past])
        assert.match(row?.problems?.[0]?.message ?? '', /early-deletion-needs-admin-key/);
      assert.deepEqual(
        hr.body.requests?.map((request) => request.row),
        [2],
        'only the allowed row is offered for a start',
      );

      const support = await call('/v1/imports/dry-run', body, ADMIN_KEY);
      assert.equal(support.status, 200);
      assert.deepEqual(
        support.body.summary && [support.body.summary.wouldStart, support.body.summary.rejected],
        [3, 0],
      );
    });
  }
});
