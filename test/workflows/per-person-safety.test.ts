import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startOffboarding, startOnboarding } from '../../client/lifecycle-runs';
import type { OffboardingRequest } from '../../lifecycle/offboarding-request';
import type { OnboardingRequest } from '../../lifecycle/onboarding-request';
import {
  offboardingStatusQuery,
  type OffboardingOutcome,
  type OffboardingStatus,
} from '../../workflows/offboarding-messages';
import { priorityLanes } from '../../lifecycle/priority-lanes';
import { cancelOnboardingSignal, type OnboardingOutcome } from '../../workflows/onboarding-messages';
import { type LifecycleTestStack, useLifecycleTestStack } from '../helpers/lifecycle-stack';
import { newHire, offboardingPolicy, onboardingPolicy, uniqueSuffix } from '../helpers/people';
import { TEST_TOKEN, apiCaller } from '../helpers/simulator';
import { waitFor } from '../helpers/waiting';

/**
 * Per-person safety: no step acts on a stale assumption, and two lifecycles of one person never work
 * against each other. Each test counts what Staffbase *did* (the simulator's effects record).
 */
describe('per-person safety (time-skipping server, real activities against the simulator)', () => {
  let stack: LifecycleTestStack;
  useLifecycleTestStack(
    { server: 'time-skipping', longLivedWorkers: true, resetSimulatorBeforeEach: true },
    (started) => (stack = started),
  );

  /** An activated employee with an open session, and the onboarding request that would rehire them. */
  async function employee(overrides: { externalID?: string } = {}) {
    const id = uniqueSuffix();
    const externalID = overrides.externalID ?? `person-${id}`;
    const user = await stack.control.seedUser({
      externalID,
      userName: `person.${id}`,
      firstName: 'Grace',
      lastName: 'Hopper',
      emails: [{ value: `person.${id}@example.test`, primary: true }],
      status: 'activated',
      sessions: 1,
    });
    const rehire: OnboardingRequest = {
      externalID,
      userName: `person.${id}`,
      firstName: 'Grace',
      lastName: 'Hopper',
      email: `person.${id}@example.test`,
    };
    return { externalID, id: user.id, rehire };
  }

  const handleOf = (workflowId: string) => stack.env.client.workflow.getHandle(workflowId);
  const statusOf = (workflowId: string) => handleOf(workflowId).query(offboardingStatusQuery);
  const awaitStage = (workflowId: string, stage: OffboardingStatus['stage']) =>
    waitFor(
      () => statusOf(workflowId),
      (status) => status.stage === stage,
      { what: `stage ${stage}` },
    );
  const offboard = async (request: OffboardingRequest) =>
    stack.track(await startOffboarding(stack.env.client, request, offboardingPolicy()));
  const onboard = async (request: OnboardingRequest) =>
    stack.track(await startOnboarding(stack.env.client, request, onboardingPolicy(), { rerun: true }));
  const inSeconds = async (seconds: number) =>
    new Date((await stack.env.currentTimeMs()) + seconds * 1000).toISOString();
  const effectsOn = async (userId: string) =>
    (await stack.control.effects()).filter((effect) => effect.userId === userId);

  it('a rehire during retention cancels the offboarding; the account is reactivated, never deleted', async () => {
    const person = await employee();
    const { offboarded, onboarded } = await stack.runWorkers(async () => {
      const leaver = await offboard({ externalID: person.externalID, deleteAt: await inSeconds(30) });
      await awaitStage(leaver.workflowId, 'retention');
      const joiner = await onboard(person.rehire);
      const onboardedOutcome = (await handleOf(joiner.workflowId).result()) as OnboardingOutcome;
      await stack.env.sleep('2 minutes'); // well past the old deletion date
      const offboardedOutcome = (await handleOf(leaver.workflowId).result()) as OffboardingOutcome;
      return { offboarded: offboardedOutcome, onboarded: onboardedOutcome };
    });
    assert.equal(offboarded.result, 'cancelled-by-rehire');
    assert.equal(onboarded.result, 'activated');
    assert.equal(onboarded.activatedVia, 'reactivated');
    assert.equal(onboarded.settledOffboarding, 'cancelled');
    assert.equal((await stack.control.user(person.id))?.status, 'activated');
    const kinds = (await effectsOn(person.id)).map((effect) => effect.kind);
    assert.deepEqual(kinds, ['logged-out', 'deactivated', 'reactivated']);
  });

  it('a rehire before the last working day stops the offboarding before it touches anything', async () => {
    const person = await employee();
    const lastWorkingDay = new Date((await stack.env.currentTimeMs()) + 10 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const offboarded = await stack.runWorkers(async () => {
      const leaver = await offboard({ externalID: person.externalID, lastWorkingDay });
      await awaitStage(leaver.workflowId, 'scheduled');
      const joiner = await onboard(person.rehire);
      const onboarded = (await handleOf(joiner.workflowId).result()) as OnboardingOutcome;
      assert.equal(onboarded.result, 'activated');
      assert.equal(onboarded.activatedVia, 'already-activated');
      return (await handleOf(leaver.workflowId).result()) as OffboardingOutcome;
    });
    assert.equal(offboarded.result, 'cancelled-by-rehire');
    assert.deepEqual(await effectsOn(person.id), [], 'Staffbase was not changed at all');
  });

  it('an account reactivated by hand during retention is kept at the deadline', async () => {
    const person = await employee();
    const outcome = await stack.runWorkers(async () => {
      const leaver = await offboard({ externalID: person.externalID, deleteAt: await inSeconds(30) });
      await awaitStage(leaver.workflowId, 'retention');
      await stack.control.setStatusByHand(person.id, 'activated');
      await stack.env.sleep('1 minute');
      return (await handleOf(leaver.workflowId).result()) as OffboardingOutcome;
    });
    assert.equal(outcome.result, 'kept');
    assert.equal(outcome.keptBecause, 'reactivated-since');
    assert.equal((await stack.control.user(person.id))?.status, 'activated');
    assert.ok(!(await effectsOn(person.id)).some((effect) => effect.kind === 'deleted'));
  });

  it("an account reactivated and deactivated again by hand is not this run's deactivation: kept", async () => {
    const person = await employee();
    const outcome = await stack.runWorkers(async () => {
      const leaver = await offboard({ externalID: person.externalID, deleteAt: await inSeconds(30) });
      await awaitStage(leaver.workflowId, 'retention');
      await stack.control.setStatusByHand(person.id, 'activated');
      await stack.control.setStatusByHand(person.id, 'deactivated');
      await stack.env.sleep('1 minute');
      return (await handleOf(leaver.workflowId).result()) as OffboardingOutcome;
    });
    assert.equal(outcome.result, 'kept');
    assert.equal(outcome.keptBecause, 'reactivated-since');
    assert.equal((await stack.control.user(person.id))?.status, 'deactivated');
  });

  it('an account whose externalID was changed meanwhile is left alone (account-replaced)', async () => {
    const person = await employee();
    const outcome = await stack.runWorkers(async () => {
      const leaver = await offboard({ externalID: person.externalID, deleteAt: await inSeconds(30) });
      await awaitStage(leaver.workflowId, 'retention');
      await renameExternalId(person.id, `${person.externalID}-old`);
      await stack.env.sleep('1 minute');
      return (await handleOf(leaver.workflowId).result()) as OffboardingOutcome;
    });
    assert.equal(outcome.result, 'kept');
    assert.equal(outcome.keptBecause, 'account-replaced');
    assert.equal((await stack.control.user(person.id))?.status, 'deactivated');
  });

  it("never touches the user whose Staffbase id equals the leaver's externalID", async () => {
    const bystander = await stack.control.seedUser({
      userName: `bystander.${uniqueSuffix()}`,
      status: 'activated',
      sessions: 3,
    });
    const person = await employee({ externalID: bystander.id });
    const outcome = await stack.runWorkers(async () => {
      const leaver = await offboard({ externalID: person.externalID, deleteAt: await inSeconds(30) });
      await awaitStage(leaver.workflowId, 'retention');
      await stack.env.sleep('1 minute');
      return (await handleOf(leaver.workflowId).result()) as OffboardingOutcome;
    });
    assert.equal(outcome.result, 'deleted');
    assert.equal(outcome.staffbaseUserId, person.id);
    const untouched = await stack.control.user(bystander.id);
    assert.equal(untouched?.status, 'activated');
    assert.equal(untouched?.sessions, 3);
    assert.deepEqual(await effectsOn(bystander.id), []);
    assert.equal(await stack.control.user(person.id), undefined);
  });

  it('answers lost after the effect (logout, deactivate, delete) repeat no effect', async () => {
    const person = await employee();
    await stack.control.setFaults([
      { route: 'DELETE /users/:id/sessions', lostReplyNext: 1 },
      { route: 'PUT /users/:id', lostReplyNext: 1, lostReplyAs: 'drop' },
      { route: 'DELETE /users/:id', lostReplyNext: 1 },
    ]);
    const outcome = await stack.runWorkers(async () => {
      const leaver = await offboard({ externalID: person.externalID, deleteAt: await inSeconds(30) });
      await awaitStage(leaver.workflowId, 'retention');
      await stack.env.sleep('1 minute');
      return (await handleOf(leaver.workflowId).result()) as OffboardingOutcome;
    });
    assert.equal(outcome.result, 'deleted');
    const kinds = (await effectsOn(person.id)).map((effect) => effect.kind);
    // A logout is repeated after its lost answer: the API shows no sessions to re-check, and ending
    // sessions twice harms nothing. The state changes happen exactly once.
    assert.deepEqual(
      kinds.filter((kind) => kind !== 'logged-out'),
      ['deactivated', 'deleted'],
    );
    assert.equal(kinds[0], 'logged-out');
    const lost = (await stack.control.log()).filter((call) => call.outcome === 'reply-lost');
    assert.equal(lost.length, 3, 'every fault fired');
  });

  it('a create whose answer was lost is adopted, not repeated: one account', async () => {
    const id = uniqueSuffix();
    await stack.control.setFaults([{ route: 'POST /users', lostReplyNext: 1 }]);
    const hire: OnboardingRequest = {
      externalID: `joiner-${id}`,
      userName: `joiner.${id}`,
      firstName: 'Alan',
      lastName: 'Turing',
      email: `joiner.${id}@example.test`,
    };
    await stack.runWorkers(async () => {
      const joiner = await onboard(hire);
      await waitFor(
        () => stack.control.user(hire.externalID),
        (user) => user?.status === 'pending',
        { what: 'the account' },
      );
      await stack.control.activate(hire.externalID);
      await stack.env.sleep('2 hours');
      const outcome = (await handleOf(joiner.workflowId).result()) as OnboardingOutcome;
      assert.equal(outcome.result, 'activated');
    });
    const creates = (await stack.control.effects()).filter((effect) => effect.kind === 'created');
    assert.equal(creates.length, 1);
    assert.equal((await stack.control.users()).length, 1);
  });

  /** An administrator gives the account another externalID (the API allows it; the client never does). */
  async function renameExternalId(userId: string, externalID: string): Promise<void> {
    const answer = await apiCaller(stack.simulator, TEST_TOKEN)('PUT', `/users/${userId}`, {
      body: { externalID },
    });
    assert.equal(answer.status, 200);
  }
});

// Retry back-offs need real time: the time-skipping server would skip the very wait under test.
describe('per-person safety: a DELETE never acts on an old read (dev server, real time)', () => {
  let stack: LifecycleTestStack;
  useLifecycleTestStack(
    { server: 'dev-server', resetSimulatorBeforeEach: true },
    (started) => (stack = started),
  );

  const handleOf = (workflowId: string) => stack.env.client.workflow.getHandle(workflowId);
  /** Waits until Staffbase has answered the first DELETE of this account with an injected 503. */
  const firstDeleteRefused = (userId: string) =>
    waitFor(
      () => stack.control.log(),
      (calls) => calls.some((call) => call.routeKey === 'DELETE /users/:id' && call.path.endsWith(userId)),
      { timeoutMs: 30_000, what: 'the first DELETE' },
    );
  /** The DELETEs of this account and the reads of it after the first DELETE, as the tenant saw them. */
  const callsAfterFirstDelete = async (userId: string) => {
    const calls = (await stack.control.log()).filter((call) => call.path.endsWith(`/users/${userId}`));
    const first = calls.findIndex((call) => call.routeKey === 'DELETE /users/:id');
    return calls.slice(first).map((call) => `${call.routeKey} ${call.status}`);
  };
  /** Priority keys of the activities the run scheduled, by activity type. */
  const prioritiesOf = async (workflowId: string) => {
    const { events } = await handleOf(workflowId).fetchHistory();
    const keys = new Map<string, Set<number>>();
    for (const event of events ?? []) {
      const scheduled = event.activityTaskScheduledEventAttributes;
      const type = scheduled?.activityType?.name;
      if (!type) continue;
      keys.set(type, (keys.get(type) ?? new Set()).add(scheduled?.priority?.priorityKey ?? 0));
    }
    return keys;
  };

  it('a pending account accepted while its DELETE waits out 5xx retries is kept: read again, not deleted', async () => {
    const hire = newHire();
    // Two 503s: the third attempt comes about 3 s after the read (back-off 1 s, 2 s), past the bound.
    await stack.control.setFaults([{ route: 'DELETE /users/:id', failNext: 2, errorStatus: 503 }]);
    const outcome = await stack.runWorkers(async () => {
      const run = stack.track(
        await startOnboarding(stack.env.client, hire, onboardingPolicy({ cancelAction: 'delete-pending' })),
      );
      const account = await waitFor(
        () => stack.control.user(hire.externalID),
        (user) => user?.status === 'pending',
        { what: 'the pending account' },
      );
      await handleOf(run.workflowId).signal(cancelOnboardingSignal, { reason: 'offer withdrawn' });
      await firstDeleteRefused(account!.id);
      await stack.control.activate(account!.id); // the new hire accepts, after the run's read
      const ended = (await handleOf(run.workflowId).result()) as OnboardingOutcome;
      const lanes = await prioritiesOf(run.workflowId);
      assert.deepEqual([...(lanes.get('readAccount') ?? [])], [priorityLanes.standard]);
      assert.deepEqual(
        [...(lanes.get('deleteAccount') ?? [])],
        [priorityLanes.urgent],
        'the act a lane ahead',
      );
      return { ended, id: account!.id };
    });
    assert.equal(outcome.ended.result, 'cancelled');
    assert.equal(outcome.ended.accountAction, 'kept');
    assert.equal((await stack.control.user(outcome.id))?.status, 'activated');
    assert.ok(
      !(await stack.control.effects()).some((effect) => effect.kind === 'deleted'),
      'nothing deleted',
    );
    // The attempt on the old read read the account again itself and sent no DELETE; the step then read
    // again to decide (kept).
    const calls = await callsAfterFirstDelete(outcome.id);
    assert.equal(calls.at(-1), 'GET /users/:id 200', calls.join(', '));
    assert.ok(calls.filter((call) => call.startsWith('GET')).length >= 2, calls.join(', '));
    assert.ok(
      calls.every((call) => call === 'DELETE /users/:id 503' || call === 'GET /users/:id 200'),
      calls.join(', '),
    );
  });

  it('a deactivated account reactivated by hand while its DELETE waits out 5xx retries is kept', async () => {
    const id = uniqueSuffix();
    const externalID = `leaver-${id}`;
    const user = await stack.control.seedUser({
      externalID,
      userName: `leaver.${id}`,
      emails: [{ value: `leaver.${id}@example.test`, primary: true }],
      status: 'activated',
      sessions: 1,
    });
    await stack.control.setFaults([{ route: 'DELETE /users/:id', failNext: 2, errorStatus: 503 }]);
    const outcome = await stack.runWorkers(async () => {
      const deleteAt = new Date(Date.now() + 3_000).toISOString();
      const run = stack.track(
        await startOffboarding(stack.env.client, { externalID, deleteAt }, offboardingPolicy()),
      );
      await firstDeleteRefused(user.id);
      await stack.control.setStatusByHand(user.id, 'activated'); // after the deletion's read
      return (await handleOf(run.workflowId).result()) as OffboardingOutcome;
    });
    assert.equal(outcome.result, 'kept');
    assert.equal(outcome.keptBecause, 'reactivated-since');
    assert.equal((await stack.control.user(user.id))?.status, 'activated');
    assert.ok(
      !(await stack.control.effects()).some((effect) => effect.kind === 'deleted'),
      'nothing deleted',
    );
  });
});
