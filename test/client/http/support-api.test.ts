// Long on purpose: one suite per API surface shares one HR API, dev server and simulator start-up.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { WorkflowNotFoundError } from '@temporalio/client';
import { apiRoutes } from '../../../client/http/app';
import { type RunningHttpApi, startHttpApi } from '../../../client/http/server';
import { defaultOffboardingPolicy } from '../../../lifecycle/offboarding-request';
import { type FieldProblem } from '../../../lifecycle/validation';
import type { UserSeed } from '../../../simulator/control-client';
import {
  type BulkOutcome,
  type BulkProgress,
  type GroupMembersResult,
  type UserView,
} from '../../../workflows/support-messages';
import { type LifecycleTestStack, startLifecycleTestStack } from '../../helpers/lifecycle-stack';
import { onboardingPolicy } from '../../helpers/people';
import { waitFor } from '../../helpers/waiting';
import { lazyTempStore } from '../../helpers/temp-store';

/** The store behind GET /v1/people (opened only if a request reaches it). */
const store = lazyTempStore();

/** The support routes of the HR API over real HTTP, against the dev server with real workers and the simulator. */

/** Support routes take the support key (LIFECYCLE_ADMIN_API_KEY) only. */
const KEY = `support-key-${randomBytes(24).toString('hex')}`;
/** The HR systems' key (LIFECYCLE_API_KEY): refused on every support route. */
const LIFECYCLE_KEY = `hr-key-${randomBytes(24).toString('hex')}`;
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

/** The fields the tests read, across the answers (each optional: the assertions check them). */
interface Body {
  error?: string;
  message?: string;
  reason?: string;
  problems?: FieldProblem[];
  status?: string;
  operation?: string;
  workflowId?: string;
  runId?: string;
  runStatus?: string;
  dryRun?: boolean;
  links?: Record<string, string>;
  outcome?: { result: string; changedFields?: string[]; refusal?: string } & Partial<BulkOutcome>;
  progress?: BulkProgress;
  user?: UserView;
  groupIDs?: string[];
}

interface Answer<T = Body> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

describe('HR HTTP API: support routes (real HTTP, dev server, real workers and simulator)', () => {
  let stack: LifecycleTestStack;
  let api: RunningHttpApi;
  /** A short Temporal deadline, for a ?wait=true that outlasts it. */
  let impatientApi: RunningHttpApi;
  let seeded = 0;

  before(async () => {
    stack = await startLifecycleTestStack({ server: 'dev-server', staffbaseRequestsPerSecond: 200 });
    await stack.startWorkers();
    const common = {
      temporalClient: stack.env.client,
      store,
      policies: { onboarding: onboardingPolicy(), offboarding: defaultOffboardingPolicy },
      apiKey: LIFECYCLE_KEY,
      adminApiKey: KEY,
      port: 0,
    };
    api = await startHttpApi(common);
    // Long enough for the start itself on a loaded machine (CI saw a 500 with 1.5 s), shorter than the
    // logout's injected latency below, so only the wait outlasts it.
    impatientApi = await startHttpApi({ ...common, temporalTimeoutMs: 5_000 });
  });
  after(async () => {
    await api?.close();
    await impatientApi?.close();
    await stack?.close();
  });
  beforeEach(async () => {
    await stack.control.reset();
  });
  afterEach(async () => {
    await stack.terminateLeftoverRuns();
  });

  async function call<T = Body>(
    method: string,
    path: string,
    options: { body?: unknown; key?: string | null; base?: RunningHttpApi } = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const key = options.key === undefined ? KEY : options.key;
    if (key !== null) headers.authorization = `Bearer ${key}`;
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${(options.base ?? api).url}${path}`, { method, headers, body: payload });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      text,
      body: (text ? JSON.parse(text) : undefined) as T,
    };
  }

  const person = (overrides: UserSeed = {}) => {
    seeded += 1;
    const id = `${process.pid}-${seeded}`;
    return stack.control.seedUser({
      externalID: `support-api-${id}`,
      userName: `ada.${id}`,
      firstName: 'Ada',
      lastName: 'Lovelace',
      emails: [{ value: `ada.${id}@example.test`, primary: true }],
      status: 'activated',
      ...overrides,
    });
  };
  const people = async (count: number, overrides: UserSeed) => {
    const users = [];
    for (let i = 0; i < count; i += 1) users.push(await person(overrides));
    return users;
  };
  const track = (answer: Answer) => {
    if (answer.body.workflowId) stack.track({ workflowId: answer.body.workflowId });
    return answer;
  };
  const bulkRun = (workflowId: string) => call('GET', `/v1/bulk/${encodeURIComponent(workflowId)}`);
  const untilEnded = (workflowId: string) =>
    waitFor(
      () => bulkRun(workflowId),
      (answer) => answer.body.runStatus === 'COMPLETED',
      {
        what: `the end of ${workflowId}`,
        timeoutMs: 20_000,
      },
    );
  const untilPhase = (workflowId: string, phase: BulkProgress['phase']) =>
    waitFor(
      () => bulkRun(workflowId),
      (answer) => answer.body.progress?.phase === phase,
      {
        what: `phase ${phase} of ${workflowId}`,
      },
    );
  const fieldsOf = (answer: Answer) => new Set((answer.body.problems ?? []).map((problem) => problem.field));
  const writes = async () => (await stack.control.log()).filter((entry) => entry.method !== 'GET');

  it('changes a person (mover): 202 at once, 200 with the outcome on ?wait=true, 404 for an unknown person', async () => {
    const user = await person({ topLevel: { department: 'Sales' }, groupIDs: ['all-staff'] });
    const id = user.externalID ?? '';

    const started = track(
      await call('POST', `/v1/people/${id}/changes`, {
        body: { profile: { department: 'Marketing' }, addToGroups: ['marketing'], reason: 'promotion' },
      }),
    );
    assert.equal(started.status, 202, started.text);
    assert.equal(started.body.status, 'started');
    assert.equal(started.body.workflowId, `mover-${id}`);
    assert.ok(started.body.runId);
    // A change sent while this run is open would get that run back (already-running): let it end.
    await stack.env.client.workflow.getHandle(started.body.workflowId ?? '').result();
    // A system field, kept at the top level (the default STAFFBASE_PROFILE_PLACEMENT).
    assert.equal((await stack.control.user(user.id))?.department, 'Marketing');
    assert.deepEqual((await stack.control.user(user.id))?.groupIDs, ['all-staff', 'marketing']);

    const waited = track(
      await call('POST', `/v1/people/${id}/changes?wait=true`, {
        body: { externalID: id, lastName: 'King', profile: { department: 'Marketing' } },
      }),
    );
    assert.equal(waited.status, 200, waited.text);
    assert.equal(waited.body.outcome?.result, 'changed');
    assert.deepEqual(waited.body.outcome?.changedFields, ['lastName']);
    assert.equal((await stack.control.user(user.id))?.lastName, 'King');

    const unknown = track(
      await call('POST', '/v1/people/nobody-here/changes?wait=true', { body: { firstName: 'X' } }),
    );
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error, 'not_found');
    assert.equal(unknown.body.outcome?.result, 'user-not-found');
  });

  it('sends a recovery code to an activated user and refuses a pending one (409)', async () => {
    const active = await person();
    const pending = await person({ status: 'pending' });

    const sent = track(await call('POST', `/v1/people/${active.externalID}/recovery-code?wait=true`));
    assert.equal(sent.status, 200, sent.text);
    assert.equal(sent.body.outcome?.result, 'sent');

    const refused = track(
      await call('POST', `/v1/people/${pending.externalID}/recovery-code?wait=true`, {
        body: { reason: 'locked out' },
      }),
    );
    assert.equal(refused.status, 409, refused.text);
    assert.equal(refused.body.error, 'action_refused');
    assert.equal(refused.body.reason, 'not-activated');
    assert.equal(refused.body.outcome?.result, 'refused');

    assert.deepEqual(
      (await stack.control.recoveries()).map((recovery) => recovery.userId),
      [active.id],
    );
  });

  it('logs one person out of every session; a wait that outlasts the deadline answers 202', async () => {
    const user = await person({ sessions: 3 });
    // About 12 s in all (3 s each of three attempts, two answered 503, retried after 1 s and 2 s): longer
    // than the impatient API's 5 s, each attempt well inside the test client's 5 s request timeout.
    await stack.control.setFaults([{ route: 'DELETE /users/:id/sessions', latencyMs: 3_000, failNext: 2 }]);
    const slow = track(
      await call('POST', `/v1/people/${user.externalID}/logout?wait=true`, {
        body: { reason: 'lost phone' },
        base: impatientApi,
      }),
    );
    assert.equal(slow.status, 202, slow.text);
    assert.equal(slow.body.status, 'started');
    assert.equal(slow.body.outcome, undefined);
    assert.match(slow.body.message ?? '', /goes on/);

    // The same request again finds the open run and waits for it.
    const answer = track(await call('POST', `/v1/people/${user.externalID}/logout?wait=true`));
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.status, 'already-running');
    assert.equal(answer.body.runId, slow.body.runId);
    assert.equal(answer.body.operation, 'user-logout');
    assert.equal(answer.body.outcome?.result, 'logged-out');
    const after = await stack.control.user(user.id);
    assert.equal(after?.sessions, 0);
    assert.equal(after?.logoutRequests, 1);
  });

  it("looks up a person's Staffbase record and groups, never a secret", async () => {
    const pending = await person({ status: 'pending', groupIDs: ['night-shift', 'all-staff'] });
    const invitationCode = (await stack.control.user(pending.id))?.secret?.plain;
    assert.ok(invitationCode, 'the simulator gave the pending user an invitation code');

    const found = await call('GET', `/v1/people/${pending.externalID}/staffbase`);
    assert.equal(found.status, 200, found.text);
    assert.equal(found.body.user?.id, pending.id);
    assert.equal(found.body.user?.status, 'pending');
    assert.deepEqual(found.body.groupIDs, ['night-shift', 'all-staff']);
    assert.ok(!found.text.includes('secret'), 'no secret field');
    assert.ok(!found.text.includes(invitationCode), 'no invitation code');

    const missing = await call('GET', '/v1/people/nobody-here/staffbase');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error, 'not_found');
  });

  it("lists a group's members, bounded by ?limit and filtered by ?statuses", async () => {
    await people(2, { groupIDs: ['night-shift'] });
    const pending = await person({ status: 'pending', groupIDs: ['night-shift'] });
    await person({ groupIDs: ['day-shift'] });
    const invitationCode = (await stack.control.user(pending.id))?.secret?.plain ?? 'no-code';

    const limited = await call<GroupMembersResult>('GET', '/v1/groups/night-shift/members?limit=2');
    assert.equal(limited.status, 200, limited.text);
    assert.equal(limited.body.total, 3);
    assert.equal(limited.body.members.length, 2);
    assert.equal(limited.body.truncated, true);
    assert.deepEqual(
      limited.body.members.map((member) => member.groupIDs.includes('night-shift')),
      [true, true],
    );
    assert.ok(!limited.text.includes('secret') && !limited.text.includes(invitationCode));

    const activated = await call<GroupMembersResult>(
      'GET',
      '/v1/groups/night-shift/members?statuses=activated&pageSize=1',
    );
    assert.equal(activated.status, 200, activated.text);
    assert.equal(activated.body.total, 2);
    assert.equal(activated.body.truncated, false);
    assert.deepEqual(
      activated.body.members.map((member) => member.status),
      ['activated', 'activated'],
    );
  });

  it('bulk logout: a dry run changes nothing, then the real run reports progress to completion', async () => {
    const group = `bulk-logout-${process.pid}`;
    const members = await people(4, { groupIDs: [group], sessions: 2 });
    const outsider = await person({ groupIDs: ['others'], sessions: 1 });

    const dry = track(await call('POST', '/v1/bulk/logouts', { body: { groupId: group, dryRun: true } }));
    assert.equal(dry.status, 202, dry.text);
    assert.equal(dry.body.dryRun, true);
    assert.match(dry.body.workflowId ?? '', /^population-logout-dry-run-/);
    assert.equal(dry.headers.get('location'), dry.body.links?.progress);
    const dryEnd = await untilEnded(dry.body.workflowId ?? '');
    assert.equal(dryEnd.body.outcome?.result, 'dry-run');
    assert.equal(dryEnd.body.outcome?.total, 4);
    assert.deepEqual(await writes(), [], 'the dry run only read');

    // Slow logouts, one at a time: the run is observably in progress.
    await stack.control.setFaults([{ route: 'DELETE /users/:id/sessions', latencyMs: 400 }]);
    const real = track(
      await call('POST', '/v1/bulk/logouts', {
        body: { groupId: group, pageSize: 2, parallelism: 1, reason: 'incident' },
      }),
    );
    assert.equal(real.status, 202, real.text);
    assert.notEqual(real.body.workflowId, dry.body.workflowId);
    const again = await call('POST', '/v1/bulk/logouts', { body: { groupId: group } });
    assert.equal(again.status, 200);
    assert.equal(again.body.status, 'already-running');
    assert.equal(again.body.runId, real.body.runId);

    const workflowId = real.body.workflowId ?? '';
    const running = await bulkRun(workflowId);
    assert.equal(running.status, 200);
    assert.equal(running.body.runStatus, 'RUNNING');
    assert.equal(running.body.progress?.operation, 'population-logout');
    assert.equal(running.body.progress?.dryRun, false);
    // Below its threshold (the worker's LOGOUT_CONFIRM_ABOVE) a population logout does not wait for a
    // confirmation: the run refuses one (it may have ended meanwhile: refused all the same).
    const confirm = await call<Body & { phase?: string }>('POST', `/v1/bulk/${workflowId}/confirm`);
    assert.equal(confirm.status, 409, confirm.text);
    assert.equal(confirm.body.error, 'not-awaiting-confirmation');
    assert.ok(['counting', 'running', 'completed'].includes(confirm.body.phase ?? ''), confirm.text);

    const done = await untilEnded(workflowId);
    assert.equal(done.body.outcome?.result, 'completed');
    assert.equal(done.body.outcome?.done, 4);
    const byId = new Map((await stack.control.users()).map((user) => [user.id, user]));
    for (const member of members) assert.equal(byId.get(member.id)?.sessions, 0);
    assert.equal(byId.get(outsider.id)?.logoutRequests, 0);
    assert.equal(
      (await call('POST', `/v1/bulk/${workflowId}/cancel`)).status,
      404,
      'ended: nothing to cancel',
    );
  });

  it('clean-up pauses above the threshold: cancel stops it, confirm lets the next run delete', async () => {
    const stale = await people(3, { status: 'pending', created: daysAgo(40) });
    const fresh = await person({ status: 'pending' });
    const request = { kind: 'pending-accounts', olderThanDays: 30, confirmAbove: 2 };

    const first = track(await call('POST', '/v1/bulk/cleanups', { body: request }));
    assert.equal(first.status, 202, first.text);
    assert.equal(first.body.workflowId, 'cleanup-pending-accounts');
    assert.equal(first.body.operation, 'cleanup-pending-accounts');
    assert.ok(first.body.links?.confirm);
    const paused = await untilPhase('cleanup-pending-accounts', 'awaiting-confirmation');
    assert.equal(paused.body.progress?.total, 3);
    assert.equal(paused.body.progress?.confirmAbove, 2);
    assert.equal((await call('POST', '/v1/bulk/cleanups', { body: request })).body.status, 'already-running');
    const cancelled = await call('POST', '/v1/bulk/cleanup-pending-accounts/cancel', {
      body: { reason: 'check first' },
    });
    assert.equal(cancelled.status, 202, cancelled.text);
    assert.equal((await untilEnded('cleanup-pending-accounts')).body.outcome?.result, 'cancelled');
    assert.equal((await stack.control.users()).length, 4, 'nothing deleted');

    const second = track(await call('POST', '/v1/bulk/cleanups', { body: request }));
    assert.equal(second.status, 202, second.text);
    await untilPhase('cleanup-pending-accounts', 'awaiting-confirmation');
    assert.deepEqual(await writes(), [], 'nothing deleted before the confirmation');
    const confirmed = await call('POST', '/v1/bulk/cleanup-pending-accounts/confirm', {
      body: { confirmedBy: 'it-admin' },
    });
    assert.equal(confirmed.status, 202, confirmed.text);
    assert.equal(confirmed.body.status, 'accepted');
    const done = await untilEnded('cleanup-pending-accounts');
    assert.equal(done.body.outcome?.result, 'completed');
    assert.equal(done.body.outcome?.done, 3);
    const remaining = new Set((await stack.control.users()).map((user) => user.id));
    for (const user of stale) assert.ok(!remaining.has(user.id), `${user.externalID} deleted`);
    assert.ok(remaining.has(fresh.id), 'the recent invitation is kept');
  });

  it('answers 400 naming every bad field, 401 without the key, and starts nothing', async () => {
    const cases: { method: string; path: string; body?: unknown; fields: string[] }[] = [
      { method: 'POST', path: '/v1/people/p-1/changes', body: {}, fields: ['profile'] },
      {
        method: 'POST',
        path: '/v1/people/p-1/changes?wait=maybe',
        body: { externalID: 'p-2', firstName: '', locale: 'english', colour: 'blue' },
        fields: ['externalID', 'wait', 'firstName', 'locale', '(input)'],
      },
      {
        method: 'POST',
        path: '/v1/people/p-1/recovery-code',
        body: { reason: 'r'.repeat(501) },
        fields: ['reason'],
      },
      { method: 'POST', path: '/v1/people/p-1/logout', body: ['not', 'an', 'object'], fields: ['(input)'] },
      {
        method: 'POST',
        path: '/v1/bulk/logouts',
        body: { filter: 'name eq "open', pageSize: 0, dryRun: 'yes' },
        fields: ['filter', 'pageSize', 'dryRun'],
      },
      {
        method: 'POST',
        path: '/v1/bulk/logouts',
        body: { filter: 'x eq "1"', groupId: 'g' },
        fields: ['filter'],
      },
      {
        // Refused at the edge: Staffbase's reading of an unbalanced filter is undocumented.
        method: 'POST',
        path: '/v1/bulk/logouts',
        body: { filter: '(department eq "R&D" or department eq "Ops"', confirmAbove: -1 },
        fields: ['filter', 'confirmAbove'],
      },
      { method: 'POST', path: '/v1/bulk/cleanups', body: { kind: 'everyone' }, fields: ['kind'] },
      {
        method: 'POST',
        path: '/v1/bulk/cleanups',
        body: { kind: 'pending-accounts', olderThanDays: 0, confirmAbove: -1 },
        fields: ['olderThanDays', 'confirmAbove'],
      },
      {
        method: 'POST',
        path: '/v1/bulk/cleanups',
        body: { kind: 'deactivated-users', deactivatedFrom: '2024-04-01', deactivatedBefore: '2024-03-01' },
        fields: ['deactivatedBefore'],
      },
      {
        method: 'GET',
        path: '/v1/groups/g/members?limit=0&statuses=gone&x=1',
        fields: ['limit', 'statuses.0', '(input)'],
      },
      { method: 'GET', path: '/v1/groups/g/members?limit=abc', fields: ['limit'] },
      { method: 'GET', path: '/v1/bulk/onboarding-p-1', fields: ['workflowId'] },
      {
        method: 'POST',
        path: '/v1/bulk/cleanup-pending-accounts/confirm',
        body: { confirmedBy: '' },
        fields: ['confirmedBy'],
      },
    ];
    const cleanup = stack.env.client.workflow.getHandle('cleanup-pending-accounts');
    const cleanupRunBefore = await cleanup.describe().then(
      (description) => description.runId,
      () => undefined,
    );
    for (const { method, path, body, fields } of cases) {
      const answer = await call(method, path, { body });
      assert.equal(answer.status, 400, `${method} ${path}: ${answer.text}`);
      assert.equal(answer.body.error, 'invalid_request');
      assert.deepEqual(new Set(fieldsOf(answer)), new Set(fields), `${method} ${path}: ${answer.text}`);
    }
    for (const workflowId of ['mover-p-1', 'recovery-code-p-1', 'user-logout-p-1']) {
      await assert.rejects(
        stack.env.client.workflow.getHandle(workflowId).describe(),
        WorkflowNotFoundError,
        `${workflowId} not started`,
      );
    }
    const cleanupRunAfter = await cleanup.describe().then(
      (description) => description.runId,
      () => undefined,
    );
    assert.equal(cleanupRunAfter, cleanupRunBefore, 'no clean-up started');
    assert.equal((await call('GET', '/v1/bulk/population-logout-0000000000000000')).status, 404);
    for (const [method, path] of [
      ['POST', '/v1/people/p-1/logout'],
      ['GET', '/v1/people/p-1/staffbase'],
      ['GET', '/v1/groups/g/members'],
      ['POST', '/v1/bulk/logouts'],
      ['GET', '/v1/bulk/cleanup-pending-accounts'],
    ] as const) {
      const answer = await call(method, path, { key: null });
      assert.equal(answer.status, 401, `${method} ${path}`);
      // Least privilege: the HR systems' key is valid, but not for support routes.
      const hrKey = await call(method, path, { key: LIFECYCLE_KEY });
      assert.equal(hrKey.status, 403, `${method} ${path} with the lifecycle key`);
      assert.equal(hrKey.body.error, 'forbidden');
    }
  });

  it('bulk logout above its threshold waits for a confirmation before logging anyone out', async () => {
    const group = `bulk-logout-confirm-${process.pid}`;
    const members = await people(3, { groupIDs: [group], sessions: 1 });
    const run = track(await call('POST', '/v1/bulk/logouts', { body: { groupId: group, confirmAbove: 2 } }));
    assert.equal(run.status, 202, run.text);
    assert.ok(run.body.links?.confirm, 'the answer links the confirmation');
    const workflowId = run.body.workflowId ?? '';
    const waiting = await waitFor(
      () => bulkRun(workflowId),
      (answer) => answer.body.progress?.phase === 'awaiting-confirmation',
      { what: 'awaiting-confirmation' },
    );
    assert.equal(waiting.body.progress?.total, 3);
    assert.equal(waiting.body.progress?.confirmAbove, 2);
    assert.deepEqual(await writes(), [], 'nobody is logged out before the confirmation');

    const confirmed = await call('POST', `/v1/bulk/${workflowId}/confirm`, {
      body: { confirmedBy: 'grace' },
    });
    assert.equal(confirmed.status, 202, confirmed.text);
    const done = await untilEnded(workflowId);
    assert.equal(done.body.outcome?.result, 'completed');
    assert.equal(done.body.outcome?.done, 3);
    const byId = new Map((await stack.control.users()).map((user) => [user.id, user]));
    for (const member of members) assert.equal(byId.get(member.id)?.sessions, 0);

    // Done: nothing left to confirm.
    const late = await call<Body & { phase?: string }>('POST', `/v1/bulk/${workflowId}/confirm`);
    assert.equal(late.status, 409, late.text);
    assert.equal(late.body.error, 'not-awaiting-confirmation');
    assert.equal(late.body.phase, 'completed');
  });

  it('confirm: 409 not-awaiting-confirmation while the clean-up still counts, 202 once it awaits one, 409 after its end', async () => {
    const stale = await people(3, { status: 'pending', created: daysAgo(40) });
    // Until the early confirmation is answered, a list takes 6 s: the run is still counting when it arrives
    // (its first list has not answered yet, or not even started).
    await stack.control.setFaults([{ route: 'GET /users', latencyMs: 6_000 }]);
    const run = track(
      await call('POST', '/v1/bulk/cleanups', {
        body: { kind: 'pending-accounts', olderThanDays: 30, confirmAbove: 2 },
      }),
    );
    assert.equal(run.status, 202, run.text);
    const workflowId = run.body.workflowId ?? '';
    const early = await call<Body & { phase?: string }>('POST', `/v1/bulk/${workflowId}/confirm`, {
      body: { confirmedBy: 'too-early' },
    });
    assert.equal(early.status, 409, early.text);
    assert.equal(early.body.error, 'not-awaiting-confirmation');
    assert.equal(early.body.phase, 'counting');
    assert.match(early.body.message ?? '', /not awaiting a confirmation \(phase counting\)/);
    await stack.control.setFaults([]);

    // The refused confirmation counted for nothing: the run still pauses, nobody deleted.
    const paused = await untilPhase(workflowId, 'awaiting-confirmation');
    assert.equal(paused.body.progress?.confirmed, false);
    assert.deepEqual(await writes(), [], 'nothing deleted before the confirmation');
    const confirmed = await call('POST', `/v1/bulk/${workflowId}/confirm`, {
      body: { confirmedBy: 'it-admin' },
    });
    assert.equal(confirmed.status, 202, confirmed.text);
    const done = await untilEnded(workflowId);
    assert.equal(done.body.outcome?.done, 3);
    const remaining = new Set((await stack.control.users()).map((user) => user.id));
    for (const user of stale) assert.ok(!remaining.has(user.id), `${user.externalID} deleted`);

    const late = await call<Body & { phase?: string }>('POST', `/v1/bulk/${workflowId}/confirm`);
    assert.equal(late.status, 409, late.text);
    assert.equal(late.body.error, 'not-awaiting-confirmation');
    assert.equal(late.body.phase, 'completed');
  });

  it('documents the support routes in the OpenAPI document', async () => {
    const answer = await call<{
      paths: Record<
        string,
        Record<string, { description?: string; parameters?: { name: string }[]; tags: string[] }>
      >;
      components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
    }>('GET', '/v1/openapi.json');
    assert.equal(answer.status, 200);
    const doc = answer.body;
    const documented = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const support = [
      'POST /v1/people/{externalID}/changes',
      'POST /v1/people/{externalID}/recovery-code',
      'POST /v1/people/{externalID}/logout',
      'GET /v1/people/{externalID}/staffbase',
      'GET /v1/groups/{groupId}/members',
      'POST /v1/bulk/logouts',
      'POST /v1/bulk/cleanups',
      'GET /v1/bulk/{workflowId}',
      'POST /v1/bulk/{workflowId}/confirm',
      'POST /v1/bulk/{workflowId}/cancel',
    ];
    for (const route of support) assert.ok(documented.includes(route), `${route} is documented`);
    assert.deepEqual(new Set(documented), new Set(apiRoutes.map((route) => `${route.method} ${route.path}`)));

    const mover = doc.paths['/v1/people/{externalID}/changes']?.post;
    assert.deepEqual(mover?.tags, ['support']);
    assert.match(mover?.description ?? '', /\?wait=true/);
    assert.deepEqual(
      mover?.parameters?.map((parameter) => parameter.name),
      ['externalID', 'wait'],
    );
    const moverBody = doc.components.schemas.MoverChange;
    assert.ok(
      moverBody?.properties?.profile && !moverBody.properties.externalID,
      'the path carries externalID',
    );
    assert.deepEqual(doc.components.schemas.CleanupRequest && 'present', 'present');
    assert.ok(doc.components.schemas.PopulationLogoutRequest?.properties?.dryRun);
    assert.deepEqual(
      doc.paths['/v1/groups/{groupId}/members']?.get?.parameters?.map((parameter) => parameter.name),
      ['groupId', 'statuses', 'pageSize', 'limit'],
    );
  });
});
