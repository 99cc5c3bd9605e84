/**
 * The two routes the HR console added, where they answer before any run is touched: the import dry
 * run reads files with the CLI's code and names what is wrong (unknown headers, rejected rows, bad
 * base64); the bulk list is for the support key only. The browser test (test/console/) covers both
 * against a real Temporal.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Client } from '@temporalio/client';
import { buildHttpApi } from '../../../client/http/app';
import { defaultOffboardingPolicy } from '../../../lifecycle/offboarding-request';
import { defaultOnboardingPolicy } from '../../../lifecycle/onboarding-request';
import { lazyTempStore } from '../../helpers/temp-store';

/** The store behind GET /v1/people (opened only if a request reaches it). */
const store = lazyTempStore();

const KEY = 'hr-key-'.padEnd(32, 'x');
const ADMIN_KEY = 'support-key-'.padEnd(32, 'y');

/** Runs each request's Temporal work at once; no call in these cases reaches Temporal itself. */
const noTemporal = {
  connection: { withDeadline: <T>(_deadline: number, work: () => Promise<T>) => work() },
} as unknown as Client;

const api = () =>
  buildHttpApi({
    temporalClient: noTemporal,
    store,
    policies: { onboarding: defaultOnboardingPolicy, offboarding: defaultOffboardingPolicy },
    apiKey: KEY,
    adminApiKey: ADMIN_KEY,
  });

const dryRun = (body: unknown, key = KEY) =>
  api().inject({
    method: 'POST',
    url: '/v1/imports/dry-run',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

interface DryRunBody {
  summary: { rejected: number; wouldStart: number };
  mapping: { column: number; header: string; target: string; matchedBy: string }[];
  rows: { row: number; result: string; problems?: { field: string; message: string }[] }[];
  requests: unknown[];
  problems?: { field: string; message: string }[];
}

describe('HR console routes', () => {
  it('import dry run of leaves: kind leave reads leave files, every rejected row naming its field', async () => {
    const csv = 'Employee ID,Leave Start Date,Return Date\nemp-1,2027-03-01,2027-02-01\nemp-2,,2027-05-01\n';
    const answer = await dryRun({ kind: 'leave', content: base64(csv), fileName: 'leaves.csv' });
    assert.equal(answer.statusCode, 200, answer.body);
    const body = answer.json<DryRunBody & { lifecycle: string }>();
    assert.equal(body.lifecycle, 'leave');
    assert.deepEqual(
      body.mapping.map((column) => [column.header, column.target]),
      [
        ['Employee ID', 'externalID'],
        ['Leave Start Date', 'from'],
        ['Return Date', 'until'],
      ],
    );
    assert.deepEqual(
      body.rows.map((row) => [row.row, row.result, row.problems?.map((problem) => problem.field)]),
      [
        [2, 'rejected', ['until']],
        [3, 'rejected', ['from']],
      ],
    );
    assert.deepEqual(body.requests, []);
    const wrongKind = await dryRun({ kind: 'leaves', content: base64(csv) });
    assert.equal(wrongKind.statusCode, 400);
    assert.match(wrongKind.body, /must be onboarding, offboarding or leave/);
  });

  it('import dry run: how each column was read and every rejected row with its reasons', async () => {
    const csv =
      'Employee ID;User Name;First Name;Last Name;Work Email\nemp-1;ada;Ada;Lovelace;not-an-email\n';
    const answer = await dryRun({ kind: 'onboarding', content: base64(csv), fileName: 'hires.csv' });
    assert.equal(answer.statusCode, 200, answer.body);
    const body = answer.json<DryRunBody>();
    assert.deepEqual(body.mapping[0], {
      column: 1,
      header: 'Employee ID',
      target: 'externalID',
      matchedBy: 'alias',
    });
    assert.equal(body.summary.rejected, 1);
    assert.equal(body.rows[0]?.result, 'rejected');
    assert.deepEqual(body.rows[0]?.problems, [{ field: 'email', message: 'must be an email address' }]);
    assert.deepEqual(body.requests, []);
  });

  it('import dry run: a file that cannot be read is a 400 naming why; so is content that is not base64', async () => {
    const unknown = await dryRun({
      kind: 'offboarding',
      content: base64('externalID,Favourite Colour\nemp-1,blue\n'),
    });
    assert.equal(unknown.statusCode, 400);
    const problems = unknown.json<DryRunBody>().problems ?? [];
    assert.ok(problems.every((problem) => problem.field === 'content'));
    assert.match(problems.map((problem) => problem.message).join(' '), /Favourite Colour/);
    // A header mapping, as `--map`, makes the same file readable.
    const mapped = await dryRun({
      kind: 'offboarding',
      content: base64('externalID,Favourite Colour\n,blue\n'),
      map: { 'Favourite Colour': 'ignore' },
    });
    assert.equal(mapped.statusCode, 200, mapped.body);
    const notBase64 = await dryRun({ kind: 'onboarding', content: 'not base64!' });
    assert.equal(notBase64.statusCode, 400);
    assert.equal(notBase64.json<DryRunBody>().problems?.[0]?.field, 'content');
  });

  it('bulk run list: the support key only', async () => {
    const answer = await api().inject({
      method: 'GET',
      url: '/v1/bulk',
      headers: { authorization: `Bearer ${KEY}` },
    });
    assert.equal(answer.statusCode, 403);
    assert.equal(answer.json<{ error: string }>().error, 'forbidden');
  });
});
