/**
 * Onboarding unit tests, the ways an onboarding ends activated (and the two ends that are not the
 * run's doing): the real workflow on the time-skipping server with STUBBED activities (stubbed-workers.ts).
 * The real-stack tests (test/workflows/onboarding.test.ts) run the same paths against the simulator.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { onboardingActivatedSignal, onboardingStatusQuery } from '../../../workflows/onboarding-messages';
import { account, newAccountStubs, startOnboarding } from './onboarding-fixtures';
import type { UnitTestBed } from './stubbed-workers';
import { useStubbedWorkers } from './stubbed-workers';

describe('onboarding, activation (unit: stubbed activities, time-skipping server)', () => {
  let bed: UnitTestBed;
  useStubbedWorkers((started) => (bed = started));

  it('ends activated by the signal: one create, no status check', async () => {
    const run = await startOnboarding(bed, newAccountStubs);
    const waiting = await bed.until(
      () => run.handle.query(onboardingStatusQuery),
      (status) => status.stage === 'awaiting-activation',
      'awaiting-activation',
    );
    assert.equal(waiting.staffbaseUserId, 'sb-1');
    assert.equal(
      waiting.nextAction?.kind,
      'check-status',
      'the daily fallback check comes before the first reminder',
    );
    await run.handle.signal(onboardingActivatedSignal, { source: 'webhook' });
    const outcome = await run.result();
    assert.equal(outcome.result, 'activated');
    assert.equal(outcome.activatedVia, 'signal');
    assert.equal(outcome.staffbaseUserId, 'sb-1');
    assert.equal(outcome.remindersSent, 0);
    assert.deepEqual(run.names(), ['settleBeforeOnboarding', 'createAccount']);
  });

  it('ends activated by a status check: the checks read in the interval until the account is activated', async () => {
    let reads = 0;
    const run = await startOnboarding(
      bed,
      {
        ...newAccountStubs,
        readAccount: () => {
          reads += 1;
          return { result: 'found', account: account(reads < 3 ? 'pending' : 'activated') };
        },
      },
      { statusCheckIntervalMinutes: 60 },
    );
    const outcome = await run.result();
    assert.equal(outcome.result, 'activated');
    assert.equal(outcome.activatedVia, 'status-check');
    assert.equal(outcome.remindersSent, 0, 'activated within the first reminder day');
    assert.deepEqual(run.names(), [
      'settleBeforeOnboarding',
      'createAccount',
      'readAccount',
      'readAccount',
      'readAccount',
    ]);
    assert.deepEqual(
      run.calls.filter((call) => call.name === 'readAccount').map((call) => call.args[0]),
      ['sb-1', 'sb-1', 'sb-1'],
    );
  });

  it('adopts an account that is activated already: the 409, the look-up, activated at once', async () => {
    const run = await startOnboarding(bed, {
      ...newAccountStubs,
      createAccount: () => ({ result: 'look-up', why: 'conflict', message: 'HTTP 409' }),
      findAccountByExternalId: () => ({ result: 'found', account: account('activated') }),
    });
    const outcome = await run.result();
    assert.equal(outcome.result, 'activated');
    assert.equal(outcome.activatedVia, 'already-activated');
    assert.deepEqual(run.names(), ['settleBeforeOnboarding', 'createAccount', 'findAccountByExternalId']);
  });

  it('reactivates the deactivated account of a rehire (policy reactivate)', async () => {
    const run = await startOnboarding(
      bed,
      {
        ...newAccountStubs,
        createAccount: () => ({ result: 'look-up', why: 'conflict', message: 'HTTP 409' }),
        findAccountByExternalId: () => ({ result: 'found', account: account('deactivated') }),
        reactivateById: () => ({ result: 'reactivated', account: account('activated') }),
      },
      { rehirePolicy: 'reactivate' },
    );
    const outcome = await run.result();
    assert.equal(outcome.result, 'activated');
    assert.equal(outcome.activatedVia, 'reactivated');
    assert.equal(run.calls.at(-1)?.name, 'reactivateById');
    assert.deepEqual(run.calls.at(-1)?.args, ['sb-1']);
  });

  it('names a rehire account deleted by hand while it was reactivated, then creates a fresh one', async () => {
    let creates = 0;
    const run = await startOnboarding(
      bed,
      {
        ...newAccountStubs,
        // The first create meets the deactivated account (409); after its deletion, a create succeeds.
        createAccount: () =>
          ++creates === 1
            ? { result: 'look-up', why: 'conflict', message: 'HTTP 409' }
            : { result: 'created', account: account('pending', { staffbaseUserId: 'sb-2' }) },
        findAccountByExternalId: () => ({ result: 'found', account: account('deactivated') }),
        // Deleted by hand while the PUT was under way (its answer lost, the retry met a 404).
        reactivateById: () => ({ result: 'user-not-found' }),
      },
      { rehirePolicy: 'reactivate' },
    );
    const waiting = await bed.until(
      () => run.handle.query(onboardingStatusQuery),
      (status) => status.stage === 'awaiting-activation',
      'awaiting-activation',
    );
    assert.equal(waiting.staffbaseUserId, 'sb-2');
    assert.deepEqual(waiting.vanishedWhileReactivating, ['sb-1']);
    await run.handle.signal(onboardingActivatedSignal, { source: 'webhook' });
    const outcome = await run.result();
    assert.equal(outcome.staffbaseUserId, 'sb-2');
    assert.deepEqual(outcome.vanishedWhileReactivating, ['sb-1']);
    assert.deepEqual(run.names(), [
      'settleBeforeOnboarding',
      'createAccount',
      'findAccountByExternalId',
      'reactivateById',
      'createAccount',
    ]);
  });

  it('refuses the rehire under policy stop: nothing reactivated', async () => {
    const run = await startOnboarding(
      bed,
      {
        ...newAccountStubs,
        createAccount: () => ({ result: 'look-up', why: 'conflict', message: 'HTTP 409' }),
        findAccountByExternalId: () => ({ result: 'found', account: account('deactivated') }),
      },
      { rehirePolicy: 'stop' },
    );
    const outcome = await run.result();
    assert.equal(outcome.result, 'rehire-refused');
    assert.equal(outcome.staffbaseUserId, 'sb-1');
    assert.match(outcome.reason ?? '', /rehire policy is "stop"/);
    assert.ok(!run.names().includes('reactivateById'));
  });

  it('ends account-deleted-elsewhere when a status check finds the account gone, or deactivated', async () => {
    for (const [read, reason] of [
      [{ result: 'gone' } as const, /deleted in Staffbase/],
      [{ result: 'found', account: account('deactivated') } as const, /deactivated in Staffbase/],
    ] as const) {
      const run = await startOnboarding(bed, { ...newAccountStubs, readAccount: () => read });
      const outcome = await run.result();
      assert.equal(outcome.result, 'account-deleted-elsewhere');
      assert.match(outcome.reason ?? '', reason);
      assert.equal(run.names().filter((name) => name === 'readAccount').length, 1);
    }
  });

  it('ends activated when a reminder finds the hire activated meanwhile: no reminder counted', async () => {
    const run = await startOnboarding(
      bed,
      {
        ...newAccountStubs,
        readAccount: () => ({ result: 'found', account: account('pending') }),
        sendInvitationReminder: () => 'user-activated',
      },
      { statusCheckIntervalMinutes: 7 * 24 * 60 },
    );
    const outcome = await run.result();
    assert.equal(outcome.result, 'activated');
    assert.equal(outcome.activatedVia, 'status-check');
    assert.equal(outcome.remindersSent, 0);
    assert.equal(run.calls.at(-1)?.name, 'sendInvitationReminder');
  });

  it('settles the open offboarding of a rehire first and says so in the outcome', async () => {
    const run = await startOnboarding(bed, {
      ...newAccountStubs,
      settleBeforeOnboarding: () => 'cancelled',
      createAccount: () => ({ result: 'look-up', why: 'conflict', message: 'HTTP 409' }),
      findAccountByExternalId: () => ({ result: 'found', account: account('deactivated') }),
      reactivateById: () => ({ result: 'reactivated', account: account('activated') }),
    });
    const outcome = await run.result();
    assert.equal(outcome.settledOffboarding, 'cancelled');
    assert.equal(outcome.activatedVia, 'reactivated');
    assert.equal(run.names()[0], 'settleBeforeOnboarding');
  });
});
