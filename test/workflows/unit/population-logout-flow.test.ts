/**
 * Population logout, its waits and its chain: the real workflow on the time-skipping server with
 * STUBBED ACTIVITIES (stubbed-workers.ts). The progress query's phases, the confirmation pause above
 * `confirmAbove` (confirmed, or cancelled), a cancel mid-run, and continue-as-new carrying the state.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MatchingUsersQuery } from '../../../activities/support-activities';
import {
  type BulkOutcome,
  cancelBulkRunSignal,
  confirmDeletionsSignal,
} from '../../../workflows/support-messages';
import {
  type PopulationLogoutCarryOver,
  gate,
  idsSentTo,
  listOffsets,
  listing,
  logoutInput,
  progressOf,
  confirmationPause,
  progressUntil,
  reached,
  workerLimits,
} from './bulk-fixtures';
import { type UnitTestBed, useStubbedWorkers } from './stubbed-workers';

describe('population logout, confirmation, cancels, continue-as-new (unit: stubbed activities, time-skipping server)', () => {
  let bed: UnitTestBed;
  useStubbedWorkers((started) => (bed = started), workerLimits());

  it('progress: counting while the first page is read, running while users are logged out, then completed', async () => {
    const listHeld = gate();
    const logoutHeld = gate();
    const run = await bed.start<BulkOutcome>('populationLogout', [logoutInput()], {
      listMatchingUsers: async (query) => {
        if (query.offset === 0) await listHeld.pass();
        return listing(['u1', 'u2', 'u3'])(query);
      },
      logoutUserById: async (id) => {
        if (id === 'u2') await logoutHeld.pass();
        return 'logged-out' as const;
      },
    });
    await reached(bed, listHeld, 'the first list');
    const counting = await progressOf(run);
    assert.equal(counting.phase, 'counting');
    assert.equal(counting.total, undefined);
    assert.equal(counting.run, 1);
    assert.equal(counting.confirmAbove, 100);
    assert.equal(counting.confirmed, false);
    listHeld.open();

    await reached(bed, logoutHeld, 'the logout of u2');
    const running = await progressUntil(bed, run, (progress) => progress.done === 1, 'u1 counted');
    assert.equal(running.phase, 'running');
    assert.equal(running.total, 3);
    assert.equal(running.pagesDone, 0);
    logoutHeld.open();

    const outcome = await run.result();
    const completed = await progressOf(run);
    assert.equal(completed.phase, 'completed');
    assert.equal(completed.done, 3);
    assert.equal(completed.pagesDone, 2);
    assert.deepEqual(completed.outcome, outcome);
  });

  it('above confirmAbove: waits with nobody logged out until confirmed, then logs out everyone', async () => {
    const run = await bed.start<BulkOutcome>('populationLogout', [logoutInput({ confirmAbove: 2 })], {
      listMatchingUsers: listing(['u1', 'u2', 'u3']),
      logoutUserById: () => 'logged-out',
    });
    const waiting = await confirmationPause(bed, run);
    assert.equal(waiting.total, 3);
    assert.equal(waiting.confirmAbove, 2);
    assert.equal(waiting.confirmed, false);
    assert.deepEqual(run.names(), ['bulkSafetyLimits', 'listMatchingUsers']);

    await run.handle.signal(confirmDeletionsSignal, { confirmedBy: 'ops' });
    const outcome = await run.result();
    assert.equal(outcome.result, 'completed');
    assert.equal(outcome.done, 3);
    assert.deepEqual(idsSentTo(run, 'logoutUserById'), ['u1', 'u2', 'u3']);
    assert.equal((await progressOf(run)).confirmed, true);
  });

  it('at confirmAbove exactly: no pause', async () => {
    const run = await bed.start<BulkOutcome>('populationLogout', [logoutInput({ confirmAbove: 3 })], {
      listMatchingUsers: listing(['u1', 'u2', 'u3']),
      logoutUserById: () => 'logged-out',
    });
    const outcome = await run.result();
    assert.equal(outcome.result, 'completed');
    assert.equal(outcome.done, 3);
    assert.equal((await progressOf(run)).confirmed, false);
  });

  it('cancelled while awaiting confirmation: nobody logged out, the reason in the outcome', async () => {
    const run = await bed.start<BulkOutcome>('populationLogout', [logoutInput({ confirmAbove: 2 })], {
      listMatchingUsers: listing(['u1', 'u2', 'u3']),
    });
    await confirmationPause(bed, run);
    await run.handle.signal(cancelBulkRunSignal, { reason: 'filter too broad' });
    const outcome = await run.result();
    assert.equal(outcome.result, 'cancelled');
    assert.equal(outcome.reason, 'filter too broad');
    assert.equal(outcome.done, 0);
    assert.equal(outcome.pagesDone, 0);
    assert.deepEqual(run.names(), ['bulkSafetyLimits', 'listMatchingUsers']);
  });

  it('cancelled mid-run: stops after the users in flight, what is done stays done', async () => {
    const held = gate();
    const run = await bed.start<BulkOutcome>('populationLogout', [logoutInput()], {
      listMatchingUsers: listing(['u1', 'u2', 'u3', 'u4']),
      logoutUserById: async (id) => {
        if (id === 'u1') await held.pass();
        return 'logged-out' as const;
      },
    });
    await reached(bed, held, 'the logout of u1');
    await run.handle.signal(cancelBulkRunSignal, { reason: 'wrong group' });
    held.open();
    const outcome = await run.result();
    assert.equal(outcome.result, 'cancelled');
    assert.equal(outcome.reason, 'wrong group');
    assert.equal(outcome.done, 1);
    assert.equal(outcome.pagesDone, 0);
    assert.deepEqual(idsSentTo(run, 'logoutUserById'), ['u1']);
    assert.equal((await progressOf(run)).phase, 'completed');
  });

  it('continues as new after pagesPerRun pages: the chain ends with every count and the run number', async () => {
    const run = await bed.start<BulkOutcome>('populationLogout', [logoutInput({ pagesPerRun: 1 })], {
      listMatchingUsers: listing(['u1', 'u2', 'u3', 'u4', 'u5']),
      logoutUserById: (id) => (id === 'u4' ? 'user-gone' : 'logged-out'),
    });
    const outcome = await run.result();
    assert.equal(outcome.result, 'completed');
    assert.equal(outcome.runs, 3);
    assert.equal(outcome.pagesDone, 3);
    assert.equal(outcome.done, 4);
    assert.equal(outcome.skipped, 1);
    assert.deepEqual(listOffsets(run), [0, 2, 4]);
    assert.deepEqual(idsSentTo(run, 'logoutUserById'), ['u1', 'u2', 'u3', 'u4', 'u5']);
    const progress = await progressOf(run);
    assert.equal(progress.run, 3);
    assert.equal(progress.done, 4);
  });

  it('a continued run answers the carried counts at once and goes on from the carried cursor', async () => {
    const held = gate();
    const carried: PopulationLogoutCarryOver = {
      offset: 2,
      lastTotal: 4,
      recentIds: ['u1', 'u2'],
      done: 1,
      failed: 1,
      skipped: 0,
      pagesDone: 1,
      run: 2,
      failures: [{ staffbaseUserId: 'u2', reason: 'StaffbaseAuthError: HTTP 403' }],
      startedAt: '2026-01-01T00:00:00.000Z',
      // Confirmed in the first run: no second pause although 4 > confirmAbove.
      confirmed: true,
    };
    const run = await bed.start<BulkOutcome>(
      'populationLogout',
      [logoutInput({ confirmAbove: 2 }), carried],
      {
        listMatchingUsers: async (query: MatchingUsersQuery) => {
          await held.pass();
          return listing(['u1', 'u2', 'u3', 'u4'])(query);
        },
        logoutUserById: () => 'logged-out',
      },
    );
    await reached(bed, held, 'the carried page');
    const progress = await progressOf(run);
    assert.equal(progress.phase, 'running');
    assert.equal(progress.run, 2);
    assert.equal(progress.total, 4);
    assert.equal(progress.done, 1);
    assert.equal(progress.failed, 1);
    assert.equal(progress.pagesDone, 1);
    assert.equal(progress.confirmed, true);
    assert.equal(progress.startedAt, '2026-01-01T00:00:00.000Z');
    assert.deepEqual(progress.failures, carried.failures);
    held.open();

    const outcome = await run.result();
    assert.equal(outcome.result, 'completed');
    assert.deepEqual(listOffsets(run), [2]);
    assert.deepEqual(idsSentTo(run, 'logoutUserById'), ['u3', 'u4']);
    assert.equal(outcome.done, 3);
    assert.equal(outcome.failed, 1);
    assert.equal(outcome.pagesDone, 2);
    assert.equal(outcome.runs, 2);
  });

  it('a chain from before the threshold (no `confirmed` carried) still pauses above it', async () => {
    const carried: PopulationLogoutCarryOver = {
      offset: 0,
      lastTotal: 3,
      recentIds: [],
      done: 0,
      failed: 0,
      skipped: 0,
      pagesDone: 0,
      run: 2,
      failures: [],
      startedAt: '2026-01-01T00:00:00.000Z',
    };
    const run = await bed.start<BulkOutcome>(
      'populationLogout',
      [logoutInput({ confirmAbove: 2 }), carried],
      {
        listMatchingUsers: listing(['u1', 'u2', 'u3']),
      },
    );
    const waiting = await confirmationPause(bed, run);
    assert.equal(waiting.run, 2);
    assert.equal(waiting.confirmed, false);
  });
});
