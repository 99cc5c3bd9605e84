/**
 * `GET /v1/runs?q=`: the people search of the HR console (#17). Names are ciphertext in Temporal, so
 * the API matches them by decrypting each person's onboarding input with its payload key; an API
 * without the key matches externalIDs only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '@temporalio/client';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { buildHttpApi } from '../../../client/http/app';
import { startOnboarding } from '../../../client/lifecycle-runs';
import { type RunSummary } from '../../../client/run-list';
import { defaultOffboardingPolicy } from '../../../lifecycle/offboarding-request';
import { newHire, onboardingPolicy } from '../../helpers/people';
import { startDevServerEnvironment } from '../../helpers/temporal';
import { waitFor } from '../../helpers/waiting';
import { lazyTempStore } from '../../helpers/temp-store';

/** The store behind GET /v1/people (opened only if a request reaches it). */
const store = lazyTempStore();

const KEY = 'hr-key-'.padEnd(32, 'x');

describe('GET /v1/runs?q= (dev server, encrypted inputs, no worker)', () => {
  let env: TestWorkflowEnvironment;
  const ada = newHire();
  const grace = newHire({ firstName: 'Grace', lastName: 'Hopper' });

  const runs = async (client: Client, q?: string): Promise<RunSummary[]> => {
    const api = buildHttpApi({
      temporalClient: client,
      store,
      policies: { onboarding: onboardingPolicy(), offboarding: defaultOffboardingPolicy },
      apiKey: KEY,
    });
    try {
      const answer = await api.inject({
        method: 'GET',
        url: `/v1/runs?limit=100${q === undefined ? '' : `&q=${encodeURIComponent(q)}`}`,
        headers: { authorization: `Bearer ${KEY}` },
      });
      assert.equal(answer.statusCode, 200, answer.body);
      return answer.json<{ runs: RunSummary[] }>().runs;
    } finally {
      await api.close();
    }
  };

  before(async () => {
    env = await startDevServerEnvironment();
    for (const hire of [ada, grace]) await startOnboarding(env.client, hire, onboardingPolicy());
    // Visibility is eventually consistent: wait until both runs are listed.
    await waitFor(
      () => runs(env.client),
      (listed) => listed.length === 2,
      { what: 'both onboardings listed' },
    );
  });
  after(async () => {
    await env?.teardown();
  });

  it('matches part of a name, case-insensitive, and answers the name with the run', async () => {
    const found = await runs(env.client, 'loveLACE');
    assert.deepEqual(
      found.map((run) => [run.externalID, run.name]),
      [[ada.externalID, 'Ada Lovelace']],
    );
    assert.deepEqual(
      (await runs(env.client, 'grace h')).map((run) => run.externalID),
      [grace.externalID],
    );
  });

  it('still matches the externalID, and nothing for text in neither', async () => {
    assert.deepEqual(
      (await runs(env.client, grace.externalID.toUpperCase())).map((run) => run.externalID),
      [grace.externalID],
    );
    assert.deepEqual(await runs(env.client, 'nobody-by-that-name'), []);
  });

  it('matches externalIDs only when the API has no payload key', async () => {
    const withoutKey = new Client({ connection: env.connection, namespace: 'default' });
    assert.deepEqual(await runs(withoutKey, 'Lovelace'), []);
    assert.deepEqual(
      (await runs(withoutKey, ada.externalID)).map((run) => run.externalID),
      [ada.externalID],
    );
  });

  it('refuses an empty search', async () => {
    const api = buildHttpApi({
      temporalClient: env.client,
      store,
      policies: { onboarding: onboardingPolicy(), offboarding: defaultOffboardingPolicy },
      apiKey: KEY,
    });
    const answer = await api.inject({
      method: 'GET',
      url: '/v1/runs?q=%20',
      headers: { authorization: `Bearer ${KEY}` },
    });
    await api.close();
    assert.equal(answer.statusCode, 400);
    assert.equal(answer.json<{ problems: { field: string }[] }>().problems[0]?.field, 'q');
  });
});
