/**
 * Clean-ups (accountCleanup), their waits and their chain: the real workflow on the time-skipping
 * server with STUBBED ACTIVITIES (stubbed-workers.ts). The progress query's phases, the safety
 * threshold (confirmDeletions, or a cancel), a cancel mid-run, continue-as-new carrying the filter,
 * the failed users, the criteria and the counts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MatchingUsersQuery } from '../../../activities/support-activities';
import type { CleanupCandidateRead } from '../../../lifecycle/support-guards';
import {
  type BulkOutcome,
  cancelBulkRunSignal,
  confirmDeletionsSignal,
} from '../../../workflows/support-messages';
import {
  type CleanupCarryOver,
  cleanupInput,
  gate,
  idsSentTo,
  listOffsets,
  listing,
  progressOf,
  confirmationPause,
  progressUntil,
  reached,
  workerLimits,
} from './bulk-fixtures';
import { type Stubs, type UnitTestBed, refusal, useStubbedWorkers } from './stubbed-workers';

const oldPending = (id: string): CleanupCandidateRead => ({
  result: 'found',
  account: { staffbaseUserId: id, status: 'pending', created: '2020-01-01T00:00:00.000Z' },
});

/**
 * Pending users older than any cut-off, unless `reads` says otherwise: a deleted user leaves the
 * list, and so does one read as no longer matching (Staffbase's filter no longer selects it).
 */
function shrinking(
  population: string[],
  reads: Record<string, CleanupCandidateRead> = {},
): Required<Pick<Stubs, 'listMatchingUsers' | 'readCleanupCandidate' | 'deleteCleanupAccount'>> {
  return {
    listMatchingUsers: (query) => listing(population)(query),
    readCleanupCandidate: (id) => {
      const read = reads[id];
      if (!read) return oldPending(id);
      population.splice(population.indexOf(id), 1);
      return read;
    },
    deleteCleanupAccount: (id) => {
      population.splice(population.indexOf(id), 1);
      return 'deleted';
    },
  };
}

describe('clean-up, confirmation, cancels, continue-as-new (unit: stubbed activities, time-skipping server)', () => {
  let bed: UnitTestBed;
  useStubbedWorkers((started) => (bed = started), workerLimits());

  it('progress: counting while the first page is read, running while deleting, then completed', async () => {
    const listHeld = gate();
    const deleteHeld = gate();
    const stubs = shrinking(['u1', 'u2', 'u3']);
    let lists = 0;
    const run = await bed.start<BulkOutcome>('accountCleanup', [cleanupInput({ confirmAbove: 50 })], {
      ...stubs,
      listMatchingUsers: async (query) => {
        if ((lists += 1) === 1) await listHeld.pass();
        return stubs.listMatchingUsers(query);
      },
      deleteCleanupAccount: async (id) => {
        if (id === 'u2') await deleteHeld.pass();
        return stubs.deleteCleanupAccount(id);
      },
    });
    await reached(bed, listHeld, 'the first list');
    const counting = await progressOf(run);
    assert.equal(counting.phase, 'counting');
    assert.equal(counting.operation, 'cleanup-pending-accounts');
    assert.deepEqual(counting.statuses, ['pending']);
    assert.equal(counting.confirmAbove, 50);
    assert.equal(counting.confirmed, false);
    listHeld.open();

    await reached(bed, deleteHeld, 'the deletion of u2');
    const running = await progressUntil(bed, run, (progress) => progress.done === 1, 'u1 counted');
    assert.equal(running.phase, 'running');
    assert.equal(running.total, 3);
    deleteHeld.open();

    const outcome = await run.result();
    assert.equal(outcome.result, 'completed');
    const completed = await progressOf(run);
    assert.equal(completed.phase, 'completed');
    assert.deepEqual(completed.outcome, outcome);
  });

  it('above confirmAbove: nothing read or deleted until confirmDeletions, then the front is read again', async () => {
    const run = await bed.start<BulkOutcome>(
      'accountCleanup',
      [cleanupInput({ confirmAbove: 2 })],
      shrinking(['u1', 'u2', 'u3']),
    );
    const waiting = await confirmationPause(bed, run);
    assert.equal(waiting.total, 3);
    assert.equal(waiting.confirmAbove, 2);
    assert.equal(waiting.confirmed, false);
    assert.deepEqual(run.names(), ['bulkSafetyLimits', 'listMatchingUsers']);

    await run.handle.signal(confirmDeletionsSignal, { confirmedBy: 'hr-lead' });
    const outcome = await run.result();
    assert.equal(outcome.result, 'completed');
    assert.equal(outcome.done, 3);
    assert.deepEqual(idsSentTo(run, 'deleteCleanupAccount'), ['u1', 'u2', 'u3']);
    // The pause's read, the read after the confirmation, two more pages, the empty one.
    assert.deepEqual(listOffsets(run), [0, 0, 0, 0]);
    assert.equal((await progressOf(run)).confirmed, true);
  });

  it('cancelled while awaiting confirmation: nothing read or deleted, the reason kept', async () => {
    const run = await bed.start<BulkOutcome>(
      'accountCleanup',
      [cleanupInput({ confirmAbove: 2 })],
      shrinking(['u1', 'u2', 'u3']),
    );
    await confirmationPause(bed, run);
    await run.handle.signal(cancelBulkRunSignal, { reason: 'not today' });
    const outcome = await run.result();
    assert.equal(outcome.result, 'cancelled');
    assert.equal(outcome.reason, 'not today');
    assert.equal(outcome.done, 0);
    assert.equal(outcome.total, 3);
    assert.deepEqual(run.names(), ['bulkSafetyLimits', 'listMatchingUsers']);
  });

  it('cancelled mid-run: stops after the deletion in flight, no further list or deletion', async () => {
    const held = gate();
    const stubs = shrinking(['u1', 'u2', 'u3', 'u4']);
    const run = await bed.start<BulkOutcome>('accountCleanup', [cleanupInput()], {
      ...stubs,
      deleteCleanupAccount: async (id) => {
        if (id === 'u1') await held.pass();
        return stubs.deleteCleanupAccount(id);
      },
    });
    await reached(bed, held, 'the deletion of u1');
    await run.handle.signal(cancelBulkRunSignal, { reason: 'stop' });
    held.open();
    const outcome = await run.result();
    assert.equal(outcome.result, 'cancelled');
    assert.equal(outcome.reason, 'stop');
    assert.equal(outcome.done, 1);
    assert.deepEqual(idsSentTo(run, 'deleteCleanupAccount'), ['u1']);
    assert.deepEqual(listOffsets(run), [0]);
  });

  it('continues as new after pagesPerRun pages: filter and failed users carried, counts end-to-end', async () => {
    const population = ['u1', 'u2', 'u3', 'u4', 'u5'];
    const stubs = shrinking(population, {
      u1: { result: 'found', account: { staffbaseUserId: 'u1', status: 'activated' } },
    });
    const run = await bed.start<BulkOutcome>('accountCleanup', [cleanupInput({ pagesPerRun: 1 })], {
      ...stubs,
      deleteCleanupAccount: (id) => {
        if (id === 'u2') throw refusal('StaffbaseAuthError', 'HTTP 403');
        return stubs.deleteCleanupAccount(id);
      },
    });
    const outcome = await run.result();
    assert.equal(outcome.result, 'completed');
    assert.equal(outcome.done, 3);
    assert.equal(outcome.skipped, 1);
    assert.equal(outcome.failed, 1);
    assert.deepEqual(outcome.failures, [{ staffbaseUserId: 'u2', reason: 'StaffbaseAuthError: HTTP 403' }]);
    assert.equal(outcome.pagesDone, 3);
    assert.equal(outcome.runs, 4);
    // Runs 2 to 4 list behind the carried failed user u2.
    assert.deepEqual(listOffsets(run), [0, 1, 1, 1]);
    assert.deepEqual(idsSentTo(run, 'deleteCleanupAccount'), ['u2', 'u3', 'u4', 'u5']);
    const filters = new Set(
      run.calls
        .filter((call) => call.name === 'listMatchingUsers')
        .map((call) => (call.args[0] as MatchingUsersQuery).filter),
    );
    assert.equal(filters.size, 1, "every run of the chain lists by the first run's filter");
    const progress = await progressOf(run);
    assert.equal(progress.run, 4);
    assert.equal(progress.done, 3);
    assert.equal(progress.failed, 1);
  });

  it('a continued run answers the carried counts and lists by the carried filter behind the failed users', async () => {
    const held = gate();
    const carried: CleanupCarryOver = {
      filter: 'created lt "2025-01-01T00:00:00.000Z"',
      failedIds: ['f1'],
      recentIds: ['u1'],
      total: 6,
      done: 3,
      skipped: 1,
      pagesDone: 2,
      run: 3,
      failures: [{ staffbaseUserId: 'f1', reason: 'StaffbaseAuthError: HTTP 403' }],
      startedAt: '2026-02-01T00:00:00.000Z',
      // Confirmed in an earlier run: no second pause although 6 > confirmAbove.
      confirmed: true,
      criteria: { status: 'pending', createdBefore: '2025-01-01T00:00:00.000Z' },
    };
    const population = ['f1', 'u5', 'u6'];
    const stubs = shrinking(population, {
      // Created after the carried cut-off: no longer matching, kept.
      u6: {
        result: 'found',
        account: { staffbaseUserId: 'u6', status: 'pending', created: '2025-06-01T00:00:00Z' },
      },
    });
    const run = await bed.start<BulkOutcome>('accountCleanup', [cleanupInput({ confirmAbove: 2 }), carried], {
      ...stubs,
      listMatchingUsers: async (query) => {
        await held.pass();
        return stubs.listMatchingUsers(query);
      },
    });
    await reached(bed, held, 'the first list of the continued run');
    const progress = await progressOf(run);
    assert.equal(progress.phase, 'running');
    assert.equal(progress.run, 3);
    assert.equal(progress.total, 6);
    assert.equal(progress.done, 3);
    assert.equal(progress.failed, 1);
    assert.equal(progress.skipped, 1);
    assert.equal(progress.pagesDone, 2);
    assert.equal(progress.confirmed, true);
    assert.equal(progress.filter, carried.filter);
    assert.equal(progress.startedAt, carried.startedAt);
    held.open();

    const outcome = await run.result();
    assert.equal(outcome.result, 'completed');
    const queries = run.calls
      .filter((call) => call.name === 'listMatchingUsers')
      .map((call) => call.args[0] as MatchingUsersQuery);
    assert.ok(queries.length > 0);
    assert.ok(queries.every((query) => query.filter === carried.filter && query.offset === 1));
    assert.deepEqual(idsSentTo(run, 'deleteCleanupAccount'), ['u5']);
    assert.equal(outcome.done, 4);
    assert.equal(outcome.skipped, 2);
    assert.equal(outcome.failed, 1);
    assert.equal(outcome.runs, 3);
    assert.equal(outcome.filter, carried.filter);
  });

  it('a chain from before criteria were carried re-checks the status only', async () => {
    const carried: CleanupCarryOver = {
      filter: 'created lt "2025-01-01T00:00:00.000Z"',
      failedIds: [],
      recentIds: [],
      total: 0,
      done: 0,
      skipped: 0,
      pagesDone: 0,
      run: 2,
      failures: [],
      startedAt: '2026-02-01T00:00:00.000Z',
      confirmed: false,
    };
    const stubs = shrinking(['u1', 'u2'], {
      u2: { result: 'found', account: { staffbaseUserId: 'u2', status: 'activated' } },
    });
    const run = await bed.start<BulkOutcome>('accountCleanup', [cleanupInput(), carried], {
      ...stubs,
      readCleanupCandidate: (id) =>
        id === 'u1'
          ? // A created date the old criteria never compared: still deleted.
            {
              result: 'found',
              account: { staffbaseUserId: 'u1', status: 'pending', created: '2999-01-01T00:00:00Z' },
            }
          : stubs.readCleanupCandidate(id),
    });
    const outcome = await run.result();
    assert.equal(outcome.result, 'completed');
    assert.deepEqual(idsSentTo(run, 'deleteCleanupAccount'), ['u1']);
    assert.equal(outcome.done, 1);
    assert.equal(outcome.skipped, 1);
  });
});
