/**
 * The look-up batcher's own logic (workflows/lookup-batcher.ts): batches of at most `maxPeople`, every
 * request answered once, continue-as-new carrying the requests not yet answered, a failed batch telling
 * its leavers to look up alone. The real workflow on the time-skipping server with STUBBED activities
 * (stubbed-workers.ts); the batcher with the real activities and the simulator is tested in
 * test/workflows/bulk-offboarding.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import type { BatchedLookupDelivery } from '../../../activities/lookup-batcher-activities';
import type { BatchedLookupRequest } from '../../../lifecycle/batched-lookup';
import { type LookupBatcherInput, lookupPendingQuery } from '../../../workflows/lookup-batcher-messages';
import { withinMs } from '../../helpers/waiting';
import { type Stubs, type UnitTestBed, useStubbedWorkers } from './stubbed-workers';

const requests = (count: number, tag: string): BatchedLookupRequest[] =>
  Array.from({ length: count }, (_, index) => ({
    externalID: `E-${tag}-${index}`,
    workflowId: `offboarding-E-${tag}-${index}`,
  }));

const timing: LookupBatcherInput['timing'] = {
  maxPeople: 50,
  quietMs: 200,
  maxGatherMs: 2_000,
  idleMs: 1_000,
  continueAfterEvents: 20,
};

describe('look-up batcher (unit: stubbed activities, time-skipping server)', () => {
  let bed: UnitTestBed;
  useStubbedWorkers((started) => (bed = started));

  /** Stubs that answer every asked person `gone` (read at `readAt`) and keep what was delivered. */
  function batcherStubs(failBatches = false) {
    const batches: string[][] = [];
    const delivered: BatchedLookupDelivery[] = [];
    const stubs: Stubs = {
      findAccountsByExternalIds: (externalIDs) => {
        batches.push(externalIDs);
        if (failBatches) {
          throw ApplicationFailure.create({
            type: 'StaffbaseAuthError',
            message: 'token',
            nonRetryable: true,
          });
        }
        return {
          readAt: 1_000,
          answers: Object.fromEntries(externalIDs.map((id) => [id, { result: 'gone' as const }])),
        };
      },
      deliverBatchedLookupAnswers: (deliveries) => {
        delivered.push(...deliveries);
      },
    };
    return { batches, delivered, stubs };
  }

  it('answers 120 waiting leavers in batches of 50, continuing as new between them, then ends idle', async () => {
    const waiting = requests(120, 'a');
    const { batches, delivered, stubs } = batcherStubs();
    const run = await bed.start<void>('offboardingLookupBatcher', [{ timing, waiting }], stubs);
    await run.result();
    assert.deepEqual(
      batches.map((batch) => batch.length),
      [50, 50, 20],
    );
    assert.deepEqual(
      delivered.map((delivery) => delivery.workflowId),
      waiting.map((request) => request.workflowId),
      'every leaver answered once, in order',
    );
    assert.ok(delivered.every((delivery) => delivery.answer.answer.result === 'gone'));
    assert.ok(
      delivered.every((delivery) => delivery.answer.readAt === 1_000),
      'with the moment of the read',
    );
    const description = await run.handle.describe();
    assert.notEqual(description.runId, description.raw.workflowExecutionInfo?.firstRunId, 'continued as new');
  });

  it('a failed batch tells each of its leavers to look up alone', async () => {
    const waiting = requests(3, 'b');
    const { batches, delivered, stubs } = batcherStubs(true);
    const run = await bed.start<void>('offboardingLookupBatcher', [{ timing, waiting }], stubs);
    await run.result();
    assert.equal(batches.length, 1);
    assert.deepEqual(
      delivered.map((delivery) => [
        delivery.workflowId,
        delivery.answer.answer.result,
        delivery.answer.readAt,
      ]),
      waiting.map((request) => [request.workflowId, 'look-up-alone', undefined]),
    );
  });

  it('says which requests it still holds: waiting or in the batch being read, not answered ones', async () => {
    const waiting = requests(60, 'c');
    const { delivered, stubs } = batcherStubs();
    let reading = false;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const findFirstBatch = stubs.findAccountsByExternalIds;
    const run = await bed.start<void>('offboardingLookupBatcher', [{ timing, waiting }], {
      ...stubs,
      // The first batch's read waits until the test has asked.
      findAccountsByExternalIds: async (externalIDs) => {
        reading = true;
        if (delivered.length === 0) await released;
        return findFirstBatch?.(externalIDs) ?? assert.fail('stubbed above');
      },
    });
    // Bounded: the time-skipping server may drop a query whose workflow task failed (the update-ordering
    // guard fails one when a query ran the run ahead of its history); a lost answer fails, never hangs.
    const pending = (workflowId: string) =>
      withinMs(run.handle.query(lookupPendingQuery, workflowId), 10_000, `to the pending query`);
    // A failed assertion must not leave the stubbed read waiting: the worker would never stop.
    try {
      await bed.until(
        () => Promise.resolve(reading),
        (started) => started,
        'the first batch being read',
      );
      // Each answer holds still while the read waits; asked until answered (a lost answer is asked again).
      const answered = (workflowId: string, what: string) =>
        bed.until(
          () => pending(workflowId),
          () => true,
          what,
        );
      assert.equal(await answered(waiting[0]?.workflowId ?? '', 'first'), true, 'in the batch being read');
      assert.equal(await answered(waiting[59]?.workflowId ?? '', 'last'), true, 'waiting for the next batch');
      assert.equal(await answered('offboarding-somebody-else', 'another'), false);
      release();
      await bed.until(
        () => pending(waiting[0]?.workflowId ?? ''),
        (held) => !held,
        'the first batch answered',
      );
    } finally {
      release();
    }
    await run.result();
    assert.equal(delivered.length, 60);
  });
});
