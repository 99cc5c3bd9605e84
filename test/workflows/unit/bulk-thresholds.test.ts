/**
 * The bulk runs' thresholds belong to the worker (patch `bulk-service-thresholds`): the real workflows
 * on the time-skipping server with STUBBED ACTIVITIES (stubbed-workers.ts), the `bulkSafetyLimits`
 * stub standing in for the worker's configuration. The lower of the worker's and the input's
 * threshold applies, `maxFailures` is capped by BULK_MAX_FAILURES, and a confirmation counts only in
 * phase `awaiting-confirmation` (the `confirm` update's validator refuses it elsewhere; the old
 * signal is ignored elsewhere).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { NotAwaitingConfirmationError, confirmBulkRun } from '../../../client/support-runs';
import type { CleanupCandidateRead } from '../../../lifecycle/support-guards';
import {
  type BulkOutcome,
  confirmBulkRunUpdate,
  confirmDeletionsSignal,
  notAwaitingConfirmationType,
} from '../../../workflows/support-messages';
import {
  cleanupInput,
  confirmationPause,
  gate,
  idsSentTo,
  listing,
  logoutInput,
  progressOf,
  reached,
  workerLimits,
} from './bulk-fixtures';
import { type Stubs, type UnitTestBed, refusal, useStubbedWorkers } from './stubbed-workers';

/** Old pending accounts: a deleted one leaves the list. */
function pendingPopulation(population: string[]): Stubs {
  return {
    listMatchingUsers: (query) => listing(population)(query),
    readCleanupCandidate: (id): CleanupCandidateRead => ({
      result: 'found',
      account: { staffbaseUserId: id, status: 'pending', created: '2020-01-01T00:00:00.000Z' },
    }),
    deleteCleanupAccount: (id) => {
      population.splice(population.indexOf(id), 1);
      return 'deleted';
    },
  };
}

const three = () => ['u1', 'u2', 'u3'];

describe('bulk thresholds are the worker’s; confirmation only while awaiting it (unit: stubbed activities, time-skipping server)', () => {
  let bed: UnitTestBed;
  useStubbedWorkers((started) => (bed = started), workerLimits());

  describe('the lower of the worker’s and the input’s threshold applies', () => {
    it('population logout: the worker’s LOGOUT_CONFIRM_ABOVE (2) below the input’s (100) pauses the run', async () => {
      const run = await bed.start<BulkOutcome>('populationLogout', [logoutInput({ confirmAbove: 100 })], {
        ...workerLimits({ logoutConfirmAbove: 2 }),
        listMatchingUsers: listing(three()),
        logoutUserById: () => 'logged-out',
      });
      const waiting = await confirmationPause(bed, run);
      assert.equal(waiting.confirmAbove, 2);
      assert.equal(waiting.total, 3);
      assert.deepEqual(idsSentTo(run, 'logoutUserById'), []);
      await run.handle.executeUpdate(confirmBulkRunUpdate, { args: [{ confirmedBy: 'ops' }] });
      assert.equal((await run.result()).done, 3);
    });

    it('population logout: the input’s threshold (2) below the worker’s (50) pauses the run', async () => {
      const run = await bed.start<BulkOutcome>('populationLogout', [logoutInput({ confirmAbove: 2 })], {
        ...workerLimits({ logoutConfirmAbove: 50 }),
        listMatchingUsers: listing(three()),
      });
      const waiting = await confirmationPause(bed, run);
      assert.equal(waiting.confirmAbove, 2);
      assert.deepEqual(run.names(), ['bulkSafetyLimits', 'listMatchingUsers']);
    });

    it('population logout without thresholds in its input (as the HR API and the CLI start it): the worker’s', async () => {
      const { confirmAbove: _confirmAbove, maxFailures: _maxFailures, ...input } = logoutInput();
      const run = await bed.start<BulkOutcome>('populationLogout', [input], {
        ...workerLimits({ logoutConfirmAbove: 2 }),
        listMatchingUsers: listing(three()),
      });
      assert.equal((await confirmationPause(bed, run)).confirmAbove, 2);
    });

    it('population logout: a worker threshold above the population does not pause (the input’s 100 is not lowered)', async () => {
      const run = await bed.start<BulkOutcome>('populationLogout', [logoutInput({ confirmAbove: 100 })], {
        ...workerLimits({ logoutConfirmAbove: 3 }),
        listMatchingUsers: listing(three()),
        logoutUserById: () => 'logged-out',
      });
      const outcome = await run.result();
      assert.equal(outcome.result, 'completed');
      assert.equal(outcome.done, 3);
      assert.equal((await progressOf(run)).confirmAbove, 3);
    });

    it('clean-up: the worker’s CLEANUP_CONFIRM_ABOVE (1) below the input’s (100): nothing deleted before the confirmation', async () => {
      const run = await bed.start<BulkOutcome>('accountCleanup', [cleanupInput({ confirmAbove: 100 })], {
        ...workerLimits({ cleanupConfirmAbove: 1 }),
        ...pendingPopulation(three()),
      });
      const waiting = await confirmationPause(bed, run);
      assert.equal(waiting.confirmAbove, 1);
      assert.deepEqual(idsSentTo(run, 'deleteCleanupAccount'), []);
      await run.handle.executeUpdate(confirmBulkRunUpdate, { args: [{ confirmedBy: 'hr-lead' }] });
      const outcome = await run.result();
      assert.equal(outcome.result, 'completed');
      assert.equal(outcome.done, 3);
    });

    it('clean-up: the input’s threshold (1) below the worker’s (50) pauses the run', async () => {
      const run = await bed.start<BulkOutcome>('accountCleanup', [cleanupInput({ confirmAbove: 1 })], {
        ...workerLimits({ cleanupConfirmAbove: 50 }),
        ...pendingPopulation(three()),
      });
      assert.equal((await confirmationPause(bed, run)).confirmAbove, 1);
      assert.deepEqual(idsSentTo(run, 'deleteCleanupAccount'), []);
    });

    it('clean-up without thresholds in its input: the worker’s', async () => {
      const { confirmAbove: _confirmAbove, maxFailures: _maxFailures, ...input } = cleanupInput();
      const run = await bed.start<BulkOutcome>('accountCleanup', [input], {
        ...workerLimits({ cleanupConfirmAbove: 2 }),
        ...pendingPopulation(three()),
      });
      assert.equal((await confirmationPause(bed, run)).confirmAbove, 2);
    });
  });

  describe('maxFailures is capped by the worker’s BULK_MAX_FAILURES', () => {
    it('population logout: a caller’s maxFailures of 10,000 stops at the worker’s 1', async () => {
      const run = await bed.start<BulkOutcome>(
        'populationLogout',
        [logoutInput({ maxFailures: 10_000, pageSize: 2, parallelism: 2 })],
        {
          ...workerLimits({ maxFailures: 1 }),
          listMatchingUsers: listing(['u1', 'u2', 'u3', 'u4']),
          logoutUserById: () => {
            throw refusal('StaffbaseAuthError', 'token revoked');
          },
        },
      );
      const outcome = await run.result();
      assert.equal(outcome.result, 'too-many-failures');
      assert.equal(outcome.failed, 2);
      assert.match(outcome.reason ?? '', /at most 1 allowed/);
      // The first page only (its two logouts run side by side, in either order); the second is never read.
      assert.deepEqual(idsSentTo(run, 'logoutUserById').sort(), ['u1', 'u2']);
    });

    it('clean-up: the worker’s 0 stops after the first failed deletion although the input allows 10', async () => {
      const population = ['u1', 'u2', 'u3', 'u4'];
      const run = await bed.start<BulkOutcome>(
        'accountCleanup',
        [cleanupInput({ maxFailures: 10, pageSize: 1 })],
        {
          ...workerLimits({ maxFailures: 0 }),
          ...pendingPopulation(population),
          deleteCleanupAccount: () => {
            throw refusal('StaffbaseAuthError', 'token revoked');
          },
        },
      );
      const outcome = await run.result();
      assert.equal(outcome.result, 'too-many-failures');
      assert.equal(outcome.failed, 1);
      assert.match(outcome.reason ?? '', /allows 0/);
      assert.deepEqual(idsSentTo(run, 'deleteCleanupAccount'), ['u1']);
    });

    it('the input’s lower maxFailures still applies', async () => {
      const run = await bed.start<BulkOutcome>(
        'populationLogout',
        [logoutInput({ maxFailures: 0, pageSize: 2, parallelism: 2 })],
        {
          ...workerLimits({ maxFailures: 100 }),
          listMatchingUsers: listing(['u1', 'u2', 'u3', 'u4']),
          logoutUserById: (id) => {
            if (id === 'u1') throw refusal('StaffbaseAuthError', 'token revoked');
            return 'logged-out';
          },
        },
      );
      const outcome = await run.result();
      assert.equal(outcome.result, 'too-many-failures');
      assert.match(outcome.reason ?? '', /at most 0 allowed/);
    });
  });

  describe('confirmation only in phase awaiting-confirmation', () => {
    it('the confirm update is refused while counting (validator: nothing in the history), the pause still comes', async () => {
      const listHeld = gate();
      const population = three();
      const run = await bed.start<BulkOutcome>('accountCleanup', [cleanupInput({ confirmAbove: 1 })], {
        ...pendingPopulation(population),
        listMatchingUsers: async (query) => {
          if (!listHeld.entered) await listHeld.pass();
          return listing(population)(query);
        },
      });
      await reached(bed, listHeld, 'the first list');
      assert.equal((await progressOf(run)).phase, 'counting');

      await assert.rejects(
        run.handle.executeUpdate(confirmBulkRunUpdate, { args: [{ confirmedBy: 'too-early' }] }),
        (error: unknown) =>
          error instanceof WorkflowUpdateFailedError &&
          error.cause instanceof ApplicationFailure &&
          error.cause.type === notAwaitingConfirmationType &&
          (error.cause.details?.[0] as string) === 'counting',
      );
      // The shared client function says the same, with the phase.
      await assert.rejects(
        confirmBulkRun(bed.env.client, run.workflowId, 'too-early'),
        (error: unknown) => error instanceof NotAwaitingConfirmationError && error.phase === 'counting',
      );
      const history = await run.handle.fetchHistory();
      const updateEvents = (history.events ?? []).filter(
        (event) => event.workflowExecutionUpdateAcceptedEventAttributes,
      );
      assert.equal(updateEvents.length, 0, 'a refused update leaves no trace in the history');

      listHeld.open();
      const waiting = await confirmationPause(bed, run);
      assert.equal(waiting.confirmed, false);
      assert.deepEqual(idsSentTo(run, 'deleteCleanupAccount'), []);

      const progress = await confirmBulkRun(bed.env.client, run.workflowId, 'hr-lead');
      assert.equal(progress.confirmed, true);
      // Confirmed once: a second confirmation finds the run going on (or already done), not waiting.
      await assert.rejects(
        confirmBulkRun(bed.env.client, run.workflowId, 'hr-lead'),
        (error: unknown) =>
          error instanceof NotAwaitingConfirmationError && ['running', 'completed'].includes(error.phase),
      );
      assert.equal((await run.result()).done, 3);
    });

    it('the old confirmDeletions signal sent while counting is ignored: the run still pauses before deleting', async () => {
      const listHeld = gate();
      const population = three();
      const run = await bed.start<BulkOutcome>('accountCleanup', [cleanupInput({ confirmAbove: 1 })], {
        ...pendingPopulation(population),
        listMatchingUsers: async (query) => {
          if (!listHeld.entered) await listHeld.pass();
          return listing(population)(query);
        },
      });
      await reached(bed, listHeld, 'the first list');
      await run.handle.signal(confirmDeletionsSignal, { confirmedBy: 'too-early' });
      listHeld.open();
      const waiting = await confirmationPause(bed, run);
      assert.equal(waiting.confirmed, false);
      assert.deepEqual(idsSentTo(run, 'deleteCleanupAccount'), []);

      // In the pause, the signal still confirms (runs and scripts that send it keep working).
      await run.handle.signal(confirmDeletionsSignal, { confirmedBy: 'hr-lead' });
      assert.equal((await run.result()).done, 3);
    });

    it('a confirmation of a finished run is refused as not awaiting one (phase completed)', async () => {
      const run = await bed.start<BulkOutcome>('populationLogout', [logoutInput()], {
        listMatchingUsers: listing([]),
      });
      assert.equal((await run.result()).result, 'completed');
      await assert.rejects(
        confirmBulkRun(bed.env.client, run.workflowId, 'late'),
        (error: unknown) => error instanceof NotAwaitingConfirmationError && error.phase === 'completed',
      );
    });
  });
});
