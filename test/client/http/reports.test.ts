/**
 * `GET /v1/reports/{name}` on the real Fastify app with a temp SQLite store seeded with the known mix
 * (test/helpers/report-seed.ts), the policy zone Europe/Berlin and the working day ending at 18:00:
 * the exact figures, the CSV download (by `format=csv` and by `Accept`), bad input refused naming each
 * field, the keys that may read it and the OpenAPI entry. No request reaches Temporal.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Client } from '@temporalio/client';
import { buildHttpApi } from '../../../client/http/app';
import { defaultOffboardingPolicy } from '../../../lifecycle/offboarding-request';
import { defaultOnboardingPolicy } from '../../../lifecycle/onboarding-request';
import { type Report } from '../../../store';
import { connectStore } from '../../../store/connection';
import {
  REPORT_END_OF_WORKING_DAY,
  REPORT_TIME_ZONE,
  expectedDrift,
  expectedTotals,
  januaryWeeks,
  seedReconciliations,
  seedReportMix,
} from '../../helpers/report-seed';
import { type TempStore, openTempStore } from '../../helpers/temp-store';

const KEY = 'hr-key-'.padEnd(32, 'x');
const ADMIN_KEY = 'support-key-'.padEnd(32, 'y');

/** Any Temporal call fails the test: reports answer from the store alone. */
const noTemporal = {
  connection: { withDeadline: <T>(_deadline: number, work: () => Promise<T>) => work() },
  get workflow(): never {
    throw new Error('reached Temporal');
  },
} as unknown as Client;

describe('GET /v1/reports/{name}', () => {
  let store: TempStore;
  const api = () =>
    buildHttpApi({
      temporalClient: noTemporal,
      store,
      policies: {
        onboarding: { ...defaultOnboardingPolicy, timeZone: REPORT_TIME_ZONE },
        offboarding: {
          ...defaultOffboardingPolicy,
          timeZone: REPORT_TIME_ZONE,
          endOfWorkingDay: REPORT_END_OF_WORKING_DAY,
        },
      },
      apiKey: KEY,
      adminApiKey: ADMIN_KEY,
    });
  const get = (path: string, key: string | null = KEY, headers: Record<string, string> = {}) =>
    api().inject({
      method: 'GET',
      url: path,
      headers: { ...headers, ...(key !== null && { authorization: `Bearer ${key}` }) },
    });
  const january = '?from=2027-01-01&to=2027-01-31';

  before(async () => {
    store = await openTempStore();
    await seedReportMix(store, 'rep');
  });
  after(() => store.close());

  for (const name of Object.keys(expectedTotals) as (keyof typeof expectedTotals)[]) {
    it(`${name}: the seeded figures, week by week in the policy zone`, async () => {
      const answer = await get(`/v1/reports/${name}${january}`);
      assert.equal(answer.statusCode, 200, answer.body);
      const report = answer.json<Report>();
      assert.equal(report.timeZone, REPORT_TIME_ZONE);
      assert.equal(report.by, 'week');
      assert.deepEqual(report.total, expectedTotals[name]);
      assert.deepEqual(
        report.rows.map((row) => row.period),
        januaryWeeks,
      );
    });
  }

  it('reconciliation-drift answers an empty series with its note', async () => {
    const report = (await get(`/v1/reports/reconciliation-drift${january}&by=month`)).json<Report>();
    assert.deepEqual(report.columns, []);
    assert.deepEqual(
      report.rows.map((row) => row.period),
      ['2027-01'],
    );
    assert.match(report.note, /No data yet/);
  });

  it('reconciliation-drift counts the people per situation of the reconciliations in the store', async () => {
    const raw = await connectStore({ kind: 'sqlite', file: store.file });
    try {
      await seedReconciliations(store, async (planId, at) => {
        await raw.db.updateTable('reconcile_plan').set({ created_at: at }).where('id', '=', planId).execute();
      });
    } finally {
      await raw.close();
    }
    const answer = await get(`/v1/reports/reconciliation-drift${january}`);
    assert.equal(answer.statusCode, 200, answer.body);
    const report = answer.json<Report>();
    assert.deepEqual(
      Object.fromEntries(report.rows.map((row) => [row.period, row.values])),
      expectedDrift.weeks,
    );
    assert.deepEqual(report.total, expectedDrift.total);
    const csv = await get(`/v1/reports/reconciliation-drift${january}&by=month&format=csv`);
    assert.match(csv.body, /^period,from,to,reconciliations,situation:joiner,situation:future-joiner,/);
    assert.match(csv.body, /\r\ntotal,2027-01-01,2027-01-31,2,1,0,/);
  });

  it('downloads the same figures as CSV, by format=csv or by Accept: text/csv', async () => {
    const byFormat = await get(`/v1/reports/leaver-timeliness${january}&by=month&format=csv`);
    assert.equal(byFormat.statusCode, 200);
    assert.match(byFormat.headers['content-type'] as string, /^text\/csv/);
    assert.match(
      byFormat.headers['content-disposition'] as string,
      /attachment; filename="leaver-timeliness-2027-01-01-2027-01-31-by-month\.csv"/,
    );
    assert.equal(
      byFormat.body,
      'period,from,to,deactivated,medianHours,p95Hours,laterThan1Hour,startedLate,lastWorkingDayUnknown,deletedOnSchedule,deletedAfterHold\r\n' +
        '2027-01,2027-01-01,2027-01-31,2,1.52,2.85,1,1,0,1,1\r\n' +
        'total,2027-01-01,2027-01-31,2,1.52,2.85,1,1,0,1,1\r\n',
    );
    const byAccept = await get(`/v1/reports/leaver-timeliness${january}&by=month`, KEY, {
      accept: 'text/csv',
    });
    assert.equal(byAccept.body, byFormat.body);
    const json = await get(`/v1/reports/leaver-timeliness${january}&by=month&format=json`, KEY, {
      accept: 'text/csv',
    });
    assert.match(json.headers['content-type'] as string, /^application\/json/);
  });

  it('refuses bad input naming every bad field, before reading anything', async () => {
    const fields = async (path: string) => {
      const answer = await get(path);
      assert.equal(answer.statusCode, 400, answer.body);
      const body = answer.json<{ error: string; problems: { field: string }[] }>();
      assert.equal(body.error, 'invalid_request');
      return body.problems.map((problem) => problem.field).sort();
    };
    assert.deepEqual(await fields('/v1/reports/headcount?from=2027-01-01&to=2027-01-31'), ['name']);
    assert.deepEqual(await fields('/v1/reports/headcount?from=2027-13-01&by=day'), [
      'by',
      'from',
      'name',
      'to',
    ]);
    assert.deepEqual(await fields(`/v1/reports/time-to-activate${january}&format=xlsx`), ['format']);
    const unknown = await get(`/v1/reports/time-to-activate${january}&extra=1`);
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /unknown field\(s\): extra/);
    assert.deepEqual(await fields('/v1/reports/time-to-activate?from=2027-02-01&to=2027-01-01'), ['to']);
    assert.deepEqual(await fields('/v1/reports/time-to-activate?from=2020-01-01&to=2027-01-01'), ['to']);
  });

  it('is read with the HR systems’ key or the support key, never without one', async () => {
    const path = `/v1/reports/time-to-activate${january}`;
    assert.equal((await get(path, null)).statusCode, 401);
    assert.equal((await get(path, 'wrong-key'.padEnd(32, 'z'))).statusCode, 401);
    assert.equal((await get(path, ADMIN_KEY)).statusCode, 200);
    assert.equal((await get(path, KEY)).statusCode, 200);
  });

  it('is in the OpenAPI document: its parameters, the HR key, JSON and CSV answers', async () => {
    const doc = (await get('/v1/openapi.json')).json<{
      paths: Record<string, Record<string, Record<string, unknown>>>;
      components: { schemas: Record<string, { required?: string[] }> };
    }>();
    const operation = doc.paths['/v1/reports/{name}']?.get ?? {};
    assert.equal(operation.operationId, 'getReport');
    assert.equal(operation['x-required-key'], 'lifecycle');
    assert.deepEqual(
      (operation.parameters as { name: string }[]).map((parameter) => parameter.name),
      ['name', 'from', 'to', 'by', 'format'],
    );
    const content = (operation.responses as Record<string, { content: Record<string, unknown> }>)['200']
      ?.content;
    assert.deepEqual(Object.keys(content ?? {}), ['application/json', 'text/csv']);
    assert.deepEqual(doc.components.schemas.Report?.required, [
      'name',
      'from',
      'to',
      'by',
      'timeZone',
      'columns',
      'rows',
      'total',
      'note',
    ]);
  });
});
