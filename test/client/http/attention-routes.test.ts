/**
 * The needs-attention routes where they answer before any run is touched: a bad correction is a 400
 * naming each field (nothing sent), the bulk retry takes the support key only and checks its body,
 * and the OpenAPI document describes the three routes. End to end: attention-api.test.ts.
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

/** Any Temporal call fails the test: these requests must be answered before one. */
const noTemporal = {
  connection: { withDeadline: <T>(_deadline: number, work: () => Promise<T>) => work() },
  workflow: new Proxy({}, { get: () => () => assert.fail('a request reached Temporal') }),
} as unknown as Client;

const api = () =>
  buildHttpApi({
    temporalClient: noTemporal,
    store,
    policies: { onboarding: defaultOnboardingPolicy, offboarding: defaultOffboardingPolicy },
    apiKey: KEY,
    adminApiKey: ADMIN_KEY,
  });

const post = (url: string, body: unknown, key = KEY) =>
  api().inject({
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });

interface ErrorBody {
  error: string;
  problems?: { field: string; message: string }[];
}

describe('needs-attention routes: answers before any run is touched', () => {
  it('a correction is checked by the start request’s rules: every bad field in one 400', async () => {
    const answer = await post('/v1/onboardings/emp-1/correction', {
      email: 'not-an-email',
      groupIDs: [''],
      externalID: 'emp-2',
    });
    assert.equal(answer.statusCode, 400);
    const body = answer.json<ErrorBody>();
    assert.equal(body.error, 'invalid_request');
    const fields = (body.problems ?? []).map((problem) => problem.field).sort();
    assert.deepEqual(fields, ['(input)', 'email', 'groupIDs.0']);
    const empty = await post('/v1/onboardings/emp-1/correction', {});
    assert.equal(empty.statusCode, 400);
    assert.match(empty.json<ErrorBody>().problems?.[0]?.message ?? '', /at least one field/);
  });

  it('the bulk retry takes the support key only and checks its body', async () => {
    assert.equal((await post('/v1/retries', { code: 'auth' })).statusCode, 403);
    const bad = await post('/v1/retries', { code: 'token', dryRun: 'yes' }, ADMIN_KEY);
    assert.equal(bad.statusCode, 400);
    assert.deepEqual((bad.json<ErrorBody>().problems ?? []).map((problem) => problem.field).sort(), [
      'code',
      'dryRun',
    ]);
    const retry = await post('/v1/people/emp-1/retry', { now: true });
    assert.equal(retry.statusCode, 400);
  });

  it('the OpenAPI document describes the three routes and the key each needs', async () => {
    const answer = await api().inject({
      method: 'GET',
      url: '/v1/openapi.json',
      headers: { authorization: `Bearer ${KEY}` },
    });
    const document = answer.json<{
      paths: Record<string, Record<string, { 'x-required-key': string; responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown> };
    }>();
    assert.equal(
      document.paths['/v1/onboardings/{externalID}/correction']?.post?.['x-required-key'],
      'lifecycle',
    );
    assert.equal(document.paths['/v1/people/{externalID}/retry']?.post?.['x-required-key'], 'lifecycle');
    assert.equal(document.paths['/v1/retries']?.post?.['x-required-key'], 'admin');
    for (const schema of ['OnboardingCorrection', 'BulkRetryRequest', 'AttentionReason', 'BulkRetryResult']) {
      assert.ok(document.components.schemas[schema], schema);
    }
  });
});
