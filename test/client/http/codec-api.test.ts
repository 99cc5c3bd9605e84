import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { temporal } from '@temporalio/proto';
import { type RunningHttpApi, startHttpApi } from '../../../client/http/server';
import { defaultOffboardingPolicy } from '../../../lifecycle/offboarding-request';
import { onboardingStatusQuery } from '../../../workflows/onboarding-messages';
import { testDataConverter } from '../../helpers/encryption';
import { type LifecycleTestStack, startLifecycleTestStack } from '../../helpers/lifecycle-stack';
import { newHire, onboardingPolicy } from '../../helpers/people';
import { waitFor } from '../../helpers/waiting';
import { lazyTempStore } from '../../helpers/temp-store';

/** The store behind GET /v1/people (opened only if a request reaches it). */
const store = lazyTempStore();

/**
 * Personal data is ciphertext in Temporal: the raw history of an onboarding (read over gRPC, without
 * any codec, as `temporal workflow show` or the database would) holds no name or email, and the HR
 * API's codec endpoint — what the Temporal UI calls — turns it back into the person's data.
 */

const ADMIN_KEY = `support-key-${randomBytes(24).toString('hex')}`;
const LIFECYCLE_KEY = `hr-key-${randomBytes(24).toString('hex')}`;
const UI_ORIGIN = 'http://127.0.0.1:8233';

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

describe('payload encryption and the codec endpoint (time-skipping server, real workers, HR API)', () => {
  let stack: LifecycleTestStack;
  let api: RunningHttpApi;
  const hire = newHire();
  let history: temporal.api.history.v1.IHistory;

  before(async () => {
    stack = await startLifecycleTestStack({ server: 'time-skipping' });
    await stack.startWorkers();
    api = await startHttpApi({
      temporalClient: stack.env.client,
      store,
      policies: { onboarding: onboardingPolicy(), offboarding: defaultOffboardingPolicy },
      apiKey: LIFECYCLE_KEY,
      adminApiKey: ADMIN_KEY,
      payloadCodecs: testDataConverter.payloadCodecs,
      codecCorsOrigin: UI_ORIGIN,
      port: 0,
    });
    const started = await fetch(`${api.url}/v1/onboardings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${LIFECYCLE_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(hire),
    });
    assert.equal(started.status, 202, await started.text());
    const workflowId = `onboarding-${hire.externalID}`;
    stack.track({ workflowId });
    // Past the account's creation: inputs, activity arguments and results are all in the history.
    await waitFor(
      () => stack.env.client.workflow.getHandle(workflowId).query(onboardingStatusQuery),
      (status) => status.stage === 'awaiting-activation',
      { what: 'awaiting-activation' },
    );
    const raw = await stack.env.connection.workflowService.getWorkflowExecutionHistory({
      namespace: 'default',
      execution: { workflowId },
    });
    history = raw.history ?? {};
  });
  after(async () => {
    await api?.close();
    await stack?.close();
  });

  const codec = (
    direction: 'decode' | 'encode',
    payloads: JsonPayload[],
    headers: Record<string, string> = {},
  ) =>
    fetch(`${api.url}/codec/${direction}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ payloads }),
    });

  const toJson = (payload: temporal.api.common.v1.IPayload): JsonPayload => ({
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([key, value]) => [
        key,
        Buffer.from(value).toString('base64'),
      ]),
    ),
    data: Buffer.from(payload.data ?? []).toString('base64'),
  });

  const startInput = () =>
    (history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? []).map(toJson);

  it('keeps every name and email out of the raw history, which holds only ciphertext', () => {
    const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
    assert.ok((history.events?.length ?? 0) > 5, 'the run went past the account creation');
    for (const personal of [hire.email, hire.lastName, hire.userName]) {
      assert.ok(!bytes.includes(personal), `${personal} is not in the history in clear`);
    }
    assert.ok(bytes.includes('binary/encrypted'), 'the payloads are encrypted');
    // Search attributes stay clear by design: the externalID (and the stage) only.
    assert.ok(bytes.includes(hire.externalID));
  });

  it('decodes the history through the codec endpoint, as the Temporal UI does', async () => {
    const answer = await codec('decode', startInput());
    assert.equal(answer.status, 200);
    const { payloads } = (await answer.json()) as { payloads: JsonPayload[] };
    const decoded = Buffer.from(payloads[0]?.data ?? '', 'base64').toString('utf8');
    assert.equal(Buffer.from(payloads[0]?.metadata?.encoding ?? '', 'base64').toString(), 'json/plain');
    const input = JSON.parse(decoded) as { request: { email: string; lastName: string } };
    assert.equal(input.request.email, hire.email);
    assert.equal(input.request.lastName, hire.lastName);

    // Encode and decode again: the endpoint's two directions agree.
    const encoded = (await (await codec('encode', payloads)).json()) as { payloads: JsonPayload[] };
    assert.ok(!Buffer.from(encoded.payloads[0]?.data ?? '', 'base64').includes(hire.email));
    const again = (await (await codec('decode', encoded.payloads)).json()) as { payloads: JsonPayload[] };
    assert.deepEqual(again.payloads, payloads);
  });

  it('answers the configured UI origin only (CORS), and refuses the HR systems’ key', async () => {
    const preflight = await fetch(`${api.url}/codec/decode`, {
      method: 'OPTIONS',
      headers: {
        origin: UI_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-namespace',
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), UI_ORIGIN);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /x-namespace/);

    const fromUi = await codec('decode', startInput(), { origin: UI_ORIGIN, 'x-namespace': 'default' });
    assert.equal(fromUi.status, 200);
    assert.equal(fromUi.headers.get('access-control-allow-origin'), UI_ORIGIN);

    const elsewhere = await codec('decode', startInput(), { origin: 'https://evil.example' });
    assert.equal(elsewhere.status, 403);
    assert.equal(elsewhere.headers.get('access-control-allow-origin'), null);
    assert.equal(((await elsewhere.json()) as { error: string }).error, 'origin_not_allowed');

    const hrKey = await codec('decode', startInput(), { authorization: `Bearer ${LIFECYCLE_KEY}` });
    assert.equal(hrKey.status, 403);
    // No other route answers a browser of another origin either.
    const runs = await fetch(`${api.url}/v1/runs`, {
      headers: { authorization: `Bearer ${LIFECYCLE_KEY}`, origin: UI_ORIGIN },
    });
    assert.equal(runs.headers.get('access-control-allow-origin'), null);
  });
});
