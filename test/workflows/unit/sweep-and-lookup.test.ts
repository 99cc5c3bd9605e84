/**
 * Unit tests of the activation sweep and the directory look-up: the real workflows on the
 * time-skipping server with STUBBED activities (stubbed-workers.ts). The sweep signals real onboarding
 * runs (their activities stubbed too). test/workflows/activation-sweep.test.ts runs the sweep against
 * the dev server's visibility and the simulator.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DirectoryPage, DirectoryPageQuery } from '../../../activities/directory-lookup-activities';
import { lifecycleWorkflowId } from '../../../lifecycle/workflow-ids';
import type { ActivationSweepInput, ActivationSweepTotals } from '../../../workflows/activation-sweep';
import {
  type DirectoryAccount,
  type DirectoryLookupCarryOver,
  type DirectoryLookupInput,
  type DirectoryLookupResult,
  directoryLookupProgressQuery,
} from '../../../workflows/directory-lookup-messages';
import { onboardingStatusQuery } from '../../../workflows/onboarding-messages';
import { newHire, onboardingPolicy } from '../../helpers/people';
import { newAccountStubs } from './onboarding-fixtures';
import type { OnboardingOutcome } from './onboarding-fixtures';
import { type UnitTestBed, useStubbedWorkers } from './stubbed-workers';

describe('activation sweep and directory look-up (unit: stubbed activities, time-skipping server)', () => {
  let bed: UnitTestBed;
  useStubbedWorkers((started) => (bed = started));

  /** An onboarding run awaiting activation, under the ID the sweep signals. */
  const waitingOnboarding = async (externalID: string) => {
    const run = await bed.start<OnboardingOutcome>(
      'onboarding',
      [{ request: newHire({ externalID }), policy: onboardingPolicy() }],
      newAccountStubs,
      lifecycleWorkflowId('onboarding', externalID),
    );
    await bed.until(
      () => run.handle.query(onboardingStatusQuery),
      (status) => status.stage === 'awaiting-activation',
      `${externalID} awaiting activation`,
    );
    return run;
  };

  describe('activationSweep', () => {
    it('asks Staffbase in batches, page by page, and signals exactly the activated runs', async () => {
      const [a, b, closed, c] = ['A', 'B', 'CLOSED', 'C'].map((name) => `${name}-${process.pid}`) as [
        string,
        string,
        string,
        string,
      ];
      const runA = await waitingOnboarding(a);
      const runB = await waitingOnboarding(b);
      const activated = new Set([a, closed]); // `closed` has no open run any more
      const sweep = await bed.start<ActivationSweepTotals>('activationSweep', [{ batchSize: 2 }], {
        findWaitingOnboardings: ({ pageToken }) =>
          pageToken === undefined
            ? { externalIDs: [a, b, closed], nextPageToken: 'page-2' }
            : { externalIDs: [c] },
        checkActivatedAmong: (externalIDs) => ({
          result: 'activated',
          externalIDs: externalIDs.filter((id) => activated.has(id)),
        }),
      });
      assert.deepEqual(await sweep.result(), { waiting: 4, requests: 3, signalled: 2 });
      assert.deepEqual(
        sweep.calls.filter((call) => call.name === 'checkActivatedAmong').map((call) => call.args[0]),
        [[a, b], [closed], [c]],
      );
      assert.deepEqual(
        sweep.calls.filter((call) => call.name === 'findWaitingOnboardings').map((call) => call.args[0]),
        [{ pageSize: 1000 }, { pageSize: 1000, pageToken: 'page-2' }],
      );

      const outcome = await runA.result();
      assert.equal(outcome.result, 'activated');
      assert.equal(outcome.activatedVia, 'signal');
      assert.equal((await runB.handle.query(onboardingStatusQuery)).stage, 'awaiting-activation');
    });

    it('a continued run goes on from the carried page token and totals', async () => {
      const input: ActivationSweepInput = {
        batchSize: 50,
        carryOver: { pageToken: 'page-7', totals: { waiting: 1000, requests: 20, signalled: 3 } },
      };
      const sweep = await bed.start<ActivationSweepTotals>('activationSweep', [input], {
        findWaitingOnboardings: () => ({ externalIDs: ['X-1', 'X-2'] }),
        checkActivatedAmong: () => ({ result: 'activated', externalIDs: [] }),
      });
      assert.deepEqual(await sweep.result(), { waiting: 1002, requests: 21, signalled: 3 });
      assert.deepEqual(sweep.calls[0]?.args[0], { pageSize: 1000, pageToken: 'page-7' });
    });

    it('a refused `or` makes the rest of the pass ask one person at a time', async () => {
      const [a, b, c] = ['OR-A', 'OR-B', 'OR-C'].map((name) => `${name}-${process.pid}`) as [
        string,
        string,
        string,
      ];
      const runA = await waitingOnboarding(a);
      const runC = await waitingOnboarding(c);
      const activated = new Set([a, c]);
      const sweep = await bed.start<ActivationSweepTotals>('activationSweep', [{ batchSize: 2 }], {
        findWaitingOnboardings: ({ pageToken }) =>
          pageToken === undefined ? { externalIDs: [a, b], nextPageToken: 'page-2' } : { externalIDs: [c] },
        checkActivatedAmong: () => ({ result: 'or-refused' }),
        isActivated: (externalID) => activated.has(externalID),
      });
      // One refused batch request, then one per person (page 2 too: no second batch request).
      assert.deepEqual(await sweep.result(), { waiting: 3, requests: 4, signalled: 2 });
      assert.deepEqual(
        sweep.calls.filter((call) => call.name === 'checkActivatedAmong').map((call) => call.args[0]),
        [[a, b]],
      );
      assert.deepEqual(
        sweep.calls
          .filter((call) => call.name === 'isActivated')
          .map((call) => call.args[0])
          .sort(),
        [a, b, c].sort(),
      );
      assert.equal((await runA.result()).activatedVia, 'signal');
      assert.equal((await runC.result()).activatedVia, 'signal');
    });

    it('a pass continued after a refused `or` asks one person at a time from the start', async () => {
      const input: ActivationSweepInput = {
        batchSize: 50,
        carryOver: {
          pageToken: 'page-3',
          totals: { waiting: 50, requests: 51, signalled: 0 },
          orRefused: true,
        },
      };
      const sweep = await bed.start<ActivationSweepTotals>('activationSweep', [input], {
        findWaitingOnboardings: () => ({ externalIDs: ['Y-1', 'Y-2'] }),
        isActivated: () => false,
      });
      assert.deepEqual(await sweep.result(), { waiting: 52, requests: 53, signalled: 0 });
      assert.deepEqual(sweep.names().sort(), ['findWaitingOnboardings', 'isActivated', 'isActivated']);
    });

    it('nobody waiting: no Staffbase request at all', async () => {
      const sweep = await bed.start<ActivationSweepTotals>('activationSweep', [{}], {
        findWaitingOnboardings: () => ({ externalIDs: [] }),
      });
      assert.deepEqual(await sweep.result(), { waiting: 0, requests: 0, signalled: 0 });
      assert.deepEqual(sweep.names(), ['findWaitingOnboardings']);
    });
  });

  describe('directoryLookup', () => {
    const keys = { externalIDs: ['E1', 'E2'], userNames: [], emails: [] };
    const holder = (id: string, externalID: string): DirectoryAccount => ({
      id,
      externalID,
      emails: [],
      status: 'activated',
    });
    /** A directory of `total` accounts served by offset; `pages` says what each offset answers. */
    const directory =
      (total: number, pages: Record<number, Omit<DirectoryPage, 'total'>>) => (query: DirectoryPageQuery) => {
        const page = pages[query.offset];
        assert.ok(page, `no page at offset ${query.offset}`);
        return { total, ...page };
      };

    it('walks every page by what each answered, and answers each holder once', async () => {
      const input: DirectoryLookupInput = { keys, pageSize: 2 };
      const run = await bed.start<DirectoryLookupResult>('directoryLookup', [input], {
        readDirectoryPage: directory(5, {
          0: { received: 2, accounts: 2, matches: [holder('u1', 'E1')] },
          // A server that capped the page: the next offset moves by one; the list shifted, u1 again.
          2: { received: 1, accounts: 1, matches: [holder('u1', 'E1')] },
          3: { received: 2, accounts: 1, matches: [holder('u2', 'E2')] },
        }),
      });
      const result = await run.result();
      assert.equal(result.pagesRead, 3);
      assert.equal(result.accountsRead, 4);
      assert.deepEqual(
        result.matches.map((match) => match.id),
        ['u1', 'u2'],
      );
      assert.deepEqual(
        run.calls.map((call) => (call.args[0] as DirectoryPageQuery).offset),
        [0, 2, 3],
      );
      assert.deepEqual(await run.handle.query(directoryLookupProgressQuery), {
        pagesRead: 3,
        pagesTotal: 3,
        accountsRead: 4,
        done: true,
      });
    });

    it('stops at an empty page even when the total promised more', async () => {
      const run = await bed.start<DirectoryLookupResult>('directoryLookup', [{ keys, pageSize: 2 }], {
        readDirectoryPage: directory(10, {
          0: { received: 2, accounts: 2, matches: [] },
          2: { received: 0, accounts: 0, matches: [] },
        }),
      });
      const result = await run.result();
      assert.equal(result.pagesRead, 2);
      assert.deepEqual(result.matches, []);
    });

    it('a continued run starts at the carried offset with the matches so far', async () => {
      const carryOver: DirectoryLookupCarryOver = {
        offset: 4,
        pagesRead: 2,
        pagesTotal: 3,
        accountsRead: 4,
        matches: [holder('u1', 'E1')],
      };
      const run = await bed.start<DirectoryLookupResult>(
        'directoryLookup',
        [{ keys, pageSize: 2 }, carryOver],
        {
          readDirectoryPage: directory(6, { 4: { received: 2, accounts: 2, matches: [holder('u3', 'E2')] } }),
        },
      );
      const result = await run.result();
      assert.equal(result.pagesRead, 3);
      assert.equal(result.accountsRead, 6);
      assert.deepEqual(
        result.matches.map((match) => match.id),
        ['u1', 'u3'],
      );
    });
  });
});
