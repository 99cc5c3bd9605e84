/**
 * Input rules the HR API applies before any run is touched: the externalID rule of lifecycle/ on
 * bodies and paths, and the import limits (IMPORT_MAX_FILE_MB, IMPORT_MAX_ROWS, the workbook checks)
 * of the dry run the console uses. No call in these cases reaches Temporal.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Client } from '@temporalio/client';
import { buildHttpApi } from '../../../client/http/app';
import { type HttpApiDeps } from '../../../client/http/route-spec';
import { defaultOffboardingPolicy } from '../../../lifecycle/offboarding-request';
import { defaultOnboardingPolicy } from '../../../lifecycle/onboarding-request';
import { importLimits } from '../../../config/import-limits';
import { zipEntries } from '../../../client/csv/xlsx-bounds';
import { declareSize, isSheet, leaversWorkbook } from '../../helpers/crafted-xlsx';
import { lazyTempStore } from '../../helpers/temp-store';

/** The store behind GET /v1/people (opened only if a request reaches it). */
const store = lazyTempStore();

const KEY = 'hr-key-'.padEnd(32, 'x');
const ADMIN_KEY = 'support-key-'.padEnd(32, 'y');

/** Any Temporal call fails the test: every case here must be answered before one. */
const noTemporal = {
  connection: { withDeadline: <T>(_deadline: number, work: () => Promise<T>) => work() },
  get workflow(): never {
    throw new Error('reached Temporal');
  },
} as unknown as Client;

const api = (deps: Partial<HttpApiDeps> = {}) =>
  buildHttpApi({
    temporalClient: noTemporal,
    store,
    policies: { onboarding: defaultOnboardingPolicy, offboarding: defaultOffboardingPolicy },
    apiKey: KEY,
    adminApiKey: ADMIN_KEY,
    ...deps,
  });

interface ErrorBody {
  error: string;
  message: string;
  limit?: string;
  limitMb?: number;
  problems?: { field: string; message: string }[];
}

describe('HR API input rules', () => {
  describe('externalID', () => {
    it('refuses a body externalID with a zero-width, bidi or C1 character or not in NFC: 400 naming it', async () => {
      const app = api();
      for (const [externalID, reason] of [
        ['emp\u200b-1', /U\+200B/],
        ['emp-1\u202e', /U\+202E/],
        ['emp\u0085-1', /U\+0085/],
        ['\ufeffemp-1', /U\+FEFF/],
        ['Jose\u0301', /NFC/],
      ] as const) {
        const answer = await app.inject({
          method: 'POST',
          url: '/v1/offboardings',
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
          payload: JSON.stringify({ externalID }),
        });
        assert.equal(answer.statusCode, 400, answer.body);
        const body = answer.json<ErrorBody>();
        assert.deepEqual(
          body.problems?.map((problem) => problem.field),
          ['externalID'],
        );
        assert.match(body.problems?.[0]?.message ?? '', reason);
      }
    });

    it('refuses such an id in a path too (look-ups and actions): 400 naming externalID', async () => {
      const app = api();
      for (const [method, url] of [
        ['GET', `/v1/people/${encodeURIComponent('emp\u200d-1')}`],
        ['POST', `/v1/offboardings/${encodeURIComponent('emp-1\u2066')}/delete-now`],
      ] as const) {
        const answer = await app.inject({ method, url, headers: { authorization: `Bearer ${ADMIN_KEY}` } });
        assert.equal(answer.statusCode, 400, `${method} ${url}: ${answer.body}`);
        assert.deepEqual(
          answer.json<ErrorBody>().problems?.map((problem) => problem.field),
          ['externalID'],
        );
      }
    });
  });

  describe('import dry run limits (IMPORT_MAX_FILE_MB = 1, IMPORT_MAX_ROWS = 3 here)', () => {
    const limited = () => api({ importLimits: importLimits(3, 1) });
    const dryRun = (app: ReturnType<typeof api>, content: Buffer) =>
      app.inject({
        method: 'POST',
        url: '/v1/imports/dry-run',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ kind: 'offboarding', content: content.toString('base64') }),
      });
    const leavers = (count: number) =>
      Buffer.from(['externalID', ...Array.from({ length: count }, (_, i) => `emp-${i}`)].join('\n'), 'utf8');

    it('answers 413 naming IMPORT_MAX_FILE_MB for a file just over it, and for a body far over it', async () => {
      const app = limited();
      const justOver = Buffer.concat([leavers(1), Buffer.alloc(1024 * 1024, 0x0a)]);
      const farOver = Buffer.alloc(3 * 1024 * 1024, 0x0a);
      for (const file of [justOver, farOver]) {
        const answer = await dryRun(app, file);
        assert.equal(answer.statusCode, 413, answer.body);
        const body = answer.json<ErrorBody>();
        assert.equal(body.error, 'payload_too_large');
        assert.equal(body.limit, 'IMPORT_MAX_FILE_MB');
        assert.equal(body.limitMb, 1);
        assert.match(body.message, /IMPORT_MAX_FILE_MB \(1 MiB\)/);
      }
    });

    it('answers 400 naming IMPORT_MAX_ROWS for a CSV or an .xlsx with more rows (a far cell counts)', async () => {
      const app = limited();
      const far = await leaversWorkbook((sheet) => (sheet.getCell('A1048576').value = 'x'));
      for (const file of [leavers(4), far]) {
        const answer = await dryRun(app, file);
        assert.equal(answer.statusCode, 400, answer.body);
        const body = answer.json<ErrorBody>();
        assert.equal(body.limit, 'IMPORT_MAX_ROWS');
        assert.match(body.message, /IMPORT_MAX_ROWS \(3\)/);
        assert.deepEqual(
          body.problems?.map((problem) => problem.field),
          ['content'],
        );
      }
    });

    it('answers 413 for a small .xlsx whose zip declares a huge unpacked size', async () => {
      const honest = await leaversWorkbook(() => undefined);
      const sheet = zipEntries(honest).find((entry) => isSheet(entry.name))?.name ?? '';
      const answer = await dryRun(api(), declareSize(honest, sheet, 0xf0000000));
      assert.equal(answer.statusCode, 413, answer.body);
      assert.equal(answer.json<ErrorBody>().limit, 'IMPORT_MAX_FILE_MB');
      assert.match(answer.json<ErrorBody>().message, /unpacked/);
    });

    it('still reads a file within the limits (rows at the limit are judged, not refused)', async () => {
      const answer = await dryRun(
        limited(),
        Buffer.from('externalID,retentionDays\ne-1,x\ne-2,x\ne-3,x', 'utf8'),
      );
      assert.equal(answer.statusCode, 200, answer.body);
      assert.equal(answer.json<{ rowCount: number }>().rowCount, 3);
    });
  });
});
