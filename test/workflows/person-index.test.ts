/**
 * The runs keep the person index current (workflows/person-index.ts): real onboardings and
 * offboardings on the time-skipping server against the simulator, their workers writing a real SQLite
 * store; the index shows each stage change, its milestones and the outcome.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  cancelOnboarding,
  deleteNow,
  placeLegalHold,
  releaseLegalHold,
} from '../../client/lifecycle-actions';
import { startOffboarding, startOnboarding } from '../../client/lifecycle-runs';
import { LOG_CAPTURE_DIR_ENV } from '../../config/log-capture';
import type { LifecycleStore, PersonRecord } from '../../store';
import { correctOnboardingUpdate } from '../../workflows/attention-messages';
import {
  onboardingActivatedSignal,
  onboardingStatusQuery,
  type OnboardingOutcome,
} from '../../workflows/onboarding-messages';
import type { OffboardingOutcome } from '../../workflows/offboarding-messages';
import { type LifecycleTestStack, startLifecycleTestStack } from '../helpers/lifecycle-stack';
import { seedLeaver } from '../helpers/offboarding-runs';
import { newHire, offboardingPolicy, onboardingPolicy, uniqueSuffix } from '../helpers/people';
import { type StoreDatabases, startStoreDatabases } from '../helpers/store-databases';
import { waitFor } from '../helpers/waiting';

const day = 86_400_000;
const isoDate = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 10);

describe('the person index kept by the runs (time-skipping server, SQLite store)', () => {
  let databases: StoreDatabases;
  let store: LifecycleStore;
  let stack: LifecycleTestStack;

  before(async () => {
    databases = await startStoreDatabases('sqlite');
    ({ store } = await databases.freshStore());
    stack = await startLifecycleTestStack({ server: 'time-skipping', store });
    await stack.startWorkers();
  });
  after(async () => {
    await stack.terminateLeftoverRuns();
    await stack.close();
    await databases.stop();
  });

  const indexed = async (
    externalID: string,
    what: string,
    wanted: (person: PersonRecord) => boolean,
  ): Promise<PersonRecord> => {
    const person = await waitFor(
      () => store.people.person(externalID),
      (row) => row !== undefined && wanted(row),
      { what: `the index shows ${what}`, timeoutMs: 20_000 },
    );
    assert.ok(person);
    return person;
  };
  const milestoneKinds = async (externalID: string) =>
    (await store.people.milestones(externalID)).map((milestone) => milestone.kind);

  it('an onboarding: scheduled, invited, a reminder, activated', async () => {
    const startDate = isoDate((await stack.env.currentTimeMs()) + 10 * day);
    const hire = newHire({ startDate });
    // Invited at midnight of the start date, so ten days from now are past it at any hour of the day
    // (the default 09:00 lies beyond them when the test runs before 09:00 UTC).
    const policy = onboardingPolicy({ inviteTimeOfDay: '00:00' });
    const run = stack.track(await startOnboarding(stack.env.client, hire, policy));

    const scheduled = await indexed(hire.externalID, 'scheduled', (person) => person.stage === 'scheduled');
    assert.equal(scheduled.lifecycle, 'onboarding');
    assert.equal(scheduled.name, `${hire.firstName} ${hire.lastName}`);
    assert.equal(scheduled.email, hire.email);
    assert.equal(scheduled.startDate, startDate);
    assert.equal(scheduled.openRunId, run.runId);
    assert.deepEqual(await milestoneKinds(hire.externalID), ['started']);

    await stack.env.sleep('10 days');
    await indexed(hire.externalID, 'awaiting-activation', (person) => person.stage === 'awaiting-activation');
    assert.deepEqual(await milestoneKinds(hire.externalID), ['started', 'invited']);

    await stack.env.sleep('75 hours'); // past the first reminder (day 3)
    const handle = stack.env.client.workflow.getHandle(run.workflowId);
    await waitFor(
      () => handle.query(onboardingStatusQuery),
      (status) => status.remindersSent === 1,
      { what: 'the first reminder' },
    );
    await waitFor(
      () => milestoneKinds(hire.externalID),
      (kinds) => kinds.includes('reminder'),
      { what: 'the reminder milestone' },
    );

    await handle.signal(onboardingActivatedSignal, { source: 'test' });
    const outcome = (await handle.result()) as OnboardingOutcome;
    assert.equal(outcome.result, 'activated');
    // The run settles its writes before it closes.
    const done = await store.people.person(hire.externalID);
    assert.equal(done?.stage, 'completed');
    assert.equal(done?.outcome, 'activated');
    assert.equal(done?.openRunId, null);
    assert.equal(done?.latestRunId, run.runId);
    assert.deepEqual(await milestoneKinds(hire.externalID), ['started', 'invited', 'reminder', 'activated']);
  });

  it('an onboarding in needs-attention: the attention code, resolved, then cancelled', async () => {
    const id = uniqueSuffix();
    await stack.control.seedUser({
      externalID: `someone-else-${id}`,
      userName: `taken.${id}`,
      firstName: 'Other',
      lastName: 'Person',
      emails: [{ value: `other.${id}@example.test`, primary: true }],
    });
    const hire = newHire({ userName: `taken.${id}` });
    const run = stack.track(await startOnboarding(stack.env.client, hire, onboardingPolicy()));
    const parked = await indexed(hire.externalID, 'needs-attention', (p) => p.stage === 'needs-attention');
    assert.equal(parked.attentionCode, 'conflict');

    await stack.env.client.workflow
      .getHandle(run.workflowId)
      .executeUpdate(correctOnboardingUpdate, { args: [{ userName: `free.${id}` }] });
    const resumed = await indexed(
      hire.externalID,
      'awaiting-activation',
      (p) => p.stage === 'awaiting-activation',
    );
    assert.equal(resumed.attentionCode, null);

    await cancelOnboarding(stack.env.client, hire.externalID, 'offer withdrawn');
    await stack.env.client.workflow.getHandle(run.workflowId).result();
    const done = await store.people.person(hire.externalID);
    assert.equal(done?.stage, 'completed');
    assert.equal(done?.outcome, 'cancelled');
    // The resolution and the invitation may share a moment (then ordered by name): compared as a set.
    assert.deepEqual((await milestoneKinds(hire.externalID)).sort(), [
      'cancelled',
      'invited',
      'needs-attention',
      'resolved',
      'started',
    ]);
  });

  it('an offboarding: logged out, deactivated, held, released, deleted — keeping the onboarding’s name', async () => {
    const leaver = await seedLeaver(stack.control, { sessions: 1 });
    const lastWorkingDay = isoDate((await stack.env.currentTimeMs()) - day);
    // The person's onboarding wrote their name earlier; the offboarding carries none.
    await store.people.upsertPerson({
      externalID: leaver.externalID,
      firstName: 'Grace',
      lastName: 'Hopper',
      email: 'grace@example.test',
      lifecycle: 'onboarding',
      stage: 'completed',
      outcome: 'activated',
      runId: 'an-earlier-onboarding',
      runStartedAt: '2020-01-01T00:00:00.000Z',
      sequence: 4,
      open: false,
      at: '2020-01-02T00:00:00.000Z',
    });
    const run = stack.track(
      await startOffboarding(
        stack.env.client,
        { externalID: leaver.externalID, lastWorkingDay, retentionDays: 30 },
        offboardingPolicy(),
      ),
    );
    const inRetention = await indexed(leaver.externalID, 'retention', (p) => p.stage === 'retention');
    assert.equal(inRetention.lifecycle, 'offboarding');
    assert.equal(inRetention.lastWorkingDay, lastWorkingDay);
    assert.equal(inRetention.name, 'Grace Hopper');
    assert.equal(inRetention.openRunId, run.runId);

    await placeLegalHold(stack.env.client, leaver.externalID, 'litigation');
    await indexed(leaver.externalID, 'on-hold', (p) => p.stage === 'on-hold');
    await releaseLegalHold(stack.env.client, leaver.externalID);
    await indexed(leaver.externalID, 'retention again', (p) => p.stage === 'retention');
    await deleteNow(stack.env.client, leaver.externalID);
    const outcome = (await stack.env.client.workflow
      .getHandle(run.workflowId)
      .result()) as OffboardingOutcome;
    assert.equal(outcome.result, 'deleted');

    const done = await store.people.person(leaver.externalID);
    assert.equal(done?.stage, 'completed');
    assert.equal(done?.outcome, 'deleted');
    assert.equal(done?.openRunId, null);
    assert.equal(done?.name, 'Grace Hopper');
    assert.deepEqual(await milestoneKinds(leaver.externalID), [
      'started',
      'logged-out',
      'deactivated',
      'held',
      'hold-released',
      'deleted',
    ]);
  });
});

describe('a failing index write never fails or blocks the run (time-skipping server, a failing index)', () => {
  let databases: StoreDatabases;
  let stack: LifecycleTestStack;

  before(async () => {
    databases = await startStoreDatabases('sqlite');
    const { store } = await databases.freshStore();
    // Every index write fails, as with a person table that went away. The audit trail stays: an act
    // whose audit row cannot be written fails on purpose (the worker's audit interceptor) until it can.
    const failing = () => Promise.reject(new Error('the person index is unavailable'));
    const failingIndex: LifecycleStore = {
      ...store,
      people: { ...store.people, upsertPerson: failing, recordMilestone: failing, person: failing },
    };
    stack = await startLifecycleTestStack({ server: 'time-skipping', store: failingIndex });
    await stack.startWorkers();
  });
  after(async () => {
    await stack.terminateLeftoverRuns();
    await stack.close();
    await databases.stop();
  });

  it('the onboarding completes; the warning names ids and stage, never the person', async () => {
    const hire = newHire();
    const run = stack.track(await startOnboarding(stack.env.client, hire, onboardingPolicy()));
    const handle = stack.env.client.workflow.getHandle(run.workflowId);
    await waitFor(
      () => handle.query(onboardingStatusQuery),
      (status) => status.stage === 'awaiting-activation',
      { what: 'awaiting-activation despite the failing index', timeoutMs: 30_000 },
    );
    await handle.signal(onboardingActivatedSignal, { source: 'test' });
    const outcome = (await handle.result()) as OnboardingOutcome;
    assert.equal(outcome.result, 'activated');

    // Under `npm test` every log line is captured (config/log-capture.ts): the warnings are there.
    const captureDir = process.env[LOG_CAPTURE_DIR_ENV];
    if (captureDir) {
      const warnings = readdirSync(captureDir)
        .flatMap((file) => readFileSync(path.join(captureDir, file), 'utf8').split('\n'))
        .filter((line) => line.includes('Person index write failed') && line.includes(run.workflowId));
      assert.ok(warnings.length >= 3, `a warning per failed write: ${warnings.length}`);
      for (const line of warnings) {
        assert.ok(!line.includes(hire.lastName) && !line.includes(hire.email), 'no name or email');
      }
    }
  });
});
