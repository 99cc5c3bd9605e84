/**
 * Clean-ups (accountCleanup), their outcomes: the real workflow on the time-skipping server with
 * STUBBED ACTIVITIES (stubbed-workers.ts). Dry runs of both kinds, completed while the set shrinks,
 * users gone or no longer matching when re-read (skipped), failed users staying at the front, too
 * many failures, a list that keeps showing handled users (incomplete), an invalid filter.
 * Confirmation, cancels, phases and continue-as-new: cleanup-flow.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MatchingUsersQuery } from '../../../activities/support-activities';
import type { CleanupCandidateRead } from '../../../lifecycle/support-guards';
import type { BulkOutcome } from '../../../workflows/support-messages';
import { cleanupInput, idsSentTo, listOffsets, listing, progressOf, workerLimits } from './bulk-fixtures';
import { type Stubs, type UnitTestBed, refusal, useStubbedWorkers } from './stubbed-workers';

const oldPending = (id: string): CleanupCandidateRead => ({
  result: 'found',
  account: { staffbaseUserId: id, status: 'pending', created: '2020-01-01T00:00:00.000Z' },
});

/** Pending users older than the cut-off; a deleted one leaves the list, as in Staffbase. */
function pendingPopulation(ids: string[], reads: Record<string, CleanupCandidateRead> = {}): Stubs {
  const population = [...ids];
  return {
    listMatchingUsers: (query) => listing(population)(query),
    readCleanupCandidate: (id) =>
      reads[id] ?? (population.includes(id) ? oldPending(id) : { result: 'gone' }),
    deleteCleanupAccount: (id) => {
      population.splice(population.indexOf(id), 1);
      return 'deleted';
    },
  };
}

describe('clean-up, outcomes (unit: stubbed activities, time-skipping server)', () => {
  let bed: UnitTestBed;
  useStubbedWorkers((started) => (bed = started), workerLimits());

  it('dry run of pending accounts: one summary list by the cut-off, nothing read or deleted', async () => {
    const sample = [{ id: 'u1', status: 'pending' as const, created: '2020-01-01T00:00:00.000Z' }];
    const run = await bed.start<BulkOutcome>(
      'accountCleanup',
      [cleanupInput({ dryRun: true, sampleSize: 3 })],
      {
        listMatchingUsers: () => ({ result: 'page', total: 12, ids: ['u1'], summaries: sample }),
      },
    );
    const outcome = await run.result();
    assert.equal(outcome.result, 'dry-run');
    assert.equal(outcome.operation, 'cleanup-pending-accounts');
    assert.equal(outcome.total, 12);
    assert.deepEqual(outcome.sample, sample);
    assert.equal(outcome.done, 0);
    assert.deepEqual(run.names(), ['listMatchingUsers']);
    const query = run.calls[0]?.args[0] as MatchingUsersQuery;
    assert.deepEqual(
      { ...query, filter: undefined },
      {
        statuses: ['pending'],
        offset: 0,
        limit: 3,
        detail: 'summary',
        filter: undefined,
      },
    );
    // Thirty days before the workflow's clock at its start.
    const cutoff = /^created lt "(.+)"$/.exec(query.filter ?? '')?.[1];
    assert.ok(cutoff, query.filter);
    const days = ((await run.handle.describe()).startTime.getTime() - Date.parse(cutoff)) / 86_400_000;
    assert.ok(Math.abs(days - 30) < 0.001, `cut-off ${cutoff} is ${days} days back`);
    assert.equal(outcome.filter, query.filter);
  });

  it('dry run of deactivated users: the window as the filter, status deactivated', async () => {
    const input = cleanupInput({
      kind: 'deactivated-users',
      olderThanDays: undefined,
      deactivatedFrom: '2025-01-01T00:00:00.000Z',
      deactivatedBefore: '2025-07-01T00:00:00.000Z',
      dryRun: true,
    });
    const run = await bed.start<BulkOutcome>('accountCleanup', [input], {
      listMatchingUsers: () => ({ result: 'page', total: 0, ids: [], summaries: [] }),
    });
    const outcome = await run.result();
    assert.equal(outcome.result, 'dry-run');
    assert.equal(outcome.operation, 'cleanup-deactivated-users');
    assert.deepEqual(outcome.sample, []);
    const query = run.calls[0]?.args[0] as MatchingUsersQuery;
    assert.deepEqual(query.statuses, ['deactivated']);
    assert.equal(
      query.filter,
      'deactivated ge "2025-01-01T00:00:00.000Z" and deactivated lt "2025-07-01T00:00:00.000Z"',
    );
  });

  it('completed: always reads the front of the shrinking set, reads each user right before deleting it', async () => {
    const run = await bed.start<BulkOutcome>(
      'accountCleanup',
      [cleanupInput()],
      pendingPopulation(['u1', 'u2', 'u3', 'u4', 'u5']),
    );
    const outcome = await run.result();
    assert.equal(outcome.result, 'completed');
    assert.equal(outcome.done, 5);
    assert.equal(outcome.total, 5);
    assert.equal(outcome.pagesDone, 3);
    assert.equal(outcome.runs, 1);
    assert.deepEqual(listOffsets(run), [0, 0, 0, 0]);
    assert.deepEqual(idsSentTo(run, 'deleteCleanupAccount'), ['u1', 'u2', 'u3', 'u4', 'u5']);
    assert.deepEqual(run.names().slice(2, 6), [
      'readCleanupCandidate',
      'deleteCleanupAccount',
      'readCleanupCandidate',
      'deleteCleanupAccount',
    ]);
  });

  it('skips who went meanwhile, activated, or was created after the cut-off: never deleted', async () => {
    const reads: Record<string, CleanupCandidateRead> = {
      u2: { result: 'gone' },
      u3: {
        result: 'found',
        account: { staffbaseUserId: 'u3', status: 'activated', created: '2020-01-01T00:00:00Z' },
      },
      u4: {
        result: 'found',
        account: { staffbaseUserId: 'u4', status: 'pending', created: '2999-01-01T00:00:00Z' },
      },
      // The id now answers with another account: as good as gone.
      u5: {
        result: 'found',
        account: { staffbaseUserId: 'other', status: 'pending', created: '2020-01-01T00:00:00Z' },
      },
    };
    const population = ['u1', 'u2', 'u3', 'u4', 'u5'];
    let lists = 0;
    const run = await bed.start<BulkOutcome>('accountCleanup', [cleanupInput({ pageSize: 5 })], {
      // The first list shows all five; Staffbase's next list no longer does.
      listMatchingUsers: (query) => listing((lists += 1) === 1 ? population : [])(query),
      readCleanupCandidate: (id) => reads[id] ?? oldPending(id),
      deleteCleanupAccount: () => 'deleted',
    });
    const outcome = await run.result();
    assert.equal(outcome.result, 'completed');
    assert.deepEqual(idsSentTo(run, 'deleteCleanupAccount'), ['u1']);
    assert.equal(outcome.done, 1);
    assert.equal(outcome.skipped, 4);
    assert.equal(outcome.total, 5);
  });

  it('a DELETE answering already-gone, confirmed by a GET by id, counts as skipped', async () => {
    const population = ['u1'];
    const run = await bed.start<BulkOutcome>('accountCleanup', [cleanupInput()], {
      ...pendingPopulation([]),
      listMatchingUsers: (query) => listing(population)(query),
      readCleanupCandidate: oldPending,
      deleteCleanupAccount: () => {
        population.splice(0); // deleted by hand between the read and the DELETE
        return 'already-gone';
      },
      // Patch `cleanup-delete-404-confirmed`: the 404 is confirmed (no externalID read: no look-up).
      readAccount: () => ({ result: 'gone' }),
    });
    const outcome = await run.result();
    assert.equal(outcome.result, 'completed');
    assert.equal(outcome.done, 0);
    assert.equal(outcome.skipped, 1);
    assert.deepEqual(run.names(), [
      'bulkSafetyLimits',
      'listMatchingUsers',
      'readCleanupCandidate',
      'deleteCleanupAccount',
      'readAccount',
      'listMatchingUsers',
    ]);
  });

  it('a failed deletion stays at the front: the next reads start behind it, and the run completes', async () => {
    const population = ['u1', 'u2', 'u3'];
    const run = await bed.start<BulkOutcome>('accountCleanup', [cleanupInput()], {
      ...pendingPopulation([]),
      listMatchingUsers: (query) => listing(population)(query),
      readCleanupCandidate: oldPending,
      deleteCleanupAccount: (id) => {
        if (id === 'u1') throw refusal('StaffbaseAuthError', 'HTTP 403 not allowed');
        population.splice(population.indexOf(id), 1);
        return 'deleted';
      },
    });
    const outcome = await run.result();
    assert.equal(outcome.result, 'completed');
    assert.deepEqual(listOffsets(run), [0, 1, 1]);
    assert.equal(outcome.done, 2);
    assert.equal(outcome.failed, 1);
    assert.equal(outcome.total, 3);
    assert.deepEqual(outcome.failures, [
      { staffbaseUserId: 'u1', reason: 'StaffbaseAuthError: HTTP 403 not allowed' },
    ]);
    assert.deepEqual(idsSentTo(run, 'deleteCleanupAccount'), ['u1', 'u2', 'u3']);
  });

  it('too many failures: stops after the page that passed maxFailures', async () => {
    const run = await bed.start<BulkOutcome>('accountCleanup', [cleanupInput({ maxFailures: 1 })], {
      ...pendingPopulation(['u1', 'u2', 'u3', 'u4']),
      deleteCleanupAccount: () => {
        throw refusal('StaffbaseAuthError', 'HTTP 401');
      },
    });
    const outcome = await run.result();
    assert.equal(outcome.result, 'too-many-failures');
    assert.equal(outcome.failed, 2);
    assert.equal(outcome.done, 0);
    assert.equal(outcome.pagesDone, 1);
    assert.equal(outcome.reason, '2 deletions failed (the policy allows 1).');
    assert.deepEqual(idsSentTo(run, 'deleteCleanupAccount'), ['u1', 'u2']);
  });

  it('incomplete: the list keeps showing users already handled; re-read after a pause, then gives up', async () => {
    const run = await bed.start<BulkOutcome>('accountCleanup', [cleanupInput()], {
      // A lagging index: u1 and u2 stay listed after their deletion.
      listMatchingUsers: listing(['u1', 'u2']),
      readCleanupCandidate: oldPending,
      deleteCleanupAccount: () => 'deleted',
    });
    const outcome = await run.result();
    assert.equal(outcome.result, 'incomplete');
    assert.equal(outcome.done, 2);
    assert.equal(
      outcome.reason,
      'The user list kept showing 2 already handled user(s); run the clean-up again later.',
    );
    // One read that worked, then the first stale read and five more after a 2-second pause each.
    assert.equal(listOffsets(run).length, 7);
    // Five 2-second pauses on the workflow's clock between its start and its close.
    const { startTime, closeTime } = await run.handle.describe();
    assert.ok(
      closeTime && closeTime.getTime() - startTime.getTime() >= 10_000,
      `closed ${String(closeTime)}`,
    );
  });

  it('a stale read that catches up: the run goes on without counting anyone twice', async () => {
    let lists = 0;
    const run = await bed.start<BulkOutcome>('accountCleanup', [cleanupInput()], {
      listMatchingUsers: (query) => {
        lists += 1;
        return listing(lists === 1 || lists === 2 ? ['u1', 'u2'] : lists === 3 ? ['u3'] : [])(query);
      },
      readCleanupCandidate: oldPending,
      deleteCleanupAccount: () => 'deleted',
    });
    const outcome = await run.result();
    assert.equal(outcome.result, 'completed');
    assert.equal(outcome.done, 3);
    assert.equal(outcome.pagesDone, 2);
    assert.deepEqual(idsSentTo(run, 'deleteCleanupAccount'), ['u1', 'u2', 'u3']);
  });

  it('invalid filter: the dry run and the run end invalid-filter with the reason, nothing deleted', async () => {
    for (const dryRun of [true, false]) {
      const run = await bed.start<BulkOutcome>('accountCleanup', [cleanupInput({ dryRun })], {
        listMatchingUsers: () => ({ result: 'invalid-filter', reason: 'bad date' }),
      });
      const outcome = await run.result();
      assert.equal(outcome.result, 'invalid-filter', `dryRun ${dryRun}`);
      assert.equal(outcome.reason, 'bad date');
      // A dry run reads no thresholds; a run reads the worker's before its first list.
      assert.deepEqual(
        run.names(),
        dryRun ? ['listMatchingUsers'] : ['bulkSafetyLimits', 'listMatchingUsers'],
      );
      assert.equal((await progressOf(run)).phase, 'completed');
    }
  });
});
