/**
 * Clean-ups leave alone the accounts a person's open run holds (patch `cleanup-skips-held-people`):
 * the real accountCleanup workflow on the time-skipping server with STUBBED ACTIVITIES
 * (stubbed-workers.ts). Which activities run for a held account (none on Staffbase), the offset past
 * held users, the carried list across continue-as-new, a person changing under the deletion.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MatchingUsersPage, MatchingUsersQuery } from '../../../activities/support-activities';
import type { CleanupSkipReason, PersonHold } from '../../../lifecycle/cleanup-holds';
import type { CleanupCandidateRead } from '../../../lifecycle/support-guards';
import type { BulkOutcome } from '../../../workflows/support-messages';
import { cleanupInput, idsSentTo, listOffsets, workerLimits } from './bulk-fixtures';
import { type Stubs, type UnitTestBed, useStubbedWorkers } from './stubbed-workers';

/** The person of each account (`emp-<id>`) unless `without` says it has none. */
const personOf = (id: string) => `emp-${id}`;

/**
 * Old pending accounts, each of its person; deleted ones leave the list, held ones stay in it.
 * `holds`: the people an open run holds, and why. The worker's thresholds are far above these runs.
 */
function population(
  ids: string[],
  holds: Record<string, CleanupSkipReason>,
  options: { without?: string[]; readAs?: Record<string, string> } = {},
): Stubs {
  const { without = [], readAs = {} } = options;
  const withPerson = (id: string) => !without.includes(id);
  return {
    ...workerLimits(),
    listMatchingUsers: (query: MatchingUsersQuery): MatchingUsersPage => {
      const page = ids.slice(query.offset, query.offset + query.limit);
      return {
        result: 'page',
        total: ids.length,
        ids: page,
        ...(query.withExternalIDs && {
          externalIDs: Object.fromEntries(page.filter(withPerson).map((id) => [id, personOf(id)])),
        }),
      };
    },
    findCleanupHold: (externalID: string): PersonHold | undefined => {
      const reason = holds[externalID];
      return reason && { reason, workflowId: `run-of-${externalID}` };
    },
    readCleanupCandidate: (id: string): CleanupCandidateRead => ({
      result: 'found',
      readAt: Date.now(),
      account: {
        staffbaseUserId: id,
        status: 'pending',
        created: '2020-01-01T00:00:00.000Z',
        ...(withPerson(id) && { externalID: readAs[id] ?? personOf(id) }),
      },
    }),
    deleteCleanupAccount: (id: string) => {
      ids.splice(ids.indexOf(id), 1);
      return 'deleted';
    },
  };
}

const argsOf = (calls: { name: string; args: unknown[] }[], name: string) =>
  calls.filter((call) => call.name === name).map((call) => call.args[0]);

describe('clean-up skips accounts held by a person’s open run (unit: stubbed activities, time-skipping server)', () => {
  let bed: UnitTestBed;
  useStubbedWorkers((started) => (bed = started));

  it('never reads or deletes a held account, pages behind it, and names it with the reason', async () => {
    const ids = ['u1', 'u2', 'u3', 'u4', 'u5'];
    const stubs = population(ids, {
      'emp-u1': 'legal-hold',
      'emp-u3': 'in-retention',
      'emp-u4': 'onboarding-open',
    });
    const run = await bed.start<BulkOutcome>('accountCleanup', [cleanupInput({ pageSize: 2 })], stubs);
    const outcome = await run.result();

    assert.equal(outcome.result, 'completed');
    assert.equal(outcome.done, 2);
    assert.equal(outcome.skipped, 3);
    assert.equal(outcome.total, 5, 'held users counted once, though they still match');
    assert.deepEqual(outcome.skippedAccounts, [
      { staffbaseUserId: 'u1', externalID: 'emp-u1', reason: 'legal-hold' },
      { staffbaseUserId: 'u3', externalID: 'emp-u3', reason: 'in-retention' },
      { staffbaseUserId: 'u4', externalID: 'emp-u4', reason: 'onboarding-open' },
    ]);
    assert.deepEqual(outcome.skippedFor, { 'legal-hold': 1, 'in-retention': 1, 'onboarding-open': 1 });
    assert.deepEqual(
      idsSentTo(run, 'readCleanupCandidate'),
      ['u2', 'u5'],
      'no Staffbase read of a held account',
    );
    assert.deepEqual(idsSentTo(run, 'deleteCleanupAccount'), ['u2', 'u5']);
    assert.deepEqual(ids, ['u1', 'u3', 'u4'], 'the held accounts are still there');
    // Held users stay at the front of the set: each list starts behind them (and the failed ones).
    assert.deepEqual(listOffsets(run), [0, 1, 3, 3]);
    for (const query of argsOf(run.calls, 'listMatchingUsers')) {
      assert.equal((query as MatchingUsersQuery).withExternalIDs, true);
    }
    // The check comes right before each read: held or not, every person was asked once.
    assert.deepEqual(argsOf(run.calls, 'findCleanupHold'), [
      'emp-u1',
      'emp-u2',
      'emp-u3',
      'emp-u4',
      'emp-u5',
    ]);
    const order = run.names().filter((name) => name !== 'listMatchingUsers');
    assert.equal(order[order.indexOf('readCleanupCandidate') - 1], 'findCleanupHold');
  });

  it('carries the held users across continue-as-new: listed behind them, named in the last outcome', async () => {
    const ids = ['u1', 'u2', 'u3', 'u4'];
    const stubs = population(ids, { 'emp-u1': 'legal-hold', 'emp-u3': 'in-retention' });
    const run = await bed.start<BulkOutcome>(
      'accountCleanup',
      [cleanupInput({ pageSize: 1, pagesPerRun: 1 })],
      stubs,
    );
    const outcome = await run.result();
    assert.equal(outcome.result, 'completed');
    assert.ok(outcome.runs >= 4, `continued as new (runs ${outcome.runs})`);
    assert.equal(outcome.done, 2);
    assert.equal(outcome.skipped, 2);
    assert.deepEqual(
      outcome.skippedAccounts?.map((account) => account.staffbaseUserId),
      ['u1', 'u3'],
    );
    assert.deepEqual(listOffsets(run), [0, 1, 1, 2, 2]);
    assert.deepEqual(idsSentTo(run, 'deleteCleanupAccount'), ['u2', 'u4']);
  });

  it('an account without a person is not asked about; one that changed person is checked for the new person', async () => {
    const ids = ['u1', 'u2', 'u3', 'u4'];
    const stubs = population(
      ids,
      { 'emp-held': 'legal-hold' },
      { without: ['u1'], readAs: { u2: 'emp-somebody-else', u3: 'emp-held' } },
    );
    const run = await bed.start<BulkOutcome>('accountCleanup', [cleanupInput({ pageSize: 4 })], stubs);
    const outcome = await run.result();
    assert.equal(outcome.result, 'completed');
    // One user at a time (parallelism 1): a changed person is checked right after the read that showed it.
    assert.deepEqual(argsOf(run.calls, 'findCleanupHold'), [
      'emp-u2',
      'emp-somebody-else',
      'emp-u3',
      'emp-held',
      'emp-u4',
    ]);
    assert.deepEqual(idsSentTo(run, 'deleteCleanupAccount').sort(), ['u1', 'u2', 'u4']);
    // u3 now belongs to a person under a legal hold: left alone, named with that person.
    assert.deepEqual(outcome.skippedAccounts, [
      { staffbaseUserId: 'u3', externalID: 'emp-held', reason: 'legal-hold' },
    ]);
    const deletions = run.calls.filter((call) => call.name === 'deleteCleanupAccount');
    const checkedPersonOf = (id: string) =>
      (
        deletions.find((call) => call.args[0] === id)?.args[1] as {
          precondition?: { checkedExternalID?: unknown };
        }
      )?.precondition?.checkedExternalID;
    // The DELETE carries the person it was checked for: an activity re-read compares it too.
    assert.equal(checkedPersonOf('u1'), null);
    assert.equal(checkedPersonOf('u2'), 'emp-somebody-else');
    assert.equal(checkedPersonOf('u4'), 'emp-u4');
  });
});
