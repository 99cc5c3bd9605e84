/**
 * The person index's activity (activities/person-index-activities.ts) against a real SQLite store:
 * idempotent, never moves a person backwards, and keeps the names an onboarding wrote when an
 * offboarding (which carries none) writes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPersonIndexActivities } from '../../activities/person-index-activities';
import type { PersonStageWrite } from '../../lifecycle/person-index-write';
import type { LifecycleStore } from '../../store';
import { type StoreDatabases, startStoreDatabases } from '../helpers/store-databases';

const onboardingStart = '2026-11-01T08:00:00.000Z';

function stageWrite(overrides: Partial<PersonStageWrite>): PersonStageWrite {
  return {
    lifecycle: 'onboarding',
    externalID: 'emp-1',
    firstName: 'Zoë',
    lastName: 'Müller',
    email: 'zoe.mueller@example.com',
    stage: 'scheduled',
    startDate: '2026-12-01',
    runId: 'run-onboarding-1',
    runStartedAt: onboardingStart,
    sequence: 1,
    open: true,
    at: '2026-11-01T08:00:00.500Z',
    milestones: ['started'],
    ...overrides,
  };
}

describe('recordPersonStage (SQLite store)', () => {
  let databases: StoreDatabases;
  let store: LifecycleStore;
  let activities: ReturnType<typeof createPersonIndexActivities>;

  before(async () => {
    databases = await startStoreDatabases('sqlite');
    ({ store } = await databases.freshStore());
    activities = createPersonIndexActivities(store);
  });
  after(async () => {
    await databases.stop();
  });

  it('writes the row and its milestones; the same write again changes nothing', async () => {
    const first = stageWrite({ externalID: 'emp-idem' });
    assert.equal(await activities.recordPersonStage(first), 'applied');
    assert.equal(await activities.recordPersonStage(first), 'stale');
    const person = await store.people.person('emp-idem');
    assert.equal(person?.stage, 'scheduled');
    assert.equal(person?.name, 'Zoë Müller');
    assert.equal(person?.startDate, '2026-12-01');
    assert.equal(person?.openRunId, 'run-onboarding-1');
    assert.deepEqual(await store.people.milestones('emp-idem'), [
      { runId: 'run-onboarding-1', kind: 'started', at: first.at },
    ]);
  });

  it('a replayed or late earlier write of the same run does not move the person back', async () => {
    const externalID = 'emp-order';
    const invited = stageWrite({
      externalID,
      stage: 'awaiting-activation',
      sequence: 2,
      at: '2026-11-01T08:00:02.000Z',
      milestones: ['invited'],
    });
    const activated = stageWrite({
      externalID,
      stage: 'completed',
      outcome: 'activated',
      open: false,
      sequence: 3,
      at: '2026-11-02T09:00:00.000Z',
      milestones: ['activated'],
    });
    assert.equal(await activities.recordPersonStage(activated), 'applied');
    // Arriving after the later one (a retry that outlived it): stale, but its milestone is kept.
    assert.equal(await activities.recordPersonStage(invited), 'stale');
    const person = await store.people.person(externalID);
    assert.equal(person?.stage, 'completed');
    assert.equal(person?.outcome, 'activated');
    assert.equal(person?.openRunId, null);
    assert.deepEqual(
      (await store.people.milestones(externalID)).map((milestone) => milestone.kind),
      ['invited', 'activated'],
    );
  });

  it('an offboarding (no names) keeps the onboarding’s names; an earlier run never overwrites a later one', async () => {
    const externalID = 'emp-leaver';
    await activities.recordPersonStage(stageWrite({ externalID }));
    const leaving = {
      lifecycle: 'offboarding' as const,
      externalID,
      stage: 'retention',
      lastWorkingDay: '2027-01-31',
      runId: 'run-offboarding-1',
      runStartedAt: '2027-01-31T23:59:00.000Z',
      sequence: 4,
      open: true,
      at: '2027-02-01T00:00:05.000Z',
      milestones: ['logged-out', 'deactivated'],
    };
    assert.equal(await activities.recordPersonStage(leaving), 'applied');
    let person = await store.people.person(externalID);
    assert.equal(person?.lifecycle, 'offboarding');
    assert.equal(person?.stage, 'retention');
    assert.equal(person?.name, 'Zoë Müller');
    assert.equal(person?.email, 'zoe.mueller@example.com');
    assert.equal(person?.lastWorkingDay, '2027-01-31');
    assert.equal(person?.startDate, null);

    // The onboarding's later stage change (a higher sequence, but an earlier run): stale.
    const lateOnboarding = stageWrite({ externalID, stage: 'completed', sequence: 9, open: false });
    assert.equal(await activities.recordPersonStage(lateOnboarding), 'stale');
    person = await store.people.person(externalID);
    assert.equal(person?.lifecycle, 'offboarding');
    const found = await store.people.findPeople({ q: 'muller' });
    assert.ok(
      found.people.some((row) => row.externalID === externalID),
      'found by the carried name',
    );
  });

  it('keeps the code a run parked with on its needs-attention milestone, for the reports once resolved', async () => {
    const externalID = 'emp-parked';
    const parked = stageWrite({
      externalID,
      stage: 'needs-attention',
      attentionCode: 'userNameTaken',
      sequence: 2,
      at: '2026-11-03T09:00:00.000Z',
      milestones: ['needs-attention'],
    });
    const resolved = stageWrite({
      externalID,
      stage: 'awaiting-activation',
      sequence: 3,
      at: '2026-11-03T13:00:00.000Z',
      milestones: ['resolved', 'invited'],
    });
    // The later write lands first: the person row never shows the code, the milestone still keeps it.
    assert.equal(await activities.recordPersonStage(resolved), 'applied');
    assert.equal(await activities.recordPersonStage(parked), 'stale');
    const report = await store.reports.report({
      name: 'needs-attention',
      from: '2026-11-03',
      to: '2026-11-03',
      by: 'month',
      timeZone: 'UTC',
      endOfWorkingDay: '17:00',
    });
    assert.equal((await store.people.person(externalID))?.attentionCode, null);
    assert.equal(report.total.resolved, 1);
    assert.equal(report.total.medianWaitHours, 4);
    assert.equal(report.total['code:userNameTaken'], 1);
    assert.equal(report.total['code:not-recorded'], undefined);
  });

  it('without a store writes nothing and says so', async () => {
    assert.equal(await createPersonIndexActivities(undefined).recordPersonStage(stageWrite({})), 'no-store');
  });
});
