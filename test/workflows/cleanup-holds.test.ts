/**
 * Clean-ups respect the open runs of the people whose accounts they would delete (issue #24,
 * scenario 2): a legal hold, an offboarding in retention, an open onboarding. Dev server, the
 * production workers and activities, the simulator over HTTP — nothing stubbed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { placeLegalHold, releaseLegalHold } from '../../client/lifecycle-actions';
import { startOffboarding, startOnboarding } from '../../client/lifecycle-runs';
import { startCleanup, supportRunHandle } from '../../client/support-runs';
import { openRunsOfPersonQuery } from '../../lifecycle/cleanup-holds';
import { externalIdSearchAttribute, legalHoldSearchAttribute } from '../../lifecycle/search-attributes';
import type { CleanupRequest } from '../../lifecycle/support-requests';
import { offboardingStatusQuery } from '../../workflows/offboarding-messages';
import { onboardingStatusQuery } from '../../workflows/onboarding-messages';
import type { BulkOutcome } from '../../workflows/support-messages';
import { type LifecycleTestStack, useLifecycleTestStack } from '../helpers/lifecycle-stack';
import { newHire, offboardingPolicy, onboardingPolicy, uniqueSuffix } from '../helpers/people';
import { waitFor } from '../helpers/waiting';

const hour = 3_600_000;
const day = 24 * hour;

describe('clean-ups skip accounts held by a person’s open run (dev server, real activities)', () => {
  let stack: LifecycleTestStack;
  useLifecycleTestStack(
    {
      server: 'dev-server',
      staffbaseRequestsPerSecond: 100,
      longLivedWorkers: true,
      resetSimulatorBeforeEach: true,
    },
    (started) => (stack = started),
  );

  /** A window of deactivations around now: every account deactivated by these tests falls in it. */
  const aroundNow = (): CleanupRequest => ({
    kind: 'deactivated-users',
    deactivatedFrom: new Date(Date.now() - day).toISOString(),
    deactivatedBefore: new Date(Date.now() + day).toISOString(),
  });

  const seed = async (role: string, status: 'activated' | 'deactivated') => {
    const id = uniqueSuffix();
    const user = await stack.control.seedUser({
      externalID: `${role}-${id}`,
      userName: `${role}.${id}`,
      emails: [{ value: `${role}.${id}@example.test`, primary: true }],
      status,
      ...(status === 'deactivated' && { deactivated: new Date(Date.now() - hour).toISOString() }),
    });
    return { externalID: `${role}-${id}`, id: user.id };
  };

  /** A leaver whose offboarding has deactivated the account and keeps it for 30 days. */
  const leaverInRetention = async () => {
    const person = await seed('leaver', 'activated');
    const run = stack.track(
      await startOffboarding(
        stack.env.client,
        { externalID: person.externalID, retentionDays: 30 },
        offboardingPolicy(),
      ),
    );
    await waitFor(
      () => stack.env.client.workflow.getHandle(run.workflowId).query(offboardingStatusQuery),
      (status) => status.stage === 'retention',
      { what: 'the leaver in retention', timeoutMs: 30_000 },
    );
    return person;
  };

  const cleanUp = async (request: CleanupRequest): Promise<BulkOutcome> => {
    const run = stack.track(await startCleanup(stack.env.client, request));
    return (await supportRunHandle(stack.env.client, run.workflowId).result()) as BulkOutcome;
  };
  const remainingIds = async () => new Set((await stack.control.users()).map((user) => user.id));
  const deletesOf = async (staffbaseUserId: string) =>
    (await stack.control.log()).filter(
      (call) => call.routeKey === 'DELETE /users/:id' && call.path.endsWith(`/users/${staffbaseUserId}`),
    );
  /** The open offboardings visibility shows under a legal hold for this person. */
  const heldInVisibility = async (externalID: string) => {
    const runs = [];
    const query = `${legalHoldSearchAttribute.name} = true AND StaffbaseExternalId = '${externalID}' AND ExecutionStatus = 'Running'`;
    for await (const run of stack.env.client.workflow.list({ query })) runs.push(run);
    return runs;
  };

  it('scenario 2: a held leaver survives a deactivated-users clean-up over their window, named skipped legal-hold', async () => {
    const leaver = await leaverInRetention();
    const bystander = await seed('bystander', 'deactivated');

    const held = await placeLegalHold(stack.env.client, leaver.externalID, 'litigation 2026-24');
    assert.equal(held.legalHold?.reason, 'litigation 2026-24');
    // Every process sees the hold: the LegalHold search attribute, not only the run's own query.
    const visible = await waitFor(
      () => heldInVisibility(leaver.externalID),
      (runs) => runs.length === 1,
      { what: 'LegalHold = true in visibility', timeoutMs: 20_000 },
    );
    assert.equal(visible[0]?.typedSearchAttributes.get(legalHoldSearchAttribute), true);

    const outcome = await cleanUp(aroundNow());
    assert.equal(outcome.result, 'completed');
    assert.equal(outcome.done, 1, 'the bystander was deleted: the clean-up did run');
    assert.equal(outcome.skipped, 1);
    assert.deepEqual(outcome.skippedAccounts, [
      { staffbaseUserId: leaver.id, externalID: leaver.externalID, reason: 'legal-hold' },
    ]);
    assert.deepEqual(outcome.skippedFor, { 'legal-hold': 1 });

    const remaining = await remainingIds();
    assert.ok(remaining.has(leaver.id), 'the held account survives');
    assert.ok(!remaining.has(bystander.id), 'the bystander is gone');
    assert.deepEqual(await deletesOf(leaver.id), [], 'no DELETE was sent for the held account');
    const status = await stack.env.client.workflow
      .getHandle(`offboarding-${leaver.externalID}`)
      .query(offboardingStatusQuery);
    assert.equal(status.stage, 'on-hold');

    // Released, the hold is gone for every process too; the offboarding still keeps the account.
    await releaseLegalHold(stack.env.client, leaver.externalID);
    await waitFor(
      () => heldInVisibility(leaver.externalID),
      (runs) => runs.length === 0,
      { what: 'LegalHold = false in visibility', timeoutMs: 20_000 },
    );
    const again = await cleanUp(aroundNow());
    assert.equal(again.result, 'completed');
    assert.equal(again.done, 0);
    assert.deepEqual(again.skippedAccounts, [
      { staffbaseUserId: leaver.id, externalID: leaver.externalID, reason: 'in-retention' },
    ]);
    assert.ok((await remainingIds()).has(leaver.id), 'still kept for its retention period');
  });

  it('skips an offboarding in retention and an open onboarding; the dry run samples them with the reason first', async () => {
    const leaver = await leaverInRetention();
    // A rehire's old account, deactivated in the window; the new onboarding waits for its start date.
    const joiner = await seed('joiner', 'deactivated');
    const startDate = new Date(Date.now() + 60 * day).toISOString().slice(0, 10);
    const onboarding = stack.track(
      await startOnboarding(
        stack.env.client,
        newHire({ externalID: joiner.externalID, startDate }),
        onboardingPolicy(),
      ),
    );
    const scheduled = await stack.env.client.workflow
      .getHandle(onboarding.workflowId)
      .query(onboardingStatusQuery);
    assert.equal(scheduled.stage, 'scheduled');
    const nobody = await seed('nobody', 'deactivated');

    const dry = await cleanUp({ ...aroundNow(), dryRun: true });
    assert.equal(dry.result, 'dry-run');
    assert.equal(dry.total, 3);
    const reasons = new Map(dry.sample?.map((user) => [user.id, user.skipReason]));
    assert.equal(reasons.size, 3);
    assert.equal(reasons.get(leaver.id), 'in-retention');
    assert.equal(reasons.get(joiner.id), 'onboarding-open');
    assert.equal(reasons.get(nobody.id), undefined, 'an account nobody holds would be deleted');
    assert.deepEqual(
      [...(dry.skippedAccounts ?? [])].sort((a, b) => a.reason.localeCompare(b.reason)),
      [
        { staffbaseUserId: leaver.id, externalID: leaver.externalID, reason: 'in-retention' },
        { staffbaseUserId: joiner.id, externalID: joiner.externalID, reason: 'onboarding-open' },
      ],
    );
    const deletes = (await stack.control.log()).filter((call) => call.routeKey === 'DELETE /users/:id');
    assert.deepEqual(deletes, [], 'the dry run deleted nothing');

    const outcome = await cleanUp(aroundNow());
    assert.equal(outcome.result, 'completed');
    assert.equal(outcome.done, 1);
    assert.equal(outcome.skipped, 2);
    assert.deepEqual(outcome.skippedFor, { 'in-retention': 1, 'onboarding-open': 1 });
    const remaining = await remainingIds();
    assert.ok(remaining.has(leaver.id), 'the leaver in retention survives');
    assert.ok(remaining.has(joiner.id), 'the joiner with an open onboarding survives');
    assert.ok(!remaining.has(nobody.id), 'the account nobody holds is deleted');
  });

  it('finds runs through visibility too: a run of another lifecycle (a future leave) holds the account as on-leave', async () => {
    const person = await seed('on-leave', 'deactivated');
    // No worker serves this queue: the run stays open, known to the clean-up only through visibility.
    const leave = stack.track(
      await stack.env.client.workflow.start('leave', {
        taskQueue: `no-worker-${process.pid}`,
        workflowId: `leave-${person.externalID}`,
        typedSearchAttributes: [{ key: externalIdSearchAttribute, value: person.externalID }],
      }),
    );
    await waitFor(
      async () => {
        const runs = [];
        for await (const run of stack.env.client.workflow.list({
          query: openRunsOfPersonQuery(person.externalID),
        }))
          runs.push(run.workflowId);
        return runs;
      },
      (runs) => runs.includes(leave.workflowId),
      { what: 'the leave run in visibility', timeoutMs: 20_000 },
    );

    const outcome = await cleanUp(aroundNow());
    assert.equal(outcome.result, 'completed');
    assert.equal(outcome.done, 0);
    assert.deepEqual(outcome.skippedAccounts, [
      { staffbaseUserId: person.id, externalID: person.externalID, reason: 'on-leave' },
    ]);
    assert.ok((await remainingIds()).has(person.id));
  });
});
