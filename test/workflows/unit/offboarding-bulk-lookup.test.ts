/**
 * Bulk offboardings (`lane: 'bulk'`, patch `batched-lookup`), the run's side of the batched look-up:
 * which answer it acts on and when it reads the account again. The real workflow on the time-skipping
 * server with STUBBED activities (stubbed-workers.ts): the stub of `requestBatchedLookup` plays the
 * look-up batcher and signals the run an answer. The batcher itself and the whole path against the
 * simulator are tested in test/workflows/bulk-offboarding.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BatchedAccountAnswer } from '../../../lifecycle/batched-lookup';
import {
  type OffboardingOutcome,
  batchedLookupAnswerSignal,
  offboardingStatusQuery,
} from '../../../workflows/offboarding-messages';
import { offboardingPolicy } from '../../helpers/people';
import { leaverAccount, stageReached } from './offboarding-fixtures';
import { type StubbedRun, type Stubs, type UnitTestBed, useStubbedWorkers } from './stubbed-workers';

describe('offboarding, batched look-up of a bulk run (unit: stubbed activities, time-skipping server)', () => {
  let bed: UnitTestBed;
  useStubbedWorkers((started) => (bed = started));

  const startBulk = (stubs: Stubs) =>
    bed.start<OffboardingOutcome>(
      'offboarding',
      [{ request: { externalID: 'E9' }, policy: offboardingPolicy(), lane: 'bulk' }],
      stubs,
    );

  /** The batcher's part: answers the run at once, read `ageMs` before the server's current time. */
  const batcherAnswering =
    (answer: BatchedAccountAnswer | undefined, ageMs = 0): NonNullable<Stubs['requestBatchedLookup']> =>
    async (request) => {
      if (!answer) return;
      const readAt = (await bed.env.currentTimeMs()) - ageMs;
      await bed.env.client.workflow
        .getHandle(request.workflowId)
        .signal(batchedLookupAnswerSignal, { externalID: request.externalID, answer, readAt });
    };
  /** What a run that looks its person up alone calls after the batcher (names from its third call on). */
  const lookedUpAlone = [
    'findAccountByExternalId',
    'readAccount',
    'endSessions',
    'readAccount',
    'deactivateById',
  ];
  /** Waits until the run has asked the batcher, then lets 2 minutes pass without an answer. */
  const twoMinutesAfterAsking = async (run: StubbedRun<OffboardingOutcome>) => {
    await bed.until(
      () => run.handle.query(offboardingStatusQuery),
      () => run.names().includes('requestBatchedLookup'),
      'the request to the batcher',
    );
    assert.ok(!run.names().includes('findAccountByExternalId'), 'still waiting for the batch');
    await bed.env.sleep('2 minutes');
  };
  const found = (account: ReturnType<typeof leaverAccount>['account']): BatchedAccountAnswer => ({
    result: 'found',
    account: { ...(account.current ?? assert.fail('no account')) },
  });

  it('a recent batch read stands in for the reads before log-out and deactivation (not the deletion’s)', async () => {
    const { account, stubs } = leaverAccount();
    const run = await startBulk({ ...stubs, requestBatchedLookup: batcherAnswering(found(account)) });
    const outcome = await run.result();
    assert.equal(outcome.result, 'deleted');
    assert.deepEqual(run.names(), [
      'offboardingRetentionFloor',
      'cancelOnboardingForLeaver',
      'endLeaveForLeaver',
      'requestBatchedLookup',
      'endSessions',
      'deactivateById',
      'readAccount',
      'deleteAccount',
    ]);
  });

  it('a batch read older than 30 s is read again before log-out and before deactivation', async () => {
    const { account, stubs } = leaverAccount();
    const run = await startBulk({
      ...stubs,
      requestBatchedLookup: batcherAnswering(found(account), 31_000),
    });
    await stageReached(bed, run, 'retention');
    assert.deepEqual(run.names(), [
      'offboardingRetentionFloor',
      'cancelOnboardingForLeaver',
      'endLeaveForLeaver',
      'requestBatchedLookup',
      'readAccount',
      'endSessions',
      'readAccount',
      'deactivateById',
    ]);
  });

  it('the guard decides on the batch read: an account it shows deactivated already is not deactivated again', async () => {
    const { account, stubs } = leaverAccount();
    account.current = { ...(account.current ?? assert.fail('no account')), status: 'deactivated' };
    account.current.deactivationMark = '2029-12-31T00:00:00.000Z';
    const run = await startBulk({ ...stubs, requestBatchedLookup: batcherAnswering(found(account)) });
    await stageReached(bed, run, 'retention');
    assert.deepEqual(run.names().slice(3), ['requestBatchedLookup', 'endSessions']);
  });

  it('a person the batch did not find ends user-not-found without a look-up of their own', async () => {
    const { stubs } = leaverAccount();
    const run = await startBulk({ ...stubs, requestBatchedLookup: batcherAnswering({ result: 'gone' }) });
    const outcome = await run.result();
    assert.equal(outcome.result, 'user-not-found');
    assert.deepEqual(run.names(), [
      'offboardingRetentionFloor',
      'cancelOnboardingForLeaver',
      'endLeaveForLeaver',
      'requestBatchedLookup',
    ]);
  });

  it('told to look up alone, the run looks its person up itself and reads before each act', async () => {
    const { stubs } = leaverAccount();
    const run = await startBulk({
      ...stubs,
      requestBatchedLookup: batcherAnswering({ result: 'look-up-alone' }),
    });
    await stageReached(bed, run, 'retention');
    assert.deepEqual(run.names().slice(3), ['requestBatchedLookup', ...lookedUpAlone]);
  });

  it('no answer within 2 minutes and the batcher no longer holds the request: the run looks up alone', async () => {
    const { stubs } = leaverAccount();
    const run = await startBulk({
      ...stubs,
      requestBatchedLookup: batcherAnswering(undefined),
      batchedLookupPending: () => false,
    });
    await twoMinutesAfterAsking(run);
    await stageReached(bed, run, 'retention');
    assert.deepEqual(run.names().slice(3), [
      'requestBatchedLookup',
      'batchedLookupPending',
      ...lookedUpAlone,
    ]);
  });

  it('a request the batcher still holds after 2 minutes (a long import queued) is waited for again', async () => {
    const { account, stubs } = leaverAccount();
    const answer = found(account);
    let asked = 0;
    const run = await startBulk({
      ...stubs,
      requestBatchedLookup: batcherAnswering(undefined),
      // Held at the first question; the answer comes before the second.
      batchedLookupPending: async (workflowId) => {
        asked += 1;
        if (asked > 1) return false;
        await batcherAnswering(answer)({ externalID: 'E9', workflowId });
        return true;
      },
    });
    await twoMinutesAfterAsking(run);
    await stageReached(bed, run, 'retention');
    assert.equal(asked, 1);
    assert.deepEqual(run.names().slice(3), [
      'requestBatchedLookup',
      'batchedLookupPending',
      'endSessions',
      'deactivateById',
    ]);
  });
});
