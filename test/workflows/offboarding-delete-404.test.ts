import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttentionAnswer } from '../../lifecycle/attention';
import { cancelOffboarding, deleteNow } from '../../client/lifecycle-actions';
import { startOffboarding } from '../../client/lifecycle-runs';
import { retryStepUpdate } from '../../workflows/attention-messages';
import { type OffboardingOutcome } from '../../workflows/offboarding-messages';
import { type LifecycleTestStack, useLifecycleTestStack } from '../helpers/lifecycle-stack';
import { offboardingPolicy } from '../helpers/people';
import { offboardingRunProbes, seedLeaver } from '../helpers/offboarding-runs';

/**
 * Issue 27: Staffbase's newer endpoints answer 404 when an action is not permitted, so a DELETE
 * answered 404 counts as gone only when a GET by id also answers 404 and the exact externalID look-up
 * finds nothing (patch `delete-404-confirmed`). Time-skipping server, real activities, the simulator.
 */
describe('offboarding: a DELETE answered 404 is confirmed by a read', () => {
  let stack: LifecycleTestStack;
  useLifecycleTestStack(
    { server: 'time-skipping', longLivedWorkers: true, resetSimulatorBeforeEach: true },
    (started) => (stack = started),
  );

  const employee = () => seedLeaver(stack.control, { sessions: 1 });
  const { handleOf, awaitStage } = offboardingRunProbes(() => stack.env.client, 60_000);
  /** The deletion's calls and the reads after it, in order. */
  const callsFromFirstDelete = async () => {
    const calls = await stack.control.log();
    const first = calls.findIndex((call) => call.routeKey === 'DELETE /users/:id');
    return first < 0 ? [] : calls.slice(first);
  };
  const refusedDelete = { route: 'DELETE /users/:id', failNext: 1, errorStatus: 404 };

  /** Deactivated, in retention, a 404 armed for the next DELETE, and the deletion brought forward. */
  async function runUpToTheDeletion(person: { externalID: string }, fault: object) {
    const run = stack.track(
      await startOffboarding(stack.env.client, { externalID: person.externalID }, offboardingPolicy()),
    );
    await awaitStage(run.workflowId, 'retention');
    await stack.control.setFaults([{ route: 'DELETE /users/:id', ...fault }]);
    await deleteNow(stack.env.client, person.externalID);
    return run;
  }

  it('a 404 while the account still exists parks the run as not-permitted; a retry deletes it', async () => {
    const person = await employee();
    const outcome = await stack.runWorkers(async () => {
      const run = await runUpToTheDeletion(person, refusedDelete);
      const parked = await awaitStage(run.workflowId, 'needs-attention');
      assert.equal(parked.attention?.code, 'not-permitted');
      assert.equal(parked.attention?.step, 'delete');
      assert.equal(parked.outcome, undefined, 'never reported deleted');
      assert.match(parked.attention?.message ?? '', /404.*still finds it/);

      const account = await stack.control.user(person.externalID);
      assert.equal(account?.status, 'deactivated', 'the account still exists, untouched');
      const calls = (await callsFromFirstDelete()).map((call) => `${call.routeKey} ${call.status}`);
      assert.equal(calls[0], 'DELETE /users/:id 404');
      assert.equal(calls[1], 'GET /users/:id 200', 'the confirming read by id');
      assert.equal(calls.length, 2, 'the account found by id: no externalID look-up needed');

      // Permission fixed: a retry runs the whole deletion step again.
      const answer: AttentionAnswer = await handleOf(run.workflowId).executeUpdate(retryStepUpdate);
      assert.equal(answer.result, 'resolved');
      return (await handleOf(run.workflowId).result()) as OffboardingOutcome;
    });
    assert.equal(outcome.result, 'deleted');
    assert.equal(outcome.alreadyGone, false);
    assert.equal(await stack.control.user(person.externalID), undefined, 'deleted by the retry');
    const deletes = (await callsFromFirstDelete()).filter((call) => call.routeKey === 'DELETE /users/:id');
    assert.equal(deletes.length, 2, 'the refused DELETE and the retried one');
    assert.equal(deletes[0]?.status, 404);
    assert.ok(deletes[1] && deletes[1].status >= 200 && deletes[1].status < 300, 'the retry deleted it');
  });

  it('a cancel while it waits as not-permitted reactivates the account', async () => {
    const person = await employee();
    const outcome = await stack.runWorkers(async () => {
      const run = await runUpToTheDeletion(person, refusedDelete);
      const parked = await awaitStage(run.workflowId, 'needs-attention');
      assert.equal(parked.attention?.code, 'not-permitted');
      return cancelOffboarding(stack.env.client, person.externalID, 'stays after all');
    });
    assert.equal(outcome.result, 'cancelled');
    assert.equal(outcome.reactivated, true);
    assert.equal((await stack.control.user(person.externalID))?.status, 'activated');
  });

  it('a 404 for an account that is really gone ends deleted (already gone), as before', async () => {
    const person = await employee();
    const outcome = await stack.runWorkers(async () => {
      // The DELETE runs and its answer is replaced by a 404: gone by the time the run hears 404, as
      // when somebody deleted it in Studio between the run's read and its DELETE.
      const run = await runUpToTheDeletion(person, { lostReplyNext: 1, errorStatus: 404 });
      return (await handleOf(run.workflowId).result()) as OffboardingOutcome;
    });
    assert.equal(outcome.result, 'deleted');
    assert.equal(outcome.alreadyGone, true);
    assert.equal(await stack.control.user(person.externalID), undefined);
    const calls = (await callsFromFirstDelete()).map((call) => `${call.routeKey} ${call.status}`);
    assert.deepEqual(calls, ['DELETE /users/:id 404', 'GET /users/:id 404', 'GET /users 200']);
  });
});
