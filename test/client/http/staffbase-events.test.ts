/**
 * Staffbase's own events (`POST /v1/staffbase/events`) over real HTTP, against the Temporal dev
 * server with the real workers and the simulator: the webhook secret is the only way in (no API key),
 * nothing starts for a refused event, bodies over 64 KiB are refused, unknown types are ignored and
 * counted, duplicates cost one re-read, and, end to end, an activation in the simulator reaches the
 * waiting onboarding within 5 s through the simulator's webhook — while with every event dropped the
 * activation sweep still catches it; an account deleted by hand in Studio ends its offboarding in
 * retention at once as already gone (found by StaffbaseUserId, no DELETE sent), while a 404 that the
 * externalID look-up contradicts (not permitted) changes nothing. No activation-sweep Schedule exists in this stack (as with
 * ACTIVATION_SWEEP_INTERVAL_MINUTES=0), and each onboarding's own status check is a day away.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { WorkflowNotFoundError } from '@temporalio/client';
import { startOffboarding, startOnboarding } from '../../../client/lifecycle-runs';
import { type RunningHttpApi, startHttpApi } from '../../../client/http/server';
import { type StaffbaseEventCounts, newStaffbaseEventCounts } from '../../../client/http/staffbase-events';
import { defaultOffboardingPolicy } from '../../../lifecycle/offboarding-request';
import { taskQueues } from '../../../lifecycle/task-queues';
import { staffbaseEventWorkflowId } from '../../../staffbase/events';
import type { activationSweep } from '../../../workflows/activation-sweep';
import { type OffboardingOutcome, offboardingStatusQuery } from '../../../workflows/offboarding-messages';
import type { OnboardingOutcome } from '../../../workflows/onboarding-messages';
import {
  type StaffbaseEventStatus,
  staffbaseEventStatusQuery,
} from '../../../workflows/staffbase-event-messages';
import { type LifecycleTestStack, startLifecycleTestStack } from '../../helpers/lifecycle-stack';
import { newHire, offboardingPolicy, onboardingPolicy, uniqueSuffix } from '../../helpers/people';
import { waitFor, waitForVisibleCount } from '../../helpers/waiting';
import { lazyTempStore } from '../../helpers/temp-store';

/** The store behind GET /v1/people (opened only if a request reaches it). */
const store = lazyTempStore();

const KEY = `hr-key-${randomBytes(24).toString('hex')}`;
const SECRET = `webhook-${randomBytes(24).toString('hex')}`;
const EVENTS_PATH = '/v1/staffbase/events';
/** The done-when bound: simulator activation → the onboarding's close. */
const ACTIVATION_TO_CLOSE_MS = 5_000;

describe('Staffbase events (real HTTP, dev server, real workers and simulator)', () => {
  let stack: LifecycleTestStack;
  let api: RunningHttpApi;
  let counts: StaffbaseEventCounts;
  const logLines: string[] = [];

  before(async () => {
    stack = await startLifecycleTestStack({ server: 'dev-server' });
    await stack.startWorkers();
    counts = newStaffbaseEventCounts();
    api = await startHttpApi({
      temporalClient: stack.env.client,
      store,
      policies: { onboarding: onboardingPolicy(), offboarding: defaultOffboardingPolicy },
      apiKey: KEY,
      port: 0,
      staffbaseEvents: { webhook: { secret: SECRET, header: 'Authorization', scheme: 'Bearer' }, counts },
      logger: {
        debug: () => undefined,
        info: (message, fields) => logLines.push(`${message} ${JSON.stringify(fields)}`),
        warn: (message, fields) => logLines.push(`${message} ${JSON.stringify(fields)}`),
        error: (message, fields) => logLines.push(`${message} ${JSON.stringify(fields)}`),
      },
    });
  });
  after(async () => {
    await api?.close();
    await stack?.close();
  });
  afterEach(async () => {
    await stack.control.setEvents(null);
    await stack.terminateLeftoverRuns();
  });

  async function post(
    body: unknown,
    options: { authorization?: string | null; raw?: string; base?: string } = {},
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const authorization = options.authorization === undefined ? `Bearer ${SECRET}` : options.authorization;
    if (authorization !== null) headers.authorization = authorization;
    const response = await fetch(`${options.base ?? api.url}${EVENTS_PATH}`, {
      method: 'POST',
      headers,
      body: options.raw ?? JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  }

  const event = (userId: string, type = 'user.changed', id = `evt-${uniqueSuffix()}`) => ({
    id,
    type,
    createdAt: new Date().toISOString(),
    data: { id: userId },
  });

  async function eventRunExists(userId: string): Promise<boolean> {
    try {
      await stack.env.client.workflow.getHandle(staffbaseEventWorkflowId(userId)).describe();
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }

  const reReadsOf = async (userId: string) =>
    (await stack.control.log()).filter(
      (call) => call.routeKey === 'GET /users/:id' && call.path.endsWith(`/${userId}`),
    ).length;

  it('takes the webhook secret only: missing, wrong or the API key → 401, and nothing starts', async () => {
    const userId = `u${randomBytes(12).toString('hex')}`;
    const before = counts.rejected;
    for (const authorization of [null, `Bearer ${SECRET}x`, `Bearer ${KEY}`, SECRET, `Basic ${SECRET}`]) {
      const answer = await post(event(userId), { authorization });
      assert.equal(answer.status, 401, String(authorization === null ? 'no header' : 'a wrong header'));
      assert.equal(answer.body.error, 'unauthorized');
      assert.ok(!JSON.stringify(answer.body).includes(SECRET), 'the secret is never answered back');
    }
    assert.equal(counts.rejected - before, 5);
    assert.equal(await eventRunExists(userId), false);
    assert.ok(!logLines.join('\n').includes(SECRET), 'the secret is never logged');
  });

  it('refuses a body over 64 KiB (413) and an event without a user id (400 naming data.id)', async () => {
    const userId = `u${randomBytes(12).toString('hex')}`;
    const large = await post({ ...event(userId), padding: 'x'.repeat(64 * 1024) });
    assert.equal(large.status, 413);
    assert.equal(large.body.error, 'payload_too_large');
    const noUser = await post({ type: 'user.changed', data: {} });
    assert.equal(noUser.status, 400);
    assert.match(String(noUser.body.message), /data\.id/);
    assert.equal(await eventRunExists(userId), false);
  });

  it('answers an unknown event type 202, ignores it and counts it', async () => {
    const userId = `u${randomBytes(12).toString('hex')}`;
    const before = counts.unknownType;
    const answer = await post(event(userId, 'user.created'));
    assert.equal(answer.status, 202);
    assert.equal(answer.body.action, 'ignored');
    assert.equal(counts.unknownType - before, 1);
    assert.equal(await eventRunExists(userId), false);
  });

  it('re-reads a user once for duplicate events, and at most once per 60 s for new ones', async () => {
    const user = await stack.control.seedUser({ externalID: `emp-${uniqueSuffix()}`, status: 'activated' });
    const duplicate = event(user.id);
    const answers = await Promise.all([post(duplicate), post(duplicate), post(duplicate)]);
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [202, 202, 202],
    );
    const handle = stack.env.client.workflow.getHandle(staffbaseEventWorkflowId(user.id));
    stack.track(handle);
    const status = await waitFor(
      () => handle.query(staffbaseEventStatusQuery),
      (state: StaffbaseEventStatus) => state.rereads === 1,
      { timeoutMs: 30_000, what: 'the first re-read' },
    );
    assert.equal(status.events, 1, 'the same event id three times is one event');
    assert.equal(status.rereadPending, false);
    await waitFor(
      () => reReadsOf(user.id),
      (reads) => reads >= 1,
      { timeoutMs: 30_000, what: 'the re-read in the simulator log' },
    );

    // A new event within the window: remembered for one more re-read when the window ends, not now.
    assert.equal((await post(event(user.id))).status, 202);
    const later = await waitFor(
      () => handle.query(staffbaseEventStatusQuery),
      (state: StaffbaseEventStatus) => state.events === 2,
      { timeoutMs: 30_000, what: 'the second event' },
    );
    assert.equal(later.rereads, 1);
    assert.equal(later.rereadPending, true);
    assert.equal(await reReadsOf(user.id), 1, 'one GET /users/{id} for every event so far');
  });

  it('serves the route on its own listener (STAFFBASE_EVENTS_PORT), and not on the HR API port then', async () => {
    const own = await startHttpApi({
      temporalClient: stack.env.client,
      store,
      policies: { onboarding: onboardingPolicy(), offboarding: defaultOffboardingPolicy },
      apiKey: KEY,
      port: 0,
      staffbaseEvents: { webhook: { secret: SECRET, header: 'X-Webhook-Secret', scheme: '' } },
      staffbaseEventsPort: 0,
    });
    try {
      assert.ok(own.staffbaseEventsUrl);
      const userId = `u${randomBytes(12).toString('hex')}`;
      // The HR API's port: like any unknown path, 404 to a keyed request (401 without a key).
      const onApiPort = await post(event(userId), { base: own.url, authorization: `Bearer ${KEY}` });
      assert.equal(onApiPort.status, 404);
      const response = await fetch(`${own.staffbaseEventsUrl}${EVENTS_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-webhook-secret': SECRET },
        body: JSON.stringify(event(userId, 'user.deleted')),
      });
      assert.equal(response.status, 202);
      stack.track({ workflowId: staffbaseEventWorkflowId(userId) });
      assert.equal(await eventRunExists(userId), true);
      const wrong = await fetch(`${own.staffbaseEventsUrl}${EVENTS_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` },
        body: JSON.stringify(event(userId)),
      });
      assert.equal(wrong.status, 401, 'the configured header, not Authorization');
      const elsewhere = await fetch(`${own.staffbaseEventsUrl}/v1/runs`, {
        headers: { authorization: `Bearer ${KEY}` },
      });
      assert.equal(elsewhere.status, 404, 'the own listener serves nothing else');
    } finally {
      await own.close();
    }
  });

  it('without STAFFBASE_WEBHOOK_SECRET the route does not exist (404)', async () => {
    const plain = await startHttpApi({
      temporalClient: stack.env.client,
      store,
      policies: { onboarding: onboardingPolicy(), offboarding: defaultOffboardingPolicy },
      apiKey: KEY,
      port: 0,
    });
    try {
      // Like any unknown path of the HR API: 404 to a keyed request (401 without a key).
      const answer = await post(event('someone'), { base: plain.url, authorization: `Bearer ${KEY}` });
      assert.equal(answer.status, 404);
    } finally {
      await plain.close();
    }
  });

  /** Starts an onboarding (the status check a day away) and waits until it waits for the activation. */
  async function waitingOnboarding(): Promise<{ externalID: string; workflowId: string }> {
    const hire = newHire();
    const run = stack.track(await startOnboarding(stack.env.client, hire, onboardingPolicy()));
    await waitFor(
      () => stack.env.client.workflow.getHandle(run.workflowId).query<{ stage: string }>('status'),
      (status) => status.stage === 'awaiting-activation',
      { timeoutMs: 60_000, intervalMs: 200, what: 'the onboarding awaiting activation' },
    );
    return { externalID: hire.externalID, workflowId: run.workflowId };
  }

  it('end to end: an activation in the simulator reaches the waiting onboarding in under 5 s', async () => {
    const { externalID, workflowId } = await waitingOnboarding();
    await stack.control.setEvents({ url: `${api.url}${EVENTS_PATH}`, secret: SECRET });
    const activatedAt = Date.now();
    await stack.control.activate(externalID);
    const handle = stack.env.client.workflow.getHandle(workflowId);
    // A longer wait than the bound, so a failure reports the time it took.
    const outcome = (await Promise.race([
      handle.result(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no close within 60 s')), 60_000)),
    ])) as OnboardingOutcome;
    const closedAt = (await handle.describe()).closeTime?.getTime() ?? Number.NaN;
    assert.equal(outcome.result, 'activated');
    assert.equal(outcome.activatedVia, 'signal');
    const tookMs = closedAt - activatedAt;
    assert.ok(tookMs < ACTIVATION_TO_CLOSE_MS, `activation → close took ${tookMs} ms`);
    const userId = (await stack.control.user(externalID))?.id;
    const emitted = (await stack.control.events()).filter((sent) => sent.userId === userId);
    assert.equal(emitted.length, 1);
    assert.equal(emitted[0]?.type, 'user.changed');
    assert.equal(emitted[0]?.delivery, 'delivered');
    assert.equal(emitted[0]?.status, 202);
  });

  it('with every event dropped, the activation sweep (run once) still catches the activation', async () => {
    const { externalID, workflowId } = await waitingOnboarding();
    await stack.control.setEvents({ url: `${api.url}${EVENTS_PATH}`, secret: SECRET, dropRate: 1 });
    const receivedBefore = counts.received;
    await stack.control.activate(externalID);
    const userId = (await stack.control.user(externalID))?.id;
    const emitted = (await stack.control.events()).filter((sent) => sent.userId === userId);
    assert.deepEqual(
      emitted.map((sent) => sent.delivery),
      ['dropped'],
    );
    const handle = stack.env.client.workflow.getHandle(workflowId);
    assert.equal((await handle.describe()).status.name, 'RUNNING', 'no event, no activation yet');
    assert.equal(counts.received, receivedBefore);
    // The sweep finds waiting runs through visibility, which indexes a moment after the run says so.
    await waitForVisibleCount(
      stack.env.client,
      `WorkflowId='${workflowId}' AND LifecycleStage='awaiting-activation' AND ExecutionStatus='Running'`,
      1,
      {
        what: 'the waiting run in visibility',
      },
    );

    const totals = await stack.env.client.workflow.execute<typeof activationSweep>('activationSweep', {
      workflowId: `activation-sweep-test-${uniqueSuffix()}`,
      taskQueue: taskQueues.lifecycle,
      args: [{}],
    });
    assert.ok(totals.signalled >= 1, JSON.stringify(totals));
    const outcome = (await handle.result()) as OnboardingOutcome;
    assert.equal(outcome.result, 'activated');
  });

  /** Offboards a seeded, activated person and waits until the run keeps the account in retention. */
  async function offboardingInRetention(): Promise<{
    externalID: string;
    userId: string;
    workflowId: string;
  }> {
    const externalID = `emp-${uniqueSuffix()}`;
    const user = await stack.control.seedUser({ externalID, userName: externalID, status: 'activated' });
    const run = stack.track(await startOffboarding(stack.env.client, { externalID }, offboardingPolicy()));
    await waitFor(
      () => stack.env.client.workflow.getHandle(run.workflowId).query(offboardingStatusQuery),
      (status) => status.stage === 'retention',
      { timeoutMs: 60_000, intervalMs: 200, what: 'the offboarding in retention' },
    );
    return { externalID, userId: user.id, workflowId: run.workflowId };
  }

  it('an event about an unchanged account makes an offboarding in retention re-check, never delete', async () => {
    const { userId, workflowId } = await offboardingInRetention();
    const readsOf = async () =>
      (await stack.control.log()).filter((call) => call.method === 'GET' && call.path.endsWith(`/${userId}`))
        .length;
    const readsBefore = await readsOf();
    assert.equal((await post(event(userId))).status, 202);
    const eventRun = stack.track(stack.env.client.workflow.getHandle(staffbaseEventWorkflowId(userId)));
    await waitFor(
      () => eventRun.query(staffbaseEventStatusQuery),
      (state: StaffbaseEventStatus) => state.offboardingsRechecked === 1,
      { timeoutMs: 30_000, what: 'the offboarding told to re-check' },
    );
    // The re-check reads the account (still the deactivated one) and goes back to waiting.
    await waitFor(readsOf, (reads) => reads >= readsBefore + 2, {
      timeoutMs: 30_000,
      what: 'the event run’s and the offboarding’s reads',
    });
    const handle = stack.env.client.workflow.getHandle(workflowId);
    await waitFor(
      () => handle.query(offboardingStatusQuery),
      (status) => status.stage === 'retention',
      { timeoutMs: 30_000, what: 'the offboarding back in retention' },
    );
    assert.equal((await handle.describe()).status.name, 'RUNNING');
    const deleted = (await stack.control.effects()).filter(
      (effect) => effect.userId === userId && effect.kind === 'deleted',
    );
    assert.deepEqual(deleted, []);
  });

  it('end to end: Studio reactivates an offboarded account, and the run in retention keeps it at once', async () => {
    const { externalID, userId, workflowId } = await offboardingInRetention();
    await stack.control.setEvents({ url: `${api.url}${EVENTS_PATH}`, secret: SECRET });
    await stack.control.setStatusByHand(externalID, 'activated');
    const handle = stack.env.client.workflow.getHandle(workflowId);
    const outcome = (await Promise.race([
      handle.result(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no close within 60 s')), 60_000)),
    ])) as OffboardingOutcome;
    assert.equal(outcome.result, 'kept');
    assert.equal(outcome.keptBecause, 'reactivated-since');
    const user = await stack.control.user(userId);
    assert.equal(user?.status, 'activated');
    const deleted = (await stack.control.effects()).filter(
      (effect) => effect.userId === userId && effect.kind === 'deleted',
    );
    assert.deepEqual(deleted, []);
  });

  it('end to end: Studio deletes an offboarded account, and the run in retention ends already gone, sending no DELETE', async () => {
    const { externalID, userId, workflowId } = await offboardingInRetention();
    const handle = stack.env.client.workflow.getHandle(workflowId);
    const deleteAt = Date.parse((await handle.query(offboardingStatusQuery)).deleteAt ?? '');
    // The event's run finds the offboarding by the Staffbase id it published (the account is gone).
    await waitForVisibleCount(
      stack.env.client,
      `StaffbaseUserId='${userId}' AND WorkflowType='offboarding' AND ExecutionStatus='Running'`,
      1,
      {
        what: 'the offboarding by StaffbaseUserId in visibility',
      },
    );
    await stack.control.setEvents({ url: `${api.url}${EVENTS_PATH}`, secret: SECRET });
    await stack.control.deleteByHand(externalID);
    stack.track({ workflowId: staffbaseEventWorkflowId(userId) });
    const outcome = (await Promise.race([
      handle.result(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no close within 60 s')), 60_000)),
    ])) as OffboardingOutcome;
    assert.equal(outcome.result, 'deleted');
    assert.equal(outcome.alreadyGone, true);
    const closedAt = (await handle.describe()).closeTime?.getTime() ?? Number.NaN;
    assert.ok(closedAt < deleteAt, 'closed before its deadline');
    const emitted = (await stack.control.events()).filter((sent) => sent.userId === userId);
    assert.deepEqual(
      emitted.map((sent) => [sent.type, sent.delivery]),
      [['user.deleted', 'delivered']],
    );
    const eventStatus = await stack.env.client.workflow
      .getHandle(staffbaseEventWorkflowId(userId))
      .query(staffbaseEventStatusQuery);
    assert.equal(eventStatus.offboardingsRechecked, 1);
    const calls = await stack.control.log();
    assert.deepEqual(
      calls.filter((call) => call.method === 'DELETE' && call.path.endsWith(`/${userId}`)),
      [],
      'no DELETE sent by the service',
    );
    // Confirmed as the deletion confirms a 404: the exact externalID look-up ran too.
    assert.ok(calls.some((call) => call.routeKey === 'GET /users' && call.query.includes(externalID)));
    const deletions = (await stack.control.effects()).filter(
      (effect) => effect.userId === userId && effect.kind === 'deleted',
    );
    assert.deepEqual(
      deletions.map((effect) => effect.via),
      ['studio'],
    );
  });

  it('a user.deleted event while the account still exists (404 = not permitted) leaves the run in retention', async () => {
    const { externalID, userId, workflowId } = await offboardingInRetention();
    const handle = stack.env.client.workflow.getHandle(workflowId);
    await waitForVisibleCount(
      stack.env.client,
      `StaffbaseUserId='${userId}' AND WorkflowType='offboarding' AND ExecutionStatus='Running'`,
      1,
      {
        what: 'the offboarding by StaffbaseUserId in visibility',
      },
    );
    // Staffbase answers 404 to what is not permitted: every GET by id says 404, the account exists.
    await stack.control.setFaults([{ route: 'GET /users/:id', errorRate: 1, errorStatus: 404 }]);
    try {
      assert.equal((await post(event(userId, 'user.deleted'))).status, 202);
      const eventRun = stack.track(stack.env.client.workflow.getHandle(staffbaseEventWorkflowId(userId)));
      await waitFor(
        () => eventRun.query(staffbaseEventStatusQuery),
        (state: StaffbaseEventStatus) => state.offboardingsRechecked === 1,
        { timeoutMs: 30_000, what: 'the offboarding told to re-check' },
      );
      // The re-check read 404, looked the externalID up, found the account, and waits again.
      const lookedUpThenWaiting = (events: { name: string; activity?: string }[]) => {
        const lookUp = events.findIndex((entry) => entry.activity === 'findAccountByExternalId');
        return lookUp >= 0 && events.slice(lookUp).some((entry) => entry.name === 'timerStarted');
      };
      await waitFor(
        async () =>
          ((await handle.fetchHistory()).events ?? []).map((entry) => ({
            name: entry.timerStartedEventAttributes ? 'timerStarted' : 'other',
            activity: entry.activityTaskScheduledEventAttributes?.activityType?.name ?? undefined,
          })),
        lookedUpThenWaiting,
        { timeoutMs: 30_000, what: 'the look-up, then the retention timer again' },
      );
    } finally {
      await stack.control.setFaults([]);
    }
    const status = await handle.query(offboardingStatusQuery);
    assert.equal(status.stage, 'retention');
    assert.equal((await handle.describe()).status.name, 'RUNNING');
    assert.ok(await stack.control.user(externalID), 'the account still exists');
    const calls = await stack.control.log();
    assert.deepEqual(
      calls.filter((call) => call.method === 'DELETE' && call.path.endsWith(`/${userId}`)),
      [],
    );
  });
});
