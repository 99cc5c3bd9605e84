/**
 * Every act on a person through the HR API writes one audit line: who (the SSO proxy's trusted
 * header, and what `X-Requested-By` claims), what (the event), when (`at`) and the run (workflow id).
 * The acts are derived from the routes: every POST on a person (`{externalID}` in its path) and the
 * two starts, so a new one without an audit line fails here. Real HTTP, the time-skipping server,
 * real workers and the simulator.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { WorkflowNotFoundError } from '@temporalio/client';
import { apiRoutes } from '../../../client/http/app';
import { type RunningHttpApi, startHttpApi } from '../../../client/http/server';
import { type AuditEvent, type AuditRecord, auditFields } from '../../../lifecycle/audit/audit-record';
import { defaultOffboardingPolicy } from '../../../lifecycle/offboarding-request';
import { lifecycleWorkflowId } from '../../../lifecycle/workflow-ids';
import { offboardingStatusQuery } from '../../../workflows/offboarding-messages';
import { onboardingStatusQuery } from '../../../workflows/onboarding-messages';
import { type LifecycleTestStack, useLifecycleTestStack } from '../../helpers/lifecycle-stack';
import { newHire, onboardingPolicy, uniqueSuffix } from '../../helpers/people';
import { waitFor } from '../../helpers/waiting';
import { lazyTempStore } from '../../helpers/temp-store';

/** The store behind GET /v1/people (opened only if a request reaches it). */
const store = lazyTempStore();

const KEY = `hr-key-${randomBytes(16).toString('hex')}`;
const ADMIN_KEY = `support-key-${randomBytes(16).toString('hex')}`;
const OPERATOR = 'grace.hopper@sso';
const CLAIMED = 'someone-important';

/** What each act on a person writes, by the route's operationId. */
const expectedEvents: Record<string, AuditEvent> = {
  startOnboarding: 'onboarding-started',
  startOffboarding: 'offboarding-started',
  onboardingActivated: 'onboarding-activation-reported',
  cancelOnboarding: 'onboarding-cancelled',
  changeStartDate: 'start-date-changed',
  correctOnboarding: 'onboarding-corrected',
  retryPerson: 'retry-requested',
  cancelOffboarding: 'offboarding-cancelled',
  deleteNow: 'delete-now-requested',
  placeLegalHold: 'legal-hold-placed',
  releaseLegalHold: 'legal-hold-released',
  changeRetention: 'retention-changed',
  changePerson: 'person-change-requested',
  sendRecoveryCode: 'recovery-code-requested',
  logOutPerson: 'logout-requested',
  startLeave: 'leave-started',
  changeLeaveUntil: 'leave-until-changed',
  endLeave: 'leave-ended',
  cancelLeave: 'leave-cancelled',
};

/** The routes that act on one person: POSTs on `{externalID}`, and the starts (externalID in the body). */
const personActs = apiRoutes.filter(
  (route) =>
    route.method === 'POST' &&
    (route.path.includes('{externalID}') ||
      route.path === '/v1/onboardings' ||
      route.path === '/v1/offboardings' ||
      route.path === '/v1/leaves'),
);

describe('audit lines of every act on a person (HR API, trusted user header)', () => {
  let stack: LifecycleTestStack;
  let api: RunningHttpApi;
  /** The same API without LIFECYCLE_TRUSTED_USER_HEADER. */
  let untrustedApi: RunningHttpApi;
  const records: AuditRecord[] = [];
  const untrustedRecords: AuditRecord[] = [];
  /** Which externalID and operationId each call was for, to find its line. */
  const calls: { operationId: string; externalID: string; workflowId: string }[] = [];
  const people: { firstName: string; lastName: string; email: string; userName: string }[] = [];

  useLifecycleTestStack({ server: 'time-skipping', longLivedWorkers: true }, (started) => (stack = started));
  before(async () => {
    const common = {
      temporalClient: stack.env.client,
      store,
      policies: { onboarding: onboardingPolicy(), offboarding: defaultOffboardingPolicy },
      apiKey: KEY,
      adminApiKey: ADMIN_KEY,
      port: 0,
    };
    api = await startHttpApi({
      ...common,
      trustedUserHeader: 'X-Forwarded-User',
      audit: (record) => records.push(record),
    });
    untrustedApi = await startHttpApi({ ...common, audit: (record) => untrustedRecords.push(record) });
  });
  after(async () => {
    await api?.close();
    await untrustedApi?.close();
  });

  async function post<T = Record<string, unknown>>(
    path: string,
    body: unknown,
    options: { key?: string; headers?: Record<string, string>; base?: RunningHttpApi } = {},
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${(options.base ?? api).url}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${options.key ?? KEY}`,
        'content-type': 'application/json',
        'x-forwarded-user': OPERATOR,
        'x-requested-by': CLAIMED,
        ...options.headers,
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  /** One act: the call must succeed (2xx), and is remembered for the audit check. */
  async function act(
    operationId: string,
    externalID: string,
    workflowId: string,
    path: string,
    body: unknown,
    key = KEY,
  ): Promise<Record<string, unknown>> {
    const answer = await post(path, body, { key });
    assert.ok(answer.status >= 200 && answer.status < 300, `${operationId}: ${JSON.stringify(answer.body)}`);
    calls.push({ operationId, externalID, workflowId });
    return answer.body;
  }

  const onboardingStage = (externalID: string) =>
    stack.env.client.workflow
      .getHandle(lifecycleWorkflowId('onboarding', externalID))
      .query(onboardingStatusQuery);
  const offboardingStage = (externalID: string) =>
    stack.env.client.workflow
      .getHandle(lifecycleWorkflowId('offboarding', externalID))
      .query(offboardingStatusQuery);

  async function seedLeaver(): Promise<string> {
    const id = uniqueSuffix();
    const person = {
      firstName: 'Katherine',
      lastName: 'Johnson',
      email: `katherine.${id}@example.test`,
      userName: `katherine.${id}`,
    };
    people.push(person);
    await stack.control.seedUser({
      externalID: `audited-leaver-${id}`,
      userName: person.userName,
      firstName: person.firstName,
      lastName: person.lastName,
      emails: [{ value: person.email, primary: true }],
      status: 'activated',
    });
    return `audited-leaver-${id}`;
  }

  async function offboardToRetention(externalID: string): Promise<void> {
    await act(
      'startOffboarding',
      externalID,
      lifecycleWorkflowId('offboarding', externalID),
      '/v1/offboardings',
      { externalID, retentionDays: 30 },
    );
    stack.track({ workflowId: lifecycleWorkflowId('offboarding', externalID) });
    await waitFor(
      () => offboardingStage(externalID),
      (status) => status.stage === 'retention',
      { what: `${externalID} in retention`, timeoutMs: 60_000 },
    );
  }

  it('covers every act on a person the routes offer', () => {
    assert.deepEqual(
      personActs.map((route) => route.operationId).sort(),
      Object.keys(expectedEvents).sort(),
      'a route that acts on a person needs an expected audit event here (and an audit line)',
    );
  });

  it('a request without the trusted header is refused (401) and starts nothing; GET /health needs none', async () => {
    const hire = newHire();
    const refused = await post<{ error: string; message: string }>('/v1/onboardings', hire, {
      headers: { 'x-forwarded-user': '' },
    });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error, 'trusted_user_missing');
    assert.match(refused.body.message, /x-forwarded-user/);
    await assert.rejects(
      stack.env.client.workflow.getHandle(lifecycleWorkflowId('onboarding', hire.externalID)).describe(),
      WorkflowNotFoundError,
    );
    assert.equal(records.length, 0, 'no audit line for a refused request');
    assert.equal((await fetch(`${api.url}/health`)).status, 200);
  });

  it('every act writes one line with who, what, when and the run, and no name or email', async () => {
    // An onboarding whose userName is taken waits in needs-attention: retry, then correct it.
    const id = uniqueSuffix();
    await stack.control.seedUser({
      externalID: `someone-else-${id}`,
      userName: `taken.${id}`,
      emails: [{ value: `taken.${id}@other.example.test`, primary: true }],
    });
    const parked = newHire({ userName: `taken.${id}` });
    people.push(parked);
    const parkedRun = lifecycleWorkflowId('onboarding', parked.externalID);
    await act('startOnboarding', parked.externalID, parkedRun, '/v1/onboardings', parked);
    stack.track({ workflowId: parkedRun });
    await waitFor(
      () => onboardingStage(parked.externalID),
      (status) => status.stage === 'needs-attention',
      { what: 'onboarding parked', timeoutMs: 60_000 },
    );
    await act('retryPerson', parked.externalID, parkedRun, `/v1/people/${parked.externalID}/retry`, {});
    await act(
      'correctOnboarding',
      parked.externalID,
      parkedRun,
      `/v1/onboardings/${parked.externalID}/correction`,
      { userName: `free.${id}` },
    );
    await act(
      'changeStartDate',
      parked.externalID,
      parkedRun,
      `/v1/onboardings/${parked.externalID}/start-date`,
      {
        startDate: '2031-01-15',
      },
    );
    await act(
      'cancelOnboarding',
      parked.externalID,
      parkedRun,
      `/v1/onboardings/${parked.externalID}/cancel`,
      {
        reason: 'offer withdrawn',
      },
    );

    const activating = newHire();
    people.push(activating);
    const activatingRun = lifecycleWorkflowId('onboarding', activating.externalID);
    await act('startOnboarding', activating.externalID, activatingRun, '/v1/onboardings', activating);
    stack.track({ workflowId: activatingRun });
    await act(
      'onboardingActivated',
      activating.externalID,
      activatingRun,
      `/v1/onboardings/${activating.externalID}/activated`,
      {},
    );

    // A leaver: hold, release, keep longer, then cancel (a reactivation).
    const leaver = await seedLeaver();
    const leaverRun = lifecycleWorkflowId('offboarding', leaver);
    await offboardToRetention(leaver);
    await act('placeLegalHold', leaver, leaverRun, `/v1/offboardings/${leaver}/legal-hold`, {
      reason: 'case 17',
    });
    // Releasing a hold is the support key's (a hold guards against deletion).
    await act(
      'releaseLegalHold',
      leaver,
      leaverRun,
      `/v1/offboardings/${leaver}/legal-hold/release`,
      {},
      ADMIN_KEY,
    );
    await act('changeRetention', leaver, leaverRun, `/v1/offboardings/${leaver}/retention`, {
      retentionDays: 40,
    });
    await act('cancelOffboarding', leaver, leaverRun, `/v1/offboardings/${leaver}/cancel`, {
      reason: 'rehired',
    });

    // Support on the (reactivated) person: a change, a recovery code, a logout.
    const changed = await act(
      'changePerson',
      leaver,
      `mover-${leaver}`,
      `/v1/people/${leaver}/changes`,
      { locale: 'de_DE' },
      ADMIN_KEY,
    );
    assert.equal(changed.workflowId, `mover-${leaver}`);
    await act(
      'sendRecoveryCode',
      leaver,
      `recovery-code-${leaver}`,
      `/v1/people/${leaver}/recovery-code`,
      {},
      ADMIN_KEY,
    );
    await act('logOutPerson', leaver, `user-logout-${leaver}`, `/v1/people/${leaver}/logout`, {}, ADMIN_KEY);

    // Another leaver, deleted now by support.
    const deleted = await seedLeaver();
    await offboardToRetention(deleted);
    await act(
      'deleteNow',
      deleted,
      lifecycleWorkflowId('offboarding', deleted),
      `/v1/offboardings/${deleted}/delete-now`,
      {},
      ADMIN_KEY,
    );

    // Two people on leave from a date ahead: one's return moves and the leave is cancelled, the other's
    // is ended now (neither account is touched before the leave's first day).
    const day = (offsetDays: number) =>
      new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
    for (const [index, end] of [
      [0, 'cancel'],
      [1, 'end'],
    ] as const) {
      const onLeave = await seedLeaver();
      const leaveRun = lifecycleWorkflowId('leave', onLeave);
      await act('startLeave', onLeave, leaveRun, '/v1/leaves', {
        externalID: onLeave,
        from: day(10 + index),
        until: day(20 + index),
        reason: 'parental leave',
      });
      stack.track({ workflowId: leaveRun });
      if (end === 'cancel') {
        await act('changeLeaveUntil', onLeave, leaveRun, `/v1/leaves/${onLeave}/until`, { until: day(30) });
        await act('cancelLeave', onLeave, leaveRun, `/v1/leaves/${onLeave}/cancel`, {});
      } else {
        await act('endLeave', onLeave, leaveRun, `/v1/leaves/${onLeave}/end`, {});
      }
    }

    assert.deepEqual(
      [...new Set(calls.map((call) => call.operationId))].sort(),
      Object.keys(expectedEvents).sort(),
      'the test made every act',
    );
    for (const call of calls) {
      const event = expectedEvents[call.operationId];
      const line = records.find(
        (record) =>
          record.event === event &&
          record.externalID === call.externalID &&
          record.workflowId === call.workflowId,
      );
      assert.ok(line, `${call.operationId}: an audit line ${event} for ${call.workflowId}`);
      assert.equal(line.requestedBy, OPERATOR, `${call.operationId}: who, from the trusted header`);
      assert.equal(line.claimedBy, CLAIMED, `${call.operationId}: X-Requested-By only as claimedBy`);
      assert.match(line.via ?? '', /^(lifecycle|admin)-key$/);
      assert.ok(line.at && Math.abs(Date.parse(line.at) - Date.now()) < 600_000, `${call.operationId}: when`);
    }
    const reactivation = records.find((record) => record.event === 'offboarding-cancelled');
    assert.equal(reactivation?.outcome, 'reactivated');
    assert.ok(reactivation?.staffbaseUserId, 'the reactivated account by its Staffbase id');

    const lines = JSON.stringify(records.map(auditFields));
    for (const person of people) {
      for (const personal of [person.firstName, person.lastName, person.email, person.userName]) {
        assert.ok(!lines.includes(personal), `no ${personal} in an audit line`);
      }
    }
  });

  it('without a trusted header configured: no 401, X-Requested-By recorded as claimedBy only', async () => {
    const hire = newHire();
    const started = await post('/v1/onboardings', hire, {
      base: untrustedApi,
      headers: { 'x-forwarded-user': '' },
    });
    assert.equal(started.status, 202);
    stack.track({ workflowId: lifecycleWorkflowId('onboarding', hire.externalID) });
    const line = untrustedRecords.find((record) => record.externalID === hire.externalID);
    assert.equal(line?.event, 'onboarding-started');
    assert.equal(line?.claimedBy, CLAIMED);
    assert.equal(line?.requestedBy, undefined, 'a self-asserted name is never who asked');
    assert.equal(line?.outcome, 'started');
  });
});
