/**
 * mover and recoveryCode, the outcomes support-steps.test.ts leaves out: the real workflows on the
 * time-skipping server with STUBBED ACTIVITIES (stubbed-workers.ts). Nobody found at the read, what a
 * mover sends (only the fields that differ, the profile as read beside them), groups only, and a recovery code
 * sent after the SSO filter said no.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { UserView } from '../../../activities/support-views';
import type { MoverOutcome, RecoveryCodeOutcome } from '../../../workflows/support-messages';
import { type UnitTestBed, useStubbedWorkers } from './stubbed-workers';

const person = (overrides: Partial<UserView> = {}): UserView => ({
  id: 'u1',
  externalID: 'E1',
  firstName: 'Ada',
  lastName: 'Lovelace',
  locale: 'en_US',
  emails: [{ value: 'ada@example.test', primary: true }],
  status: 'activated',
  groupIDs: ['g0'],
  profile: { department: 'R&D', costCenter: '42' },
  ...overrides,
});

const notFoundReason = 'No Staffbase account has this externalID (never existed or already deleted).';

describe('mover and recovery code (unit: stubbed activities, time-skipping server)', () => {
  let bed: UnitTestBed;
  useStubbedWorkers((started) => (bed = started));

  describe('mover', () => {
    it('user-not-found at the read: nothing written, the reason says why', async () => {
      const run = await bed.start<MoverOutcome>('mover', [{ externalID: 'E9', lastName: 'King' }], {
        lookUpUser: () => undefined,
      });
      assert.deepEqual(await run.result(), {
        result: 'user-not-found',
        externalID: 'E9',
        changedFields: [],
        addedGroups: [],
        reason: notFoundReason,
      });
      assert.deepEqual(run.calls, [{ name: 'lookUpUser', args: ['E9'] }]);
    });

    it('sends only what differs, the profile as read beside it; the request reason in the outcome', async () => {
      const request = {
        externalID: 'E1',
        firstName: 'Ada',
        locale: 'de_DE',
        profile: { department: 'Sales', costCenter: '42' },
        reason: 'moved to sales',
      };
      const run = await bed.start<MoverOutcome>('mover', [request], {
        lookUpUser: () => person(),
        updateUserFields: () => 'updated',
      });
      assert.deepEqual(await run.result(), {
        result: 'changed',
        externalID: 'E1',
        staffbaseUserId: 'u1',
        changedFields: ['locale', 'profile.department'],
        addedGroups: [],
        reason: 'moved to sales',
      });
      assert.deepEqual(run.calls[1], {
        name: 'updateUserFields',
        args: [
          {
            staffbaseUserId: 'u1',
            // mover-changed-fields-only: the changed field alone; the wire format completes `profile`
            // from the read only under a replacing PUT.
            patch: {
              locale: 'de_DE',
              profile: { department: 'Sales' },
              profileAsRead: { department: 'R&D', costCenter: '42' },
            },
          },
        ],
      });
      assert.equal(run.calls.length, 2);
    });

    it('groups only: no PUT, each missing group added once, one already held left alone', async () => {
      const run = await bed.start<MoverOutcome>(
        'mover',
        [{ externalID: 'E1', addToGroups: ['g0', 'g1', 'g2', 'g1'] }],
        {
          lookUpUser: () => person(),
          addUserToGroup: () => ({ result: 'added' }),
        },
      );
      const outcome = await run.result();
      assert.equal(outcome.result, 'changed');
      assert.deepEqual(outcome.changedFields, []);
      assert.deepEqual(outcome.addedGroups, ['g1', 'g2']);
      assert.deepEqual(run.calls.slice(1), [
        { name: 'addUserToGroup', args: [{ groupId: 'g1', staffbaseUserId: 'u1' }] },
        { name: 'addUserToGroup', args: [{ groupId: 'g2', staffbaseUserId: 'u1' }] },
      ]);
    });
  });

  describe('recoveryCode', () => {
    it('user-not-found at the read: nothing sent', async () => {
      const run = await bed.start<RecoveryCodeOutcome>('recoveryCode', [{ externalID: 'E9' }], {
        lookUpUser: () => undefined,
      });
      assert.deepEqual(await run.result(), {
        result: 'user-not-found',
        externalID: 'E9',
        reason: notFoundReason,
      });
      assert.deepEqual(run.names(), ['lookUpUser']);
    });

    it('the SSO filter says no: the code is sent, the request reason in the outcome', async () => {
      const run = await bed.start<RecoveryCodeOutcome>(
        'recoveryCode',
        [{ externalID: 'E1', reason: 'ticket 7' }],
        {
          lookUpUser: () => person(),
          isSsoUser: () => false,
          sendRecoveryCodeTo: () => ({ result: 'sent' }),
        },
      );
      assert.deepEqual(await run.result(), {
        result: 'sent',
        externalID: 'E1',
        staffbaseUserId: 'u1',
        reason: 'ticket 7',
      });
      assert.deepEqual(run.calls, [
        { name: 'lookUpUser', args: ['E1'] },
        { name: 'isSsoUser', args: [{ externalID: 'E1', staffbaseUserId: 'u1' }] },
        { name: 'sendRecoveryCodeTo', args: ['u1'] },
      ]);
    });

    it('refuses a deactivated user from the record: not-activated, nothing asked', async () => {
      const run = await bed.start<RecoveryCodeOutcome>('recoveryCode', [{ externalID: 'E1' }], {
        lookUpUser: () => person({ status: 'deactivated' }),
      });
      assert.deepEqual(await run.result(), {
        result: 'refused',
        externalID: 'E1',
        staffbaseUserId: 'u1',
        refusal: 'not-activated',
        reason: 'The user is deactivated.',
      });
      assert.deepEqual(run.names(), ['lookUpUser']);
    });
  });
});
