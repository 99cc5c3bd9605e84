/**
 * The leave workflow, branch by branch, on the time-skipping server with STUBBED ACTIVITIES (a workflow
 * unit test: see stubbed-workers.ts). The account lives in the stubs (offboarding-fixtures.ts'
 * leaverAccount); a test changes it to play an administrator in Studio.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { shiftDate, zonedDateTimeToEpochMs } from '../../../lifecycle/calendar';
import type { LeavePolicy, LeaveRequest } from '../../../lifecycle/leave-request';
import {
  type LeaveOutcome,
  type LeaveStage,
  cancelLeaveUpdate,
  changeLeaveUntilUpdate,
  endLeaveByOffboardingUpdate,
  endLeaveUpdate,
  leaveStatusQuery,
} from '../../../workflows/leave-messages';
import { dayMs, leaverAccount } from './offboarding-fixtures';
import { type StubbedRun, type Stubs, type UnitTestBed, useStubbedWorkers } from './stubbed-workers';

const policy: LeavePolicy = { endOfWorkingDay: '17:00', timeZone: 'Europe/Berlin' };
/** The test server's time as each test began (its clock skips ahead from real time). */
let testStartMs = 0;
/** A calendar date `days` from the test's start. */
const dayFromNow = (_bed: UnitTestBed, days: number) =>
  shiftDate(new Date(testStartMs).toISOString().slice(0, 10), days);

describe('leave workflow (stubbed activities, time-skipping)', () => {
  let bed: UnitTestBed;
  useStubbedWorkers((started) => (bed = started));
  beforeEach(async () => {
    testStartMs = await bed.env.currentTimeMs();
  });

  const startLeave = (stubs: Stubs, request: Partial<LeaveRequest> = {}): Promise<StubbedRun<LeaveOutcome>> =>
    bed.start<LeaveOutcome>(
      'leave',
      [{ request: { externalID: 'E9', from: dayFromNow(bed, 0), ...request }, policy }],
      stubs,
    );
  const stageReached = (run: StubbedRun<unknown>, stage: LeaveStage) =>
    bed.until(
      () => run.handle.query(leaveStatusQuery),
      (status) => status.stage === stage,
      `leave stage ${stage}`,
    );
  /** A leave that began today: deactivated at once, back in ten days unless a test says otherwise. */
  const onLeave = async (stubs: Stubs, request: Partial<LeaveRequest> = {}) => {
    const run = await startLeave(stubs, { until: dayFromNow(bed, 10), ...request });
    await stageReached(run, 'on-leave');
    return run;
  };

  it('returned: deactivated at the end of the working day before from, reactivated at the start of until', async () => {
    const { account, stubs } = leaverAccount();
    const from = dayFromNow(bed, 3);
    const until = shiftDate(from, 1);
    const run = await startLeave(stubs, { from, until });
    const outcome = await run.result();
    assert.equal(outcome.result, 'returned');
    assert.equal(outcome.reactivated, true);
    assert.equal(outcome.staffbaseUserId, 'sb-9');
    assert.equal(account.current?.status, 'activated');
    const deactivateAt = zonedDateTimeToEpochMs(shiftDate(from, -1), '17:00', 'Europe/Berlin');
    const deactivatedAt = Date.parse(outcome.deactivatedAt ?? '');
    assert.ok(deactivatedAt >= deactivateAt && deactivatedAt < deactivateAt + 60_000, outcome.deactivatedAt);
    const closedAt = (await run.handle.describe()).closeTime?.getTime() ?? 0;
    const returnAt = zonedDateTimeToEpochMs(until, '00:00', 'Europe/Berlin');
    assert.ok(
      closedAt >= returnAt && closedAt < returnAt + 60_000,
      `closed ${new Date(closedAt).toISOString()}`,
    );
    assert.deepEqual(run.names(), [
      'leaveRefusal',
      'findAccountByExternalId',
      'readAccount',
      'endSessions',
      'readAccount',
      'deactivateById',
      'readAccount',
      'reactivateById',
    ]);
  });

  it('kept: an account reactivated by hand during the leave is left as it is', async () => {
    const { account, stubs } = leaverAccount();
    const run = await onLeave(stubs);
    account.current = { ...(account.current ?? assert.fail('no account')), status: 'activated' };
    const outcome = await run.result();
    assert.equal(outcome.result, 'kept');
    assert.equal(outcome.keptBecause, 'reactivated-since');
    assert.equal(outcome.reactivated, false);
    assert.ok(!run.names().includes('reactivateById'));
  });

  it('kept: an account deactivated again by someone else (another mark) is not the leave’s to reactivate', async () => {
    const { account, stubs } = leaverAccount();
    const run = await onLeave(stubs);
    const current = account.current ?? assert.fail('no account');
    account.current = { ...current, deactivationMark: '2031-05-05T00:00:00.000Z' };
    const outcome = await run.result();
    assert.equal(outcome.result, 'kept');
    assert.equal(outcome.keptBecause, 'reactivated-since');
    assert.equal(account.current.status, 'deactivated');
  });

  it('kept: the account was already deactivated when the leave began; nothing is deactivated or reactivated', async () => {
    const { account, stubs } = leaverAccount();
    account.current = { ...(account.current ?? assert.fail('no account')), status: 'deactivated' };
    const run = await onLeave(stubs);
    const outcome = await run.result();
    assert.equal(outcome.result, 'kept');
    assert.equal(outcome.keptBecause, 'deactivated-before-leave');
    assert.deepEqual(run.names(), ['leaveRefusal', 'findAccountByExternalId']);
  });

  it('kept: nobody carries the externalID', async () => {
    const { stubs } = leaverAccount();
    const run = await startLeave({ ...stubs, findAccountByExternalId: () => ({ result: 'gone' }) });
    const outcome = await run.result();
    assert.equal(outcome.result, 'kept');
    assert.equal(outcome.keptBecause, 'user-not-found');
  });

  it('kept: the account was deleted during the leave', async () => {
    const { account, stubs } = leaverAccount();
    const run = await onLeave(stubs);
    account.current = undefined;
    const outcome = await run.result();
    assert.equal(outcome.keptBecause, 'user-not-found');
  });

  it('a new until moves the return (extended), and end reactivates now', async () => {
    const { account, stubs } = leaverAccount();
    const run = await onLeave(stubs, { until: dayFromNow(bed, 2) });
    const later = dayFromNow(bed, 40);
    const status = await run.handle.executeUpdate(changeLeaveUntilUpdate, { args: [{ until: later }] });
    assert.equal(status.until, later);
    await bed.env.sleep(5 * dayMs); // past the old first day back: still on leave
    assert.equal((await run.handle.query(leaveStatusQuery)).stage, 'on-leave');
    const outcome = await run.handle.executeUpdate(endLeaveUpdate, { args: [{ reason: 'back early' }] });
    assert.equal(outcome.result, 'ended');
    assert.equal(outcome.reactivated, true);
    assert.equal(outcome.reason, 'back early');
    assert.equal(account.current?.status, 'activated');
  });

  it('a until already begun (shortened) reactivates now', async () => {
    const { account, stubs } = leaverAccount();
    const run = await onLeave(stubs, { from: dayFromNow(bed, -3) });
    await run.handle.executeUpdate(changeLeaveUntilUpdate, { args: [{ until: dayFromNow(bed, 0) }] });
    const outcome = await run.result();
    assert.equal(outcome.result, 'returned');
    assert.equal(account.current?.status, 'activated');
  });

  it('a until not after from is refused, and nothing changes', async () => {
    const { stubs } = leaverAccount();
    const run = await onLeave(stubs);
    await assert.rejects(
      run.handle.executeUpdate(changeLeaveUntilUpdate, { args: [{ until: dayFromNow(bed, -3) }] }),
      (error: unknown) =>
        error instanceof WorkflowUpdateFailedError && /after from/.test(String(error.cause?.message)),
    );
    assert.equal((await run.handle.query(leaveStatusQuery)).until, dayFromNow(bed, 10));
  });

  it('cancelled before the deactivation: nothing is sent to Staffbase', async () => {
    const { stubs } = leaverAccount();
    const run = await startLeave(stubs, { from: dayFromNow(bed, 5) });
    await stageReached(run, 'scheduled');
    const outcome = await run.handle.executeUpdate(cancelLeaveUpdate, { args: [{}] });
    assert.equal(outcome.result, 'cancelled');
    assert.equal(outcome.reactivated, false);
    assert.deepEqual(run.names(), ['leaveRefusal']);
  });

  it('cancelled during the leave: the account is reactivated; a second action is refused', async () => {
    const { account, stubs } = leaverAccount();
    const run = await onLeave(stubs);
    const outcome = await run.handle.executeUpdate(cancelLeaveUpdate, {
      args: [{ reason: 'entered by mistake' }],
    });
    assert.equal(outcome.result, 'cancelled');
    assert.equal(outcome.reactivated, true);
    assert.equal(account.current?.status, 'activated');
    await assert.rejects(run.handle.executeUpdate(endLeaveUpdate, { args: [{}] }));
  });

  it('open-ended: waits until ended, however long', async () => {
    const { account, stubs } = leaverAccount();
    const run = await startLeave(stubs);
    await stageReached(run, 'on-leave');
    await bed.env.sleep(400 * dayMs);
    assert.equal((await run.handle.query(leaveStatusQuery)).stage, 'on-leave');
    const outcome = await run.handle.executeUpdate(endLeaveUpdate, { args: [{}] });
    assert.equal(outcome.result, 'ended');
    assert.equal(account.current?.status, 'activated');
  });

  it('ended by an offboarding: the account stays deactivated', async () => {
    const { account, stubs } = leaverAccount();
    const run = await onLeave(stubs);
    const outcome = await run.handle.executeUpdate(endLeaveByOffboardingUpdate);
    assert.equal(outcome.result, 'ended-by-offboarding');
    assert.equal(outcome.reactivated, false);
    assert.equal(account.current?.status, 'deactivated');
    assert.ok(!run.names().includes('reactivateById'));
  });
  it('refused by the service (patch leave-refuses-open-lifecycle): an earlier open onboarding or offboarding', async () => {
    for (const refusal of ['onboarding-open', 'offboarding-open'] as const) {
      const { account, stubs } = leaverAccount();
      const run = await startLeave({ ...stubs, leaveRefusal: () => refusal }, { externalID: `E-${refusal}` });
      const outcome = await run.result();
      assert.equal(outcome.result, 'refused');
      assert.equal(outcome.refusedBecause, refusal);
      assert.equal(outcome.reactivated, false);
      assert.match(
        outcome.reason ?? '',
        refusal === 'onboarding-open' ? /open onboarding/ : /open offboarding/,
      );
      assert.equal(account.current?.status, 'activated', 'the account was not touched');
      assert.deepEqual(run.names(), ['leaveRefusal']);
    }
  });
});
