/**
 * Population logout, its outcomes: the real workflow on the time-skipping server with STUBBED
 * ACTIVITIES (stubbed-workers.ts). Dry run, completed over several pages, a user gone meanwhile
 * (skipped), users disappearing before the cursor (stepping back), too many failures, an invalid
 * filter. Confirmation, cancels, phases and continue-as-new: population-logout-flow.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MatchingUsersQuery } from '../../../activities/support-activities';
import type { BulkOutcome } from '../../../workflows/support-messages';
import { idsSentTo, listOffsets, listing, logoutInput, progressOf, workerLimits } from './bulk-fixtures';
import { type UnitTestBed, refusal, useStubbedWorkers } from './stubbed-workers';

describe('population logout, outcomes (unit: stubbed activities, time-skipping server)', () => {
  let bed: UnitTestBed;
  useStubbedWorkers((started) => (bed = started), workerLimits());

  it('dry run: one summary list of sampleSize, nobody logged out, the sample reported', async () => {
    const sample = [
      { id: 'u1', externalID: 'E1', status: 'activated' as const },
      { id: 'u2', externalID: 'E2', status: 'activated' as const },
    ];
    const run = await bed.start<BulkOutcome>(
      'populationLogout',
      [logoutInput({ dryRun: true, sampleSize: 2 })],
      {
        listMatchingUsers: () => ({ result: 'page', total: 7, ids: ['u1', 'u2'], summaries: sample }),
      },
    );
    const outcome = await run.result();
    assert.equal(outcome.result, 'dry-run');
    assert.equal(outcome.total, 7);
    assert.deepEqual(outcome.sample, sample);
    assert.equal(outcome.done, 0);
    assert.equal(outcome.pagesDone, 0);
    assert.deepEqual(run.calls, [
      {
        name: 'listMatchingUsers',
        args: [{ filter: 'groups eq "g1"', statuses: ['activated'], offset: 0, limit: 2, detail: 'summary' }],
      },
    ]);
    const progress = await progressOf(run);
    assert.equal(progress.phase, 'completed');
    assert.equal(progress.dryRun, true);
    assert.deepEqual(progress.outcome, outcome);
  });

  it('completed: pages by growing offsets, each user logged out once, in order', async () => {
    const run = await bed.start<BulkOutcome>('populationLogout', [logoutInput()], {
      listMatchingUsers: listing(['u1', 'u2', 'u3', 'u4', 'u5']),
      logoutUserById: () => 'logged-out',
    });
    const outcome = await run.result();
    // Undefined fields (sample, reason) do not survive the payload: the outcome has exactly these.
    assert.deepEqual(outcome, {
      result: 'completed',
      operation: 'population-logout',
      filter: 'groups eq "g1"',
      total: 5,
      done: 5,
      failed: 0,
      skipped: 0,
      pagesDone: 3,
      runs: 1,
      failures: [],
    });
    assert.deepEqual(idsSentTo(run, 'logoutUserById'), ['u1', 'u2', 'u3', 'u4', 'u5']);
    assert.deepEqual(listOffsets(run), [0, 2, 4]);
    assert.ok(
      run.calls
        .filter((call) => call.name === 'listMatchingUsers')
        .every((call) => (call.args[0] as MatchingUsersQuery).detail === 'ids'),
    );
  });

  it('an empty population completes at once with nobody logged out', async () => {
    const run = await bed.start<BulkOutcome>('populationLogout', [logoutInput()], {
      listMatchingUsers: listing([]),
    });
    const outcome = await run.result();
    assert.equal(outcome.result, 'completed');
    assert.equal(outcome.total, 0);
    assert.equal(outcome.pagesDone, 1);
    assert.deepEqual(run.names(), ['bulkSafetyLimits', 'listMatchingUsers']);
  });

  it('a user gone meanwhile is skipped, not done and not failed', async () => {
    const run = await bed.start<BulkOutcome>('populationLogout', [logoutInput()], {
      listMatchingUsers: listing(['u1', 'u2', 'u3']),
      logoutUserById: (id) => (id === 'u2' ? 'user-gone' : 'logged-out'),
    });
    const outcome = await run.result();
    assert.equal(outcome.result, 'completed');
    assert.equal(outcome.done, 2);
    assert.equal(outcome.skipped, 1);
    assert.equal(outcome.failed, 0);
  });

  it('steps back by the shrink when users before the cursor disappear: nobody skipped, nobody twice', async () => {
    const population = ['u1', 'u2', 'u3', 'u4', 'u5'];
    const run = await bed.start<BulkOutcome>('populationLogout', [logoutInput()], {
      listMatchingUsers: (query) => listing(population)(query),
      logoutUserById: (id) => {
        // Someone deletes u1 and u2 by hand once the first page is done.
        if (id === 'u2') population.splice(0, 2);
        return 'logged-out';
      },
    });
    const outcome = await run.result();
    assert.equal(outcome.result, 'completed');
    assert.deepEqual(idsSentTo(run, 'logoutUserById'), ['u1', 'u2', 'u3', 'u4', 'u5']);
    // Page 2 at offset 2 sees total 3 < 5: steps back by 2 to offset 0 and re-reads u3, u4.
    assert.deepEqual(listOffsets(run), [0, 2, 0, 2]);
    assert.equal(outcome.done, 5);
    assert.equal(outcome.total, 3);
    assert.equal(outcome.skipped, 0);
  });

  it('a re-read after a step back leaves out users of the last page handled: nobody twice', async () => {
    const population = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'];
    const run = await bed.start<BulkOutcome>('populationLogout', [logoutInput()], {
      listMatchingUsers: (query) => listing(population)(query),
      logoutUserById: (id) => {
        // u5, ahead of the cursor, is deleted while page 2 runs: the shrink is no shift of u3, u4.
        if (id === 'u4') population.splice(population.indexOf('u5'), 1);
        return 'logged-out';
      },
    });
    const outcome = await run.result();
    // Page 3 at offset 4 sees total 5 < 6: steps back to 3 and re-reads [u4, u6]; u4 is not repeated.
    assert.deepEqual(listOffsets(run), [0, 2, 4, 3]);
    assert.deepEqual(idsSentTo(run, 'logoutUserById'), ['u1', 'u2', 'u3', 'u4', 'u6']);
    assert.equal(outcome.result, 'completed');
    assert.equal(outcome.done, 5);
  });

  it('too many failures: stops after the page that passed maxFailures, the reasons kept', async () => {
    const run = await bed.start<BulkOutcome>('populationLogout', [logoutInput({ maxFailures: 1 })], {
      listMatchingUsers: listing(['u1', 'u2', 'u3', 'u4', 'u5']),
      logoutUserById: (id) => {
        if (id === 'u1') return 'logged-out';
        throw refusal('StaffbaseAuthError', 'HTTP 403 token revoked');
      },
    });
    const outcome = await run.result();
    assert.equal(outcome.result, 'too-many-failures');
    assert.equal(outcome.done, 1);
    assert.equal(outcome.failed, 3);
    assert.equal(outcome.pagesDone, 2);
    assert.deepEqual(idsSentTo(run, 'logoutUserById'), ['u1', 'u2', 'u3', 'u4']);
    assert.deepEqual(
      outcome.failures.map((failure) => failure.staffbaseUserId),
      ['u2', 'u3', 'u4'],
    );
    assert.equal(outcome.failures[0]?.reason, 'StaffbaseAuthError: HTTP 403 token revoked');
    assert.equal(outcome.reason, '3 logouts failed (at most 1 allowed); see failures.');
  });

  it('failures up to maxFailures still complete; only the first 20 are kept', async () => {
    const ids = Array.from({ length: 25 }, (_, index) => `u${index + 1}`);
    const run = await bed.start<BulkOutcome>(
      'populationLogout',
      [logoutInput({ maxFailures: 25, pageSize: 25, parallelism: 25 })],
      {
        listMatchingUsers: listing(ids),
        logoutUserById: () => {
          throw refusal('StaffbaseAuthError', 'HTTP 403');
        },
      },
    );
    const outcome = await run.result();
    assert.equal(outcome.result, 'completed');
    assert.equal(outcome.failed, 25);
    assert.equal(outcome.failures.length, 20);
  });

  it("invalid filter: the dry run and the run report Staffbase's reason and log nobody out", async () => {
    const invalid = { result: 'invalid-filter', reason: 'unknown attribute "grups"' } as const;
    const dry = await bed.start<BulkOutcome>('populationLogout', [logoutInput({ dryRun: true })], {
      listMatchingUsers: () => invalid,
    });
    const dryOutcome = await dry.result();
    assert.equal(dryOutcome.result, 'invalid-filter');
    assert.equal(dryOutcome.reason, 'unknown attribute "grups"');

    const run = await bed.start<BulkOutcome>('populationLogout', [logoutInput()], {
      listMatchingUsers: () => invalid,
    });
    const outcome = await run.result();
    assert.equal(outcome.result, 'invalid-filter');
    assert.equal(outcome.reason, 'unknown attribute "grups"');
    assert.equal(outcome.done, 0);
    assert.deepEqual(run.names(), ['bulkSafetyLimits', 'listMatchingUsers']);
  });

  it('an invalid filter on a later page ends the run with what was done', async () => {
    let lists = 0;
    const run = await bed.start<BulkOutcome>('populationLogout', [logoutInput()], {
      listMatchingUsers: (query) => {
        lists += 1;
        return lists === 1
          ? listing(['u1', 'u2', 'u3'])(query)
          : { result: 'invalid-filter', reason: 'gone wrong' };
      },
      logoutUserById: () => 'logged-out',
    });
    const outcome = await run.result();
    assert.equal(outcome.result, 'invalid-filter');
    assert.equal(outcome.done, 2);
    assert.equal(outcome.pagesDone, 1);
  });
});
