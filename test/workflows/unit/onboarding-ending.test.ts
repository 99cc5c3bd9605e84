/**
 * Onboarding unit tests, the ends that are not an activation: expired (pending account left or
 * deleted by policy) and cancelled before or after the account exists. The real workflow on the
 * time-skipping server with STUBBED activities (stubbed-workers.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import type { ExpiredNoticeRequest, ReminderRequest } from '../../../activities/notification-activities';
import { STALE_PRECONDITION_FAILURE } from '../../../lifecycle/precondition-freshness';
import { cancelOnboardingSignal, onboardingStatusQuery } from '../../../workflows/onboarding-messages';
import { account, newAccountStubs, startOnboarding } from './onboarding-fixtures';
import { type Stubs, type UnitTestBed, useStubbedWorkers } from './stubbed-workers';

const neverActivates = {
  ...newAccountStubs,
  readAccount: () => ({ result: 'found', account: account('pending') }),
  sendInvitationReminder: () => 'sent',
  notifyOnboardingExpired: () => 'sent',
} satisfies Stubs;
const twoReminders = { reminderPolicy: { remindAfterDays: [1, 2], expireAfterDays: 3 } };

describe('onboarding, expiry and cancel (unit: stubbed activities, time-skipping server)', () => {
  let bed: UnitTestBed;
  useStubbedWorkers((started) => (bed = started));

  it('expires with leave-pending: two reminders, HR told, the pending account untouched', async () => {
    const run = await startOnboarding(
      bed,
      neverActivates,
      { statusCheckIntervalMinutes: 720, expiredAction: 'leave-pending' },
      twoReminders,
    );
    const outcome = await run.result();
    assert.equal(outcome.result, 'expired');
    assert.equal(outcome.accountAction, 'left-pending');
    assert.equal(outcome.remindersSent, 2);
    const reminders = run.calls.filter((call) => call.name === 'sendInvitationReminder');
    assert.deepEqual(
      reminders.map((call) => (call.args[0] as ReminderRequest).reminderNumber),
      [1, 2],
    );
    const notices = run.calls.filter((call) => call.name === 'notifyOnboardingExpired');
    assert.equal(notices.length, 1);
    assert.equal((notices[0]?.args[0] as ExpiredNoticeRequest).accountAction, 'left-pending');
    assert.ok(!run.names().includes('deleteAccount'));
  });

  it('expires with delete-pending: reads the account, deletes it while pending, tells HR it is deleted', async () => {
    const run = await startOnboarding(
      bed,
      { ...neverActivates, deleteAccount: () => 'deleted' },
      { statusCheckIntervalMinutes: 720, expiredAction: 'delete-pending' },
      twoReminders,
    );
    const outcome = await run.result();
    assert.equal(outcome.result, 'expired');
    assert.equal(outcome.accountAction, 'deleted');
    assert.deepEqual(run.names().slice(-3), ['readAccount', 'deleteAccount', 'notifyOnboardingExpired']);
    const notice = run.calls.at(-1)?.args[0] as ExpiredNoticeRequest;
    assert.equal(notice.accountAction, 'deleted');
    assert.equal(notice.remindersSent, 2);
  });

  it('expires, but the account activated just before the deletion: kept, ends activated', async () => {
    let reads = 0;
    const run = await startOnboarding(
      bed,
      {
        ...neverActivates,
        // Every status check sees pending; the read right before the deletion sees it activated.
        readAccount: () => {
          reads += 1;
          return { result: 'found', account: account(reads <= 6 ? 'pending' : 'activated') };
        },
      },
      { statusCheckIntervalMinutes: 720, expiredAction: 'delete-pending' },
      twoReminders,
    );
    const outcome = await run.result();
    assert.equal(outcome.result, 'activated');
    assert.equal(outcome.activatedVia, 'status-check');
    assert.ok(!run.names().includes('deleteAccount'));
    assert.ok(!run.names().includes('notifyOnboardingExpired'));
  });

  it('a refused reminder mail does not fail the run: the next reminder tries again', async () => {
    let sends = 0;
    const run = await startOnboarding(
      bed,
      {
        ...neverActivates,
        sendInvitationReminder: () => {
          sends += 1;
          if (sends === 1) {
            throw ApplicationFailure.create({
              type: 'DeliveryRefused',
              message: 'SMTP 550',
              nonRetryable: true,
            });
          }
          return 'sent';
        },
      },
      { statusCheckIntervalMinutes: 720 },
      twoReminders,
    );
    const outcome = await run.result();
    assert.equal(outcome.result, 'expired', 'the run did not fail');
    // The refused one still counts as reminder 1: the next one is number 2.
    assert.equal(outcome.remindersSent, 2);
    assert.deepEqual(
      run.calls
        .filter((call) => call.name === 'sendInvitationReminder')
        .map((call) => (call.args[0] as ReminderRequest).reminderNumber),
      [1, 2],
    );
  });

  it('cancelled before the invitation: no account is created', async () => {
    // A month ahead of the server's clock (time skipped by earlier tests included).
    const startDate = new Date((await bed.env.currentTimeMs()) + 30 * 86_400_000).toISOString().slice(0, 10);
    const run = await startOnboarding(bed, newAccountStubs, {}, { startDate });
    const scheduled = await bed.until(
      () => run.handle.query(onboardingStatusQuery),
      (status) => status.stage === 'scheduled' && status.nextAction?.kind === 'send-invitation',
      'the scheduled invitation',
    );
    assert.equal(scheduled.nextAction?.at, `${startDate}T09:00:00.000Z`);
    await run.handle.signal(cancelOnboardingSignal, { reason: 'offer withdrawn' });
    const outcome = await run.result();
    assert.equal(outcome.result, 'cancelled');
    assert.equal(outcome.accountAction, 'never-created');
    assert.equal(outcome.reason, 'offer withdrawn');
    assert.deepEqual(run.names(), ['settleBeforeOnboarding']);
  });

  const cancelWhileWaiting = async (stubs: Stubs, cancelAction: 'delete-pending' | 'leave-pending') => {
    const run = await startOnboarding(bed, stubs, { cancelAction });
    await bed.until(
      () => run.handle.query(onboardingStatusQuery),
      (status) => status.stage === 'awaiting-activation',
      'awaiting-activation',
    );
    await run.handle.signal(cancelOnboardingSignal, { reason: 'offer withdrawn' });
    return { run, outcome: await run.result() };
  };

  it('cancelled after the account with delete-pending: read, then the pending account deleted', async () => {
    const { run, outcome } = await cancelWhileWaiting(
      {
        ...newAccountStubs,
        readAccount: () => ({ result: 'found', account: account('pending') }),
        deleteAccount: () => 'deleted',
      },
      'delete-pending',
    );
    assert.equal(outcome.result, 'cancelled');
    assert.equal(outcome.accountAction, 'deleted');
    assert.deepEqual(run.names(), [
      'settleBeforeOnboarding',
      'createAccount',
      'readAccount',
      'deleteAccount',
    ]);
  });

  it('cancelled after the account, but it is activated already: kept, never deleted', async () => {
    const { run, outcome } = await cancelWhileWaiting(
      { ...newAccountStubs, readAccount: () => ({ result: 'found', account: account('activated') }) },
      'delete-pending',
    );
    assert.equal(outcome.result, 'cancelled');
    assert.equal(outcome.accountAction, 'kept');
    assert.ok(!run.names().includes('deleteAccount'));
  });

  it('a DELETE that finds the account changed since its read reads again: activated meanwhile, kept', async () => {
    const reads = [account('pending'), account('activated')];
    const { run, outcome } = await cancelWhileWaiting(
      {
        ...newAccountStubs,
        readAccount: () => ({ result: 'found', account: reads.shift() ?? account('activated'), readAt: 1 }),
        deleteAccount: () => 'precondition-changed',
      },
      'delete-pending',
    );
    assert.equal(outcome.accountAction, 'kept');
    assert.deepEqual(run.names(), [
      'settleBeforeOnboarding',
      'createAccount',
      'readAccount',
      'deleteAccount',
      'readAccount',
    ]);
    // The DELETE carried the moment of the read it relied on, and what it requires of the account.
    assert.deepEqual(run.calls[3]?.args, ['sb-1', { readAt: 1, precondition: { kind: 'still-pending' } }]);
  });

  it('DELETEs refused again and again (scheduled without a precondition) read again after growing pauses', async () => {
    let refusals = 3;
    const { run, outcome } = await cancelWhileWaiting(
      {
        ...newAccountStubs,
        readAccount: () => ({ result: 'found', account: account('pending'), readAt: 1 }),
        deleteAccount: () => {
          if (refusals-- > 0)
            throw ApplicationFailure.create({ type: STALE_PRECONDITION_FAILURE, nonRetryable: true });
          return 'deleted';
        },
      },
      'delete-pending',
    );
    assert.equal(outcome.accountAction, 'deleted');
    const steps = run.names().slice(2);
    assert.deepEqual(steps, Array.from({ length: 4 }, () => ['readAccount', 'deleteAccount']).flat());
    const events = (await run.handle.fetchHistory()).events ?? [];
    const firstDeletion = events.findIndex(
      (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'deleteAccount',
    );
    const pauses = events.slice(firstDeletion).filter((event) => event.timerStartedEventAttributes);
    assert.deepEqual(
      pauses.map((event) => Number(event.timerStartedEventAttributes?.startToFireTimeout?.seconds)),
      [1, 2],
      'no pause before the first re-read, then 1 s, 2 s',
    );
  });

  it('cancelled after the account with leave-pending: no Staffbase call after the create', async () => {
    const { run, outcome } = await cancelWhileWaiting(newAccountStubs, 'leave-pending');
    assert.equal(outcome.result, 'cancelled');
    assert.equal(outcome.accountAction, 'left-pending');
    assert.equal(outcome.staffbaseUserId, 'sb-1');
    assert.deepEqual(run.names(), ['settleBeforeOnboarding', 'createAccount']);
  });
  it('refused on leave (patch onboarding-refused-on-leave): ends at once, nothing created in Staffbase', async () => {
    const run = await startOnboarding(bed, { ...newAccountStubs, settleBeforeOnboarding: () => 'on-leave' });
    const outcome = await run.result();
    assert.equal(outcome.result, 'refused-on-leave');
    assert.equal(outcome.accountAction, 'never-created');
    assert.match(outcome.reason ?? '', /on leave/);
    assert.deepEqual(run.names(), ['settleBeforeOnboarding']);
  });
});
