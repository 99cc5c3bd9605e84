/**
 * Unit tests of the support workflows for one person or one look-up that support-steps.test.ts does
 * not cover: userLogout, userLookup, groupMembersLookup. The real workflows on the time-skipping server
 * with STUBBED activities (stubbed-workers.ts); support-single.test.ts runs them against the simulator.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import type { MatchingUsersQuery } from '../../../activities/support-activities';
import type { UserView } from '../../../activities/support-views';
import { toGroupMembersLookupInput } from '../../../lifecycle/support-inputs';
import type {
  GroupMembersResult,
  UserLogoutOutcome,
  UserLookupResult,
} from '../../../workflows/support-messages';
import { type UnitTestBed, useStubbedWorkers } from './stubbed-workers';

const view = (id: string): UserView => ({
  id,
  externalID: `E-${id}`,
  emails: [{ value: `${id}@example.test`, primary: true }],
  status: 'activated',
  groupIDs: ['g1'],
  profile: {},
});

describe('support workflows for one person (unit: stubbed activities, time-skipping server)', () => {
  let bed: UnitTestBed;
  useStubbedWorkers((started) => (bed = started));

  describe('userLogout', () => {
    const found = {
      result: 'found',
      account: { staffbaseUserId: 'u1', externalID: 'E1', status: 'activated' },
    } as const;

    it('looks the person up by exact externalID and ends the sessions of that account', async () => {
      const run = await bed.start<UserLogoutOutcome>(
        'userLogout',
        [{ externalID: 'E1', reason: 'lost phone' }],
        {
          findAccountByExternalId: () => found,
          endSessions: () => 'logged-out',
        },
      );
      assert.deepEqual(await run.result(), {
        result: 'logged-out',
        externalID: 'E1',
        staffbaseUserId: 'u1',
        reason: 'lost phone',
      });
      assert.deepEqual(run.calls, [
        { name: 'findAccountByExternalId', args: ['E1'] },
        { name: 'endSessions', args: ['u1'] },
      ]);
    });

    it('is user-not-found when nobody has the externalID, or the account went before the logout', async () => {
      const nobody = await bed.start<UserLogoutOutcome>('userLogout', [{ externalID: 'E1' }], {
        findAccountByExternalId: () => ({ result: 'gone' }),
      });
      assert.equal((await nobody.result()).result, 'user-not-found');
      assert.deepEqual(nobody.names(), ['findAccountByExternalId']);
      const went = await bed.start<UserLogoutOutcome>('userLogout', [{ externalID: 'E1' }], {
        findAccountByExternalId: () => found,
        endSessions: () => 'user-not-found',
      });
      assert.equal((await went.result()).result, 'user-not-found');
    });
  });

  describe('userLookup', () => {
    it('answers the record and its groups, or user-not-found', async () => {
      const run = await bed.start<UserLookupResult>('userLookup', [{ externalID: 'E-u1' }], {
        lookUpUser: () => view('u1'),
      });
      const result = await run.result();
      assert.equal(result.result, 'found');
      assert.deepEqual(result.result === 'found' && result.groupIDs, ['g1']);
      const missing = await bed.start<UserLookupResult>('userLookup', [{ externalID: 'E-x' }], {
        lookUpUser: () => undefined,
      });
      assert.deepEqual(await missing.result(), { result: 'user-not-found', externalID: 'E-x' });
    });
  });

  describe('groupMembersLookup', () => {
    const members = ['u1', 'u2', 'u3', 'u4', 'u5'].map(view);
    const listing = (query: MatchingUsersQuery) => ({
      result: 'page' as const,
      total: members.length,
      ids: [],
      views: members.slice(query.offset, query.offset + query.limit),
    });

    it('pages until every member is read', async () => {
      const input = toGroupMembersLookupInput({ groupId: 'g1', pageSize: 2 });
      const run = await bed.start<GroupMembersResult>('groupMembersLookup', [input], {
        listMatchingUsers: listing,
      });
      const result = await run.result();
      assert.equal(result.total, 5);
      assert.deepEqual(
        result.members.map((member) => member.id),
        ['u1', 'u2', 'u3', 'u4', 'u5'],
      );
      assert.equal(result.truncated, false);
      assert.deepEqual(
        run.calls.map((call) => (call.args[0] as MatchingUsersQuery).offset),
        [0, 2, 4],
      );
    });

    it('stops at the limit and says the answer is truncated', async () => {
      const input = toGroupMembersLookupInput({ groupId: 'g1', pageSize: 2, limit: 3 });
      const run = await bed.start<GroupMembersResult>('groupMembersLookup', [input], {
        listMatchingUsers: listing,
      });
      const result = await run.result();
      assert.equal(result.members.length, 3);
      assert.equal(result.truncated, true);
      assert.deepEqual(
        run.calls.map((call) => (call.args[0] as MatchingUsersQuery).limit),
        [2, 1],
      );
    });

    it('fails the run on a filter Staffbase refuses', async () => {
      const input = toGroupMembersLookupInput({ groupId: 'g1' });
      const run = await bed.start<GroupMembersResult>('groupMembersLookup', [input], {
        listMatchingUsers: () => ({ result: 'invalid-filter', reason: 'unknown attribute' }),
      });
      await assert.rejects(run.result(), (error: unknown) => {
        assert.ok(error instanceof WorkflowFailedError, String(error));
        assert.match(String(error.cause?.message), /unknown attribute/);
        return true;
      });
    });
  });
});
