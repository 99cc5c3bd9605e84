/**
 * Offboarding unit tests, needs-attention: a rotated token parks the run where it stopped, an
 * operator's retry resumes it; a cancel still works while it waits at the deletion. The real workflow
 * on the time-skipping server with STUBBED activities (stubbed-workers.ts); the refusal is the
 * ApplicationFailure the real activities throw for a 401/403.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { retryStepUpdate } from '../../../workflows/attention-messages';
import {
  cancelOffboardingUpdate,
  changeRetentionUpdate,
  deleteNowUpdate,
} from '../../../workflows/offboarding-messages';
import { dayMs, deletedAfter, leaverAccount, stageReached, startOffboarding } from './offboarding-fixtures';
import { type UnitTestBed, refusal, useStubbedWorkers } from './stubbed-workers';

const refusedAs = (type: string) => (error: unknown) => {
  assert.ok(error instanceof WorkflowUpdateFailedError, String(error));
  assert.ok(error.cause instanceof ApplicationFailure, String(error.cause));
  assert.equal(error.cause.type, type);
  return true;
};

describe('offboarding, needs-attention (unit: stubbed activities, time-skipping server)', () => {
  let bed: UnitTestBed;
  useStubbedWorkers((started) => (bed = started));

  it('parks at the logout on a rotated token; a retry before the token is back still waits, one after it resumes', async () => {
    const { stubs } = leaverAccount();
    const token = { back: false };
    const run = await startOffboarding(bed, {
      ...stubs,
      endSessions: () => {
        if (!token.back) throw refusal('StaffbaseAuthError', 'HTTP 401', { kind: 'auth' });
        return 'logged-out';
      },
      notifyNeedsAttention: () => 'sent',
    });
    const parked = await stageReached(bed, run, 'needs-attention');
    assert.equal(parked.attention?.code, 'auth');
    assert.equal(parked.attention?.step, 'log-out');
    assert.ok(!run.names().includes('deactivateById'), 'no deactivation before the logout');

    const early = await run.handle.executeUpdate(retryStepUpdate);
    assert.equal(early.result, 'still-needs-attention');
    token.back = true;
    const answer = await run.handle.executeUpdate(retryStepUpdate);
    assert.equal(answer.result, 'resolved');

    const outcome = await run.result();
    assert.equal(outcome.result, 'deleted');
    deletedAfter(outcome, 30 * dayMs);
    assert.equal(run.names().filter((name) => name === 'endSessions').length, 3);
    assert.equal(run.names().filter((name) => name === 'notifyNeedsAttention').length, 1);
  });

  it('parked at the deletion: the deadline can no longer move, a cancel reactivates the account', async () => {
    const { account, stubs } = leaverAccount();
    const run = await startOffboarding(bed, {
      ...stubs,
      deleteAccount: () => {
        throw refusal('StaffbaseAuthError', 'HTTP 403', { kind: 'auth' });
      },
      notifyNeedsAttention: () => 'sent',
    });
    await stageReached(bed, run, 'retention');
    await bed.env.sleep('31 days');
    const parked = await stageReached(bed, run, 'needs-attention');
    assert.equal(parked.attention?.step, 'delete');
    await assert.rejects(run.handle.executeUpdate(deleteNowUpdate), refusedAs('AlreadyEnded'));
    await assert.rejects(
      run.handle.executeUpdate(changeRetentionUpdate, { args: [{ retentionDays: 90 }] }),
      refusedAs('AlreadyEnded'),
    );

    const outcome = await run.handle.executeUpdate(cancelOffboardingUpdate, {
      args: [{ reason: 'rehired' }],
    });
    assert.equal(outcome.result, 'cancelled');
    assert.equal(outcome.reactivated, true);
    assert.equal(run.calls.at(-1)?.name, 'reactivateById');
    assert.equal(account.current?.status, 'activated');
    assert.equal(
      run.names().filter((name) => name === 'deleteAccount').length,
      1,
      'no delete after the cancel',
    );
  });
});
