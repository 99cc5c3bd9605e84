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
    policies: { onboarding: defaultOnboardingPolicy, offboarding: defaultOffboardingPolicy },
    apiKey: KEY,
    adminApiKey: ADMIN_KEY,
    ...deps,
  });

interface ErrorBody {
  error: string;
  message: string;
  limit?: string;
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
});
