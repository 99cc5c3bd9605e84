/**
 * Offboarding unit tests, the outcomes: deleted (or already gone), user-not-found, kept (reactivated
 * since, account replaced), cancelled before and after the deactivation, cancelled by a rehire. The
 * real workflow on the time-skipping server with STUBBED activities (stubbed-workers.ts); the real-stack
 * tests (test/workflows/offboarding.test.ts) run the same paths against the simulator.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cancelOffboardingUpdate } from '../../../workflows/offboarding-messages';
import { dayMs, deletedAfter, leaverAccount, stageReached, startOffboarding } from './offboarding-fixtures';
import { type UnitTestBed, useStubbedWorkers } from './stubbed-workers';

describe('offboarding, outcomes (unit: stubbed activities, time-skipping server)', () => {
  let bed: UnitTestBed;
  useStubbedWorkers((started) => (bed = started));

  it('deletes after the retention: each act read right before it, the open onboarding cancelled first', async () => {
    const { account, stubs } = leaverAccount();
    const run = await startOffboarding(bed, { ...stubs, cancelOnboardingForLeaver: () => 'cancelled' });
    const outcome = await run.result();
    assert.equal(outcome.result, 'deleted');
    assert.equal(outcome.alreadyGone, false);
    assert.equal(outcome.cancelledOnboarding, true);
    assert.equal(outcome.staffbaseUserId, 'sb-9');
    deletedAfter(outcome, 30 * dayMs);
    assert.deepEqual(run.names(), [
      'offboardingRetentionFloor',
      'cancelOnboardingForLeaver',
      'endLeaveForLeaver',
      'findAccountByExternalId',
      'readAccount',
      'endSessions',
      'readAccount',
      'deactivateById',
      'readAccount',
      'deleteAccount',
    ]);
    assert.equal(account.current, undefined);
  });

  it('deleted, already gone: the account was deleted by hand during the retention', async () => {
    const { account, stubs } = leaverAccount();
    const run = await startOffboarding(bed, stubs);
    await stageReached(bed, run, 'retention');
    account.current = undefined;
    const outcome = await run.result();
    assert.equal(outcome.result, 'deleted');
    assert.equal(outcome.alreadyGone, true);
    assert.ok(!run.names().includes('deleteAccount'));
  });

  it('user-not-found: nobody carries the externalID, nothing else is called', async () => {
    const { stubs } = leaverAccount();
    const run = await startOffboarding(bed, {
      ...stubs,
      findAccountByExternalId: () => ({ result: 'gone' }),
    });
    const outcome = await run.result();
    assert.equal(outcome.result, 'user-not-found');
    assert.match(outcome.reason ?? '', /No Staffbase account has this externalID/);
    assert.deepEqual(run.names(), [
      'offboardingRetentionFloor',
      'cancelOnboardingForLeaver',
      'endLeaveForLeaver',
      'findAccountByExternalId',
    ]);
  });

  it('kept, reactivated since: an administrator reactivated the account during the retention', async () => {
    const { account, stubs } = leaverAccount();
    const run = await startOffboarding(bed, stubs);
    await stageReached(bed, run, 'retention');
    if (account.current) account.current = { ...account.current, status: 'activated' };
    const outcome = await run.result();
    assert.equal(outcome.result, 'kept');
    assert.equal(outcome.keptBecause, 'reactivated-since');
    assert.ok(!run.names().includes('deleteAccount'));
    assert.equal(account.current?.status, 'activated');
  });

  it('kept, account replaced: the id now carries another externalID', async () => {
    const { account, stubs } = leaverAccount();
    const run = await startOffboarding(bed, stubs);
    await stageReached(bed, run, 'retention');
    if (account.current) account.current = { ...account.current, externalID: 'someone-else' };
    const outcome = await run.result();
    assert.equal(outcome.result, 'kept');
    assert.equal(outcome.keptBecause, 'account-replaced');
    assert.ok(!run.names().includes('deleteAccount'));
  });

  it('cancelled before the deactivation: waiting for the last working day, no Staffbase call at all', async () => {
    const { stubs } = leaverAccount();
    const lastWorkingDay = new Date((await bed.env.currentTimeMs()) + 10 * dayMs).toISOString().slice(0, 10);
    const run = await startOffboarding(bed, stubs, { lastWorkingDay });
    await stageReached(bed, run, 'scheduled');
    const outcome = await run.handle.executeUpdate(cancelOffboardingUpdate, { args: [{ reason: 'stays' }] });
    assert.equal(outcome.result, 'cancelled');
    assert.equal(outcome.reactivated, false);
    assert.equal(outcome.reason, 'stays');
    assert.deepEqual(await run.result(), outcome);
    // Only the worker's retention floor is read (configuration, not Staffbase).
    assert.deepEqual(run.names(), ['offboardingRetentionFloor']);
  });

  it('cancelled after the deactivation: the account is read, then reactivated', async () => {
    const { account, stubs } = leaverAccount();
    const run = await startOffboarding(bed, stubs);
    await stageReached(bed, run, 'retention');
    const outcome = await run.handle.executeUpdate(cancelOffboardingUpdate, {
      args: [{ reason: 'rehired' }],
    });
    assert.equal(outcome.result, 'cancelled');
    assert.equal(outcome.reactivated, true);
    assert.deepEqual(run.names().slice(-2), ['readAccount', 'reactivateById']);
    assert.equal(account.current?.status, 'activated');
  });

  it('cancelled by a rehire: stops without reactivating (the onboarding decides)', async () => {
    const { account, stubs } = leaverAccount();
    const run = await startOffboarding(bed, stubs);
    await stageReached(bed, run, 'retention');
    const outcome = await run.handle.executeUpdate(cancelOffboardingUpdate, {
      args: [{ reason: 'Rehired', by: 'rehire' }],
    });
    assert.equal(outcome.result, 'cancelled-by-rehire');
    assert.equal(outcome.reactivated, false);
    assert.ok(!run.names().includes('reactivateById'));
    assert.equal(account.current?.status, 'deactivated');
  });
});
