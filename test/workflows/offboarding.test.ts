import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ActionRefusedError,
  NoOpenRunError,
  cancelOffboarding,
  changeRetention,
  deleteNow,
  placeLegalHold,
  releaseLegalHold,
} from '../../client/lifecycle-actions';
import { InvalidLifecycleRequestError, startOffboarding, startOnboarding } from '../../client/lifecycle-runs';
import type { OffboardingRequest } from '../../lifecycle/offboarding-request';
import { offboardingStatusQuery, type OffboardingOutcome } from '../../workflows/offboarding-messages';
import { onboardingStatusQuery, type OnboardingOutcome } from '../../workflows/onboarding-messages';
import { type LifecycleTestStack, useLifecycleTestStack } from '../helpers/lifecycle-stack';
import { newHire, offboardingPolicy, onboardingPolicy, uniqueSuffix } from '../helpers/people';
import { waitFor } from '../helpers/waiting';
import { offboardingRunProbes, seedLeaver } from '../helpers/offboarding-runs';

const day = 86_400_000;
const isoDate = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 10);

describe('offboarding workflow (time-skipping server, real activities against the simulator)', () => {
  let stack: LifecycleTestStack;
  useLifecycleTestStack(
    { server: 'time-skipping', longLivedWorkers: true, resetSimulatorBeforeEach: true },
    (started) => (stack = started),
  );

  /** An active employee with two open sessions. */
  const employee = () => seedLeaver(stack.control, { sessions: 2, activated: '2023-03-01T08:00:00.000Z' });

  const start = async (request: OffboardingRequest, policy = offboardingPolicy()) =>
    stack.track(await startOffboarding(stack.env.client, request, policy));
  const { handleOf, statusOf, awaitStage } = offboardingRunProbes(() => stack.env.client);
  const callsTo = async (routeKey: string) =>
    (await stack.control.log()).filter(
      (call) => call.routeKey === routeKey && call.status >= 200 && call.status < 300,
    );

  it('logs out, deactivates, keeps the account for 30 days, then deletes it', async () => {
    const person = await employee();
    const outcome = await stack.runWorkers(async () => {
      const run = await start({ externalID: person.externalID, retentionDays: 30, reason: 'resigned' });
      const retention = await awaitStage(run.workflowId, 'retention');
      assert.ok(retention.deactivatedAt && retention.deleteAt);
      assert.equal(Date.parse(retention.deleteAt) - Date.parse(retention.deactivatedAt), 30 * day);

      const deactivated = await stack.control.user(person.externalID);
      assert.equal(deactivated?.status, 'deactivated');
      assert.equal(deactivated?.sessions, 0);
      assert.equal(deactivated?.logoutRequests, 1);

      await stack.env.sleep('29 days');
      assert.equal(
        (await stack.control.user(person.externalID))?.status,
        'deactivated',
        'still there on day 29',
      );
      await stack.env.sleep('2 days');
      return (await handleOf(run.workflowId).result()) as OffboardingOutcome;
    });
    assert.equal(outcome.result, 'deleted');
    assert.equal(outcome.alreadyGone, false);
    assert.equal(outcome.reason, 'resigned');
    assert.equal(await stack.control.user(person.externalID), undefined, 'gone after day 30');
    assert.equal((await callsTo('DELETE /users/:id')).length, 1);
  });

  it('waits for the end of the last working day; a cancel before it changes nothing', async () => {
    const person = await employee();
    const lastDay = isoDate((await stack.env.currentTimeMs()) + 10 * day);
    const outcome = await stack.runWorkers(async () => {
      const run = await start({ externalID: person.externalID, lastWorkingDay: lastDay });
      const scheduled = await awaitStage(run.workflowId, 'scheduled');
      assert.equal(scheduled.effectiveAt, `${lastDay}T23:59:00.000Z`);
      await stack.env.sleep('5 days');
      assert.equal((await stack.control.log()).length, 0, 'nothing touched before the last working day ends');
      return cancelOffboarding(stack.env.client, person.externalID, 'stays after all');
    });
    assert.equal(outcome.result, 'cancelled');
    assert.equal(outcome.reactivated, false);
    const untouched = await stack.control.user(person.externalID);
    assert.equal(untouched?.status, 'activated');
    assert.equal(untouched?.sessions, 2);
    assert.equal((await stack.control.log()).length, 0);
  });

  it('a cancel after deactivation reactivates the account (rehire) and logs out nobody again', async () => {
    const person = await employee();
    const outcome = await stack.runWorkers(async () => {
      const run = await start({ externalID: person.externalID });
      await awaitStage(run.workflowId, 'retention');
      await stack.env.sleep('3 days');
      await stack.control.login(person.externalID).catch(() => undefined); // refused while deactivated
      return cancelOffboarding(stack.env.client, person.externalID, 'rehired');
    });
    assert.equal(outcome.result, 'cancelled');
    assert.equal(outcome.reactivated, true);
    const reactivated = await stack.control.user(person.externalID);
    assert.equal(reactivated?.status, 'activated');
    assert.equal(reactivated?.logoutRequests, 1, 'the cancel did not log the user out again');
    assert.equal((await callsTo('DELETE /users/:id')).length, 0);
    await assert.rejects(
      () => cancelOffboarding(stack.env.client, person.externalID),
      NoOpenRunError,
      'a finished offboarding cannot be cancelled again',
    );
  });

  it('brings the deletion forward on "delete now"', async () => {
    const person = await employee();
    const outcome = await stack.runWorkers(async () => {
      const run = await start({ externalID: person.externalID, retentionDays: 90 });
      await awaitStage(run.workflowId, 'retention');
      const before = await stack.env.currentTimeMs();
      await deleteNow(stack.env.client, person.externalID);
      const result = (await handleOf(run.workflowId).result()) as OffboardingOutcome;
      assert.ok(Date.parse(result.deletedAt ?? '') - before < day, 'deleted at once, not after 90 days');
      return result;
    });
    assert.equal(outcome.result, 'deleted');
    assert.equal(await stack.control.user(person.externalID), undefined);
  });

  it('holds the deletion past its deadline under legal hold, refuses delete-now, deletes after release', async () => {
    const person = await employee();
    const outcome = await stack.runWorkers(async () => {
      const run = await start({ externalID: person.externalID, retentionDays: 30 });
      await awaitStage(run.workflowId, 'retention');
      const held = await placeLegalHold(stack.env.client, person.externalID, 'litigation 2026-17');
      assert.equal(held.legalHold?.reason, 'litigation 2026-17');
      await stack.env.sleep('45 days');
      const status = await statusOf(run.workflowId);
      assert.equal(status.stage, 'on-hold');
      assert.equal(
        (await stack.control.user(person.externalID))?.status,
        'deactivated',
        'kept past the deadline',
      );
      await assert.rejects(() => deleteNow(stack.env.client, person.externalID), ActionRefusedError);
      await releaseLegalHold(stack.env.client, person.externalID);
      return (await handleOf(run.workflowId).result()) as OffboardingOutcome;
    });
    assert.equal(outcome.result, 'deleted');
    assert.equal(await stack.control.user(person.externalID), undefined);
  });

  it('changes the retention while waiting', async () => {
    const person = await employee();
    await stack.runWorkers(async () => {
      const run = await start({ externalID: person.externalID, retentionDays: 30 });
      const retention = await awaitStage(run.workflowId, 'retention');
      const changed = await changeRetention(stack.env.client, person.externalID, { retentionDays: 5 });
      assert.equal(Date.parse(changed.deleteAt ?? '') - Date.parse(retention.deactivatedAt ?? ''), 5 * day);
      await stack.env.sleep('6 days');
      const result = (await handleOf(run.workflowId).result()) as OffboardingOutcome;
      assert.equal(result.result, 'deleted');
    });
  });

  it('treats an account deleted elsewhere during retention as done', async () => {
    const person = await employee();
    const outcome = await stack.runWorkers(async () => {
      const run = await start({ externalID: person.externalID, retentionDays: 7 });
      await awaitStage(run.workflowId, 'retention');
      await stack.staffbase.deleteUser(person.id); // an admin deleted it in Staffbase Studio
      return (await handleOf(run.workflowId).result()) as OffboardingOutcome;
    });
    assert.equal(outcome.result, 'deleted');
    assert.equal(outcome.alreadyGone, true);
  });

  it('ends cleanly for a person who never had an account', async () => {
    const outcome = await stack.runWorkers(async () => {
      const run = await start({ externalID: `nobody-${uniqueSuffix()}` });
      return (await handleOf(run.workflowId).result()) as OffboardingOutcome;
    });
    assert.equal(outcome.result, 'user-not-found');
    assert.match(outcome.reason ?? '', /never existed or already deleted/);
  });

  it('cancels an open onboarding of the same person first', async () => {
    const hire = newHire();
    const [onboardingOutcome, offboardingOutcome] = await stack.runWorkers(async () => {
      const onboardingRun = stack.track(await startOnboarding(stack.env.client, hire, onboardingPolicy()));
      await waitFor(
        () => handleOf(onboardingRun.workflowId).query(onboardingStatusQuery),
        (status) => status.stage === 'awaiting-activation',
      );
      const run = await start({ externalID: hire.externalID, retentionDays: 0 });
      // One result() at a time: each unlocks and re-locks the time-skipping server's clock.
      const offboarded = (await handleOf(run.workflowId).result()) as OffboardingOutcome;
      const onboarded = (await handleOf(onboardingRun.workflowId).result()) as OnboardingOutcome;
      return [onboarded, offboarded] as const;
    });
    assert.equal(onboardingOutcome.result, 'cancelled');
    assert.equal(offboardingOutcome.cancelledOnboarding, true);
    // Whichever of the two reached the pending account first, it ends deleted.
    assert.ok(['deleted', 'user-not-found'].includes(offboardingOutcome.result));
    assert.equal(await stack.control.user(hire.externalID), undefined);
  });

  // 429 storms are tested on the dev server below: this server skips retry back-offs, and
  // back-off-free retries turn a tight rate limit into a livelock no real deployment sees.
  it('completes through 5xx answers and dropped connections at every step, with exactly one delete', async () => {
    const person = await employee();
    await stack.control.setFaults([
      { route: 'GET /users/:id', failNext: 2, errorStatus: 503 },
      { route: 'DELETE /users/:id/sessions', failNext: 1, errorStatus: 500 },
      { route: 'DELETE /users/:id/sessions', dropNext: 1 },
      { route: 'PUT /users/:id', failNext: 1, errorStatus: 502 },
      { route: 'DELETE /users/:id', failNext: 1, errorStatus: 503 },
      { route: 'DELETE /users/:id', dropNext: 1 },
    ]);
    const outcome = await stack.runWorkers(async () => {
      const run = await start({ externalID: person.externalID, retentionDays: 1 });
      return (await handleOf(run.workflowId).result()) as OffboardingOutcome;
    });
    assert.equal(outcome.result, 'deleted');
    assert.equal(await stack.control.user(person.externalID), undefined);
    const log = await stack.control.log();
    assert.ok(
      log.some((call) => call.status >= 500),
      'faults were injected',
    );
    assert.ok(
      log.some((call) => call.outcome === 'dropped'),
      'connections were dropped',
    );
    assert.equal(
      log.filter((call) => call.routeKey === 'DELETE /users/:id' && call.status === 204).length,
      1,
      'exactly one successful delete',
    );
  });

  it('rejects invalid input at the starter, naming each field, and starts nothing', async () => {
    const externalID = `bad-${uniqueSuffix()}`;
    await assert.rejects(
      () =>
        startOffboarding(
          stack.env.client,
          {
            externalID,
            lastWorkingDay: '2026-13-01',
            retentionDays: -1,
            deleteAt: 'soon',
          },
          offboardingPolicy(),
        ),
      (error: unknown) => {
        assert.ok(error instanceof InvalidLifecycleRequestError);
        assert.deepEqual([...new Set(error.problems.map((problem) => problem.field))].sort(), [
          'deleteAt',
          'lastWorkingDay',
          'retentionDays',
        ]);
        return true;
      },
    );
    await assert.rejects(() => handleOf(`offboarding-${externalID}`).describe(), /not found/i);
  });
});

describe('offboarding on the dev server (real time, worker restarts)', () => {
  let stack: LifecycleTestStack;
  useLifecycleTestStack({ server: 'dev-server' }, (started) => (stack = started));

  it('survives a worker stop in the middle of retention and 429s with Retry-After: exactly one delete', async () => {
    const id = uniqueSuffix();
    await stack.control.seedUser({
      externalID: `restart-${id}`,
      userName: `restart.${id}`,
      status: 'activated',
      activated: '2023-03-01T08:00:00.000Z',
      sessions: 1,
    });
    // Answers lost after Staffbase applied the request: the retries must not repeat the effect.
    await stack.control.setFaults([
      { route: 'PUT /users/:id', lostReplyNext: 1 },
      { route: 'DELETE /users/:id', lostReplyNext: 1, lostReplyAs: 'drop' },
    ]);
    await stack.startRateLimitStorm(4);
    // The deletion is far off while the storm slows the first steps down: no deadline to race.
    const run = stack.track(
      await startOffboarding(
        stack.env.client,
        { externalID: `restart-${id}`, deleteAt: new Date(Date.now() + 3_600_000).toISOString() },
        offboardingPolicy(),
      ),
    );
    const handle = stack.env.client.workflow.getHandle(run.workflowId);

    // First worker: runs until the account is deactivated, moves the deletion to a few seconds
    // from now, then stops (a deploy, a crash): its pollers stop before that timer can fire.
    await stack.runWorkers(async () => {
      await waitFor(
        () => handle.query(offboardingStatusQuery),
        (status) => status.stage === 'retention',
        { timeoutMs: 60_000, what: 'retention' },
      );
      await changeRetention(stack.env.client, `restart-${id}`, {
        deleteAt: new Date(Date.now() + 5_000).toISOString(),
      });
    });
    assert.equal((await stack.control.user(`restart-${id}`))?.status, 'deactivated');
    // The retention timer fires on the server while no worker runs: wait for that event itself.
    const events = async () => (await handle.fetchHistory()).events ?? [];
    const retentionTimer = (await events()).filter((event) => event.timerStartedEventAttributes).at(-1)
      ?.timerStartedEventAttributes?.timerId;
    assert.ok(retentionTimer, 'a retention timer was started');
    await waitFor(
      events,
      (history) => history.some((event) => event.timerFiredEventAttributes?.timerId === retentionTimer),
      { timeoutMs: 30_000, intervalMs: 200, what: 'the retention timer to fire' },
    );
    assert.equal((await stack.control.user(`restart-${id}`))?.status, 'deactivated', 'no worker, no delete');

    // A new worker picks the run up where it stood.
    const outcome = (await stack.runWorkers(() => handle.result())) as OffboardingOutcome;
    assert.equal(outcome.result, 'deleted');
    const log = await stack.control.log();
    assert.ok(
      log.some((call) => call.outcome === 'rate-limited'),
      '429s were answered',
    );
    assert.equal(log.filter((call) => call.outcome === 'reply-lost').length, 2, 'both answers were lost');
    // What Staffbase did, whatever the client saw: one deactivation, one deletion.
    const effects = (await stack.control.effects()).filter((effect) => effect.externalID === `restart-${id}`);
    assert.deepEqual(
      effects.map((effect) => effect.kind).filter((kind) => kind !== 'logged-out'),
      ['deactivated', 'deleted'],
    );
    assert.equal(await stack.control.user(`restart-${id}`), undefined);
  });
});
