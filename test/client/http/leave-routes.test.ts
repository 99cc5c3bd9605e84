/**
 * The leave routes over HTTP (Fastify inject) against a real time-skipping server with the real worker
 * and the simulator: validation at the edge naming the field, start and repeat, a new first day back,
 * end now with its reactivation, and the audit lines.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildHttpApi } from '../../../client/http/app';
import type { AuditRecord } from '../../../lifecycle/audit/audit-record';
import { shiftDate } from '../../../lifecycle/calendar';
import { defaultOffboardingPolicy } from '../../../lifecycle/offboarding-request';
import { defaultOnboardingPolicy } from '../../../lifecycle/onboarding-request';
import { type LifecycleTestStack, useLifecycleTestStack } from '../../helpers/lifecycle-stack';
import { seedLeaver } from '../../helpers/offboarding-runs';
import { lazyTempStore } from '../../helpers/temp-store';
import { uniqueSuffix } from '../../helpers/people';

const store = lazyTempStore();
const KEY = 'hr-key-'.padEnd(32, 'x');
const policies = { onboarding: defaultOnboardingPolicy, offboarding: defaultOffboardingPolicy };

describe('leave routes (HTTP API, time-skipping server, real worker and simulator)', () => {
  let stack: LifecycleTestStack;
  useLifecycleTestStack(
    { server: 'time-skipping', longLivedWorkers: true, resetSimulatorBeforeEach: true },
    (started) => (stack = started),
  );
  const audits: AuditRecord[] = [];
  const post = (url: string, body: Record<string, unknown>) =>
    buildHttpApi({
      temporalClient: stack.env.client,
      store,
      policies,
      apiKey: KEY,
      audit: (record) => audits.push(record),
    }).inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
  const today = async () => new Date(await stack.env.currentTimeMs()).toISOString().slice(0, 10);
  const fieldsOf = (answer: { json: <T>() => T }) =>
    answer.json<{ problems?: { field: string }[] }>().problems?.map((problem) => problem.field);

  it('refuses a bad leave naming the field; nothing starts', async () => {
    const externalID = `leave-${uniqueSuffix()}`;
    const from = await today();
    const answer = await post('/v1/leaves', { externalID, from, until: shiftDate(from, -1) });
    assert.equal(answer.statusCode, 400, answer.body);
    assert.deepEqual(fieldsOf(answer), ['until']);
    assert.deepEqual(fieldsOf(await post('/v1/leaves', { externalID, from: '1 March' })), ['from']);
    await assert.rejects(stack.env.client.workflow.getHandle(`leave-${externalID}`).describe(), /not found/i);
  });

  it('starts a leave (a repeat finds it), moves the first day back, and ends it now with a reactivation', async () => {
    const person = await seedLeaver(stack.control, { sessions: 1 });
    const from = await today();
    const started = await post('/v1/leaves', {
      externalID: person.externalID,
      from,
      until: shiftDate(from, 30),
    });
    assert.equal(started.statusCode, 202, started.body);
    assert.equal(started.json<{ workflowId: string }>().workflowId, `leave-${person.externalID}`);
    const again = await post('/v1/leaves', { externalID: person.externalID, from });
    assert.equal(again.json<{ status: string }>().status, 'already-running');

    const base = `/v1/leaves/${person.externalID}`;
    assert.deepEqual(fieldsOf(await post(`${base}/until`, { until: 'soon' })), ['until']);
    const moved = await post(`${base}/until`, { until: shiftDate(from, 60) });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.equal(moved.json<{ leave: { until: string } }>().leave.until, shiftDate(from, 60));

    const ended = await post(`${base}/end`, { reason: 'back early' });
    assert.equal(ended.statusCode, 200, ended.body);
    const outcome = ended.json<{ outcome: { result: string; reactivated: boolean } }>().outcome;
    assert.equal(outcome.result, 'ended');
    assert.equal(outcome.reactivated, true);
    assert.equal((await stack.control.user(person.externalID))?.status, 'activated');
    assert.equal((await post(`${base}/cancel`, {})).statusCode, 404);

    const mine = audits
      .filter((record) => record.externalID === person.externalID)
      .map((record) => record.event);
    assert.deepEqual(mine, ['leave-started', 'leave-started', 'leave-until-changed', 'leave-ended']);
    assert.equal(audits.find((record) => record.event === 'leave-ended')?.outcome, 'reactivated');
  });
});
