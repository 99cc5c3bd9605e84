/**
 * Offboarding unit tests, the retention and what moves it: a legal hold past the deadline and its
 * release, delete-now, a retention change. The real workflow on the time-skipping server with STUBBED
 * activities (stubbed-workers.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  changeRetentionUpdate,
  deleteNowUpdate,
  legalHoldUpdate,
  offboardingStatusQuery,
  releaseLegalHoldUpdate,
} from '../../../workflows/offboarding-messages';
import {
  between,
  dayMs,
  deletedAfter,
  leaverAccount,
  stageReached,
  startOffboarding,
} from './offboarding-fixtures';
import { type UnitTestBed, useStubbedWorkers } from './stubbed-workers';

const refusedAs = (type: string) => (error: unknown) => {
  assert.ok(error instanceof WorkflowUpdateFailedError, String(error));
  assert.ok(error.cause instanceof ApplicationFailure, String(error.cause));
  assert.equal(error.cause.type, type);
  return true;
};

describe('offboarding, retention (unit: stubbed activities, time-skipping server)', () => {
  let bed: UnitTestBed;
  useStubbedWorkers((started) => (bed = started));

  it('a legal hold keeps the account past its deadline until released; delete-now is refused meanwhile', async () => {
    const { stubs } = leaverAccount();
    const run = await startOffboarding(bed, stubs);
    await stageReached(bed, run, 'retention');
    const held = await run.handle.executeUpdate(legalHoldUpdate, {
      args: [{ reason: 'litigation 2026-17' }],
    });
    assert.equal(held.legalHold?.reason, 'litigation 2026-17');

    await bed.env.sleep('45 days');
    const onHold = await stageReached(bed, run, 'on-hold');
    assert.ok(Date.parse(onHold.deleteAt ?? '') < (await bed.env.currentTimeMs()), 'the deadline has passed');
    assert.ok(!run.names().includes('deleteAccount'), 'nothing deleted while held');
    await assert.rejects(run.handle.executeUpdate(deleteNowUpdate), refusedAs('LegalHold'));

    const released = await run.handle.executeUpdate(releaseLegalHoldUpdate);
    assert.equal(released.legalHold, undefined);
    const outcome = await run.result();
    assert.equal(outcome.result, 'deleted');
    assert.ok(
      between(outcome.deactivatedAt, outcome.deletedAt) >= 45 * dayMs,
      'deleted only after the release',
    );
  });

  it('delete-now brings the deletion forward to now', async () => {
    const { stubs } = leaverAccount();
    const run = await startOffboarding(bed, stubs);
    const retention = await stageReached(bed, run, 'retention');
    assert.equal(between(retention.deactivatedAt, retention.deleteAt), 30 * dayMs);
    const status = await run.handle.executeUpdate(deleteNowUpdate);
    assert.ok(between(status.deleteAt, status.deactivatedAt) >= 0, 'deleteAt no later than the deactivation');
    const outcome = await run.result();
    assert.equal(outcome.result, 'deleted');
    assert.ok(between(outcome.deactivatedAt, outcome.deletedAt) < dayMs, 'deleted the same day');
  });

  it('a retention change moves the deadline: in days after the deactivation, or to an explicit moment', async () => {
    const { stubs } = leaverAccount();
    const run = await startOffboarding(bed, stubs);
    await stageReached(bed, run, 'retention');
    await assert.rejects(
      run.handle.executeUpdate(changeRetentionUpdate, { args: [{ retentionDays: -1 }] }),
      refusedAs('InvalidArgument'),
    );
    const shorter = await run.handle.executeUpdate(changeRetentionUpdate, { args: [{ retentionDays: 2 }] });
    assert.equal(between(shorter.deactivatedAt, shorter.deleteAt), 2 * dayMs);
    const deleteAt = new Date(Date.parse(shorter.deactivatedAt ?? '') + 5 * dayMs).toISOString();
    const explicit = await run.handle.executeUpdate(changeRetentionUpdate, { args: [{ deleteAt }] });
    assert.equal(explicit.deleteAt, deleteAt);
    assert.equal((await run.handle.query(offboardingStatusQuery)).deleteAt, deleteAt);

    const outcome = await run.result();
    assert.equal(outcome.result, 'deleted');
    deletedAfter(outcome, 5 * dayMs);
  });
});
