/**
 * Bulk offboardings (an import's leavers, `lane: 'bulk'`) look their people up in batches of up to 50
 * (workflows/lookup-batcher.ts): real dev server, real worker and activities, the simulator over HTTP.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseImportFile } from '../../client/csv/parse-import';
import { runImport } from '../../client/csv/run-import';
import { startOffboarding } from '../../client/lifecycle-runs';
import type { CallRecord } from '../../simulator/types';
import type { OffboardingOutcome } from '../../workflows/offboarding-messages';
import { type LifecycleTestStack, useLifecycleTestStack } from '../helpers/lifecycle-stack';
import { offboardingRunProbes, seedLeaver } from '../helpers/offboarding-runs';
import { offboardingPolicy, onboardingPolicy, uniqueSuffix } from '../helpers/people';
import { waitFor } from '../helpers/waiting';

const policies = { onboarding: onboardingPolicy(), offboarding: offboardingPolicy() };
/** A loaded 2-core machine runs 60 offboardings in some seconds; this leaves a wide margin. */
const bulkTimeoutMs = 180_000;

const isListCall = (call: CallRecord) => call.routeKey === 'GET /users';
/** A list request about more than one externalID (the status conditions have an `or` of their own). */
const isBatchedListCall = (call: CallRecord) =>
  isListCall(call) && (decodeURIComponent(call.query).match(/externalId eq/g) ?? []).length >= 2;

describe('bulk offboardings: batched look-ups (dev server, real activities against the simulator)', () => {
  let stack: LifecycleTestStack;
  useLifecycleTestStack(
    { server: 'dev-server', longLivedWorkers: true, resetSimulatorBeforeEach: true },
    (started) => (stack = started),
  );
  const { statusOf } = offboardingRunProbes(() => stack.env.client, bulkTimeoutMs);

  /** Seeds the leavers (plus `unknown` externalIDs nobody has) and imports them all as one CSV. */
  async function importLeavers(count: number, unknown: string[] = []) {
    const leavers = await Promise.all(
      Array.from({ length: count }, () => seedLeaver(stack.control, { sessions: 1 })),
    );
    const externalIDs = [...leavers.map((leaver) => leaver.externalID), ...unknown];
    const parsed = parseImportFile(['externalID', ...externalIDs].join('\n'), 'offboarding');
    assert.equal(parsed.valid.length, externalIDs.length);
    const outcome = await runImport(stack.env.client, parsed, policies);
    assert.equal(outcome.summary.started, externalIDs.length);
    for (const row of outcome.rows) stack.track({ workflowId: row.workflowId ?? '' });
    return { leavers, externalIDs };
  }

  /** Waits until every seeded leaver is deactivated with no session left. */
  async function awaitDeactivated(externalIDs: readonly string[]) {
    const wanted = new Set(externalIDs);
    await waitFor(
      () => stack.control.users(),
      (users) =>
        users.filter((user) => wanted.has(user.externalID ?? '') && user.status === 'deactivated').length ===
        wanted.size,
      { timeoutMs: bulkTimeoutMs, intervalMs: 250, what: `${wanted.size} leavers deactivated` },
    );
    const users = (await stack.control.users()).filter((user) => wanted.has(user.externalID ?? ''));
    assert.ok(users.every((user) => user.sessions === 0 && user.logoutRequests === 1));
  }

  it('60 leavers of one import are all deactivated with at most 2.1 Staffbase requests each', async () => {
    const { leavers } = await importLeavers(60);
    const externalIDs = leavers.map((leaver) => leaver.externalID);
    await awaitDeactivated(externalIDs);
    for (const externalID of externalIDs) {
      await waitFor(
        () => statusOf(`offboarding-${externalID}`),
        (status) => status.stage === 'retention',
        { timeoutMs: bulkTimeoutMs, what: `${externalID} in retention` },
      );
    }
    const log = await stack.control.log();
    const perLeaver = log.length / externalIDs.length;
    console.log(
      `bulk offboarding: ${log.length} Staffbase requests for 60 leavers (${perLeaver.toFixed(3)} each)`,
    );
    assert.ok(perLeaver <= 2.1, `${log.length} requests for 60 leavers (${perLeaver} each)`);
    // One list request for up to 50 people, then per leaver: end sessions, deactivate — no reads by id.
    assert.equal(log.filter((call) => call.routeKey === 'GET /users/:id').length, 0, 'no re-reads');
    assert.equal(log.filter((call) => call.routeKey === 'DELETE /users/:id/sessions').length, 60);
    assert.equal(log.filter((call) => call.routeKey === 'PUT /users/:id').length, 60);
    const lists = log.filter(isListCall);
    assert.ok(
      lists.length >= 2 && lists.every(isBatchedListCall),
      `${lists.length} list requests, all batched`,
    );
  });

  it('a leaver of an import who is not in Staffbase ends user-not-found; the others are offboarded', async () => {
    const missing = `nobody-${uniqueSuffix()}`;
    const { leavers } = await importLeavers(2, [missing]);
    await awaitDeactivated(leavers.map((leaver) => leaver.externalID));
    const outcome = (await stack.env.client.workflow
      .getHandle(`offboarding-${missing}`)
      .result()) as OffboardingOutcome;
    assert.equal(outcome.result, 'user-not-found');
    const log = await stack.control.log();
    assert.ok(log.filter(isListCall).every(isBatchedListCall), 'the missing person was not looked up alone');
  });

  it('a tenant that refuses the batch’s `or` (400) still offboards everyone, one look-up each', async () => {
    await stack.control.setShapes('externalid-or-refused');
    const { leavers } = await importLeavers(5);
    await awaitDeactivated(leavers.map((leaver) => leaver.externalID));
    const log = await stack.control.log();
    const refused = log.filter((call) => isBatchedListCall(call) && call.status === 400);
    assert.ok(refused.length >= 1, 'the batch was refused');
    const alone = log.filter((call) => isListCall(call) && !isBatchedListCall(call) && call.status === 200);
    assert.equal(alone.length, 5, 'each leaver looked up alone');
  });

  it('a single offboarding HR starts alone makes no batcher call', async () => {
    const person = await seedLeaver(stack.control, { sessions: 1 });
    const run = stack.track(
      await startOffboarding(stack.env.client, { externalID: person.externalID }, offboardingPolicy()),
    );
    await waitFor(
      () => statusOf(run.workflowId),
      (status) => status.stage === 'retention',
      { timeoutMs: 60_000, what: 'retention' },
    );
    const history = await stack.env.client.workflow.getHandle(run.workflowId).fetchHistory();
    const activities = (history.events ?? []).flatMap(
      (event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? [],
    );
    assert.ok(activities.includes('findAccountByExternalId'), 'looked up alone');
    assert.ok(!activities.includes('requestBatchedLookup'), 'no batcher call');
    // The SDK lists the run's patch markers in this search attribute (what `patches` counts by).
    const { searchAttributes } = await stack.env.client.workflow.getHandle(run.workflowId).describe();
    const changes = (searchAttributes.TemporalChangeVersion ?? []) as string[];
    assert.ok(changes.includes('exact-account'), `patch markers: ${changes.join(', ')}`);
    assert.ok(!changes.includes('batched-lookup'), 'no batched-lookup marker');
    const log = await stack.control.log();
    assert.deepEqual(
      log.map((call) => call.routeKey),
      ['GET /users', 'GET /users/:id', 'DELETE /users/:id/sessions', 'GET /users/:id', 'PUT /users/:id'],
    );
  });
});
