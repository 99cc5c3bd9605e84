/**
 * The lane of an offboarding's look-up at the edges: `POST /v1/offboardings` takes `lane` (`urgent` |
 * `bulk`, default urgent) and refuses anything else naming the field; an import starts its leavers in
 * the bulk lane. A real time-skipping server without workers: the runs' inputs are read from their
 * histories (decrypted with the test codec), then the runs are terminated.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { parseImportFile } from '../../../client/csv/parse-import';
import { runImport } from '../../../client/csv/run-import';
import { buildHttpApi } from '../../../client/http/app';
import { defaultOffboardingPolicy } from '../../../lifecycle/offboarding-request';
import { defaultOnboardingPolicy } from '../../../lifecycle/onboarding-request';
import { testPayloadCodec } from '../../helpers/encryption';
import { uniqueSuffix } from '../../helpers/people';
import { startTimeSkippingEnvironment } from '../../helpers/temporal';
import { lazyTempStore } from '../../helpers/temp-store';

/** The store behind GET /v1/people (opened only if a request reaches it). */
const store = lazyTempStore();

const KEY = 'hr-key-'.padEnd(32, 'x');
const policies = { onboarding: defaultOnboardingPolicy, offboarding: defaultOffboardingPolicy };

describe('the lane of an offboarding (HTTP API, CSV import)', () => {
  let env: TestWorkflowEnvironment;
  const started: string[] = [];
  before(async () => {
    env = await startTimeSkippingEnvironment();
  });
  after(async () => {
    for (const workflowId of started) {
      await env.client.workflow
        .getHandle(workflowId)
        .terminate('test over')
        .catch(() => undefined);
    }
    await env.teardown();
  });

  const post = (body: Record<string, unknown>) =>
    buildHttpApi({ temporalClient: env.client, store, policies, apiKey: KEY }).inject({
      method: 'POST',
      url: '/v1/offboardings',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });

  /** The run's workflow input, as its start event recorded it. */
  async function inputOf(workflowId: string): Promise<Record<string, unknown>> {
    started.push(workflowId);
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    const encrypted = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    assert.ok(encrypted, 'the start recorded an input');
    const [payload] = await testPayloadCodec.decode([encrypted]);
    return JSON.parse(Buffer.from(payload?.data ?? []).toString()) as Record<string, unknown>;
  }

  it('refuses a lane other than urgent or bulk: 400 naming `lane`, nothing started', async () => {
    const externalID = `lane-${uniqueSuffix()}`;
    const answer = await post({ externalID, lane: 'fast' });
    assert.equal(answer.statusCode, 400, answer.body);
    const body = answer.json<{ problems?: { field: string; message: string }[] }>();
    assert.deepEqual(
      body.problems?.map((problem) => problem.field),
      ['lane'],
    );
    assert.match(body.problems?.[0]?.message ?? '', /urgent or bulk/);
    await assert.rejects(
      () => env.client.workflow.getHandle(`offboarding-${externalID}`).describe(),
      /not found/i,
    );
  });

  it('`lane: bulk` reaches the run; without a lane (or `urgent`) its input carries none', async () => {
    const bulk = `lane-${uniqueSuffix()}`;
    assert.equal((await post({ externalID: bulk, lane: 'bulk' })).statusCode, 202);
    const bulkInput = await inputOf(`offboarding-${bulk}`);
    assert.equal(bulkInput.lane, 'bulk');
    assert.deepEqual(bulkInput.request, { externalID: bulk }, 'the lane is not part of the request');

    for (const body of [{}, { lane: 'urgent' }]) {
      const alone = `lane-${uniqueSuffix()}`;
      assert.equal((await post({ externalID: alone, ...body })).statusCode, 202);
      assert.equal('lane' in (await inputOf(`offboarding-${alone}`)), false);
    }
  });

  it('an import starts its leavers in the bulk lane', async () => {
    const externalID = `lane-${uniqueSuffix()}`;
    const parsed = parseImportFile(['externalID', externalID].join('\n'), 'offboarding');
    const outcome = await runImport(env.client, parsed, policies);
    assert.equal(outcome.summary.started, 1);
    assert.equal((await inputOf(`offboarding-${externalID}`)).lane, 'bulk');
  });
});
