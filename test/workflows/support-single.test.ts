import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  lookUpGroupMembers,
  lookUpUser,
  startMover,
  startRecoveryCode,
  startUserLogout,
  supportRunHandle,
} from '../../client/support-runs';
import type { UserSeed } from '../../simulator/control-client';
import type { MoverOutcome, RecoveryCodeOutcome, UserLogoutOutcome } from '../../workflows/support-messages';
import { type LifecycleTestStack, useLifecycleTestStack } from '../helpers/lifecycle-stack';

describe('one-person support workflows and look-ups (dev server, real activities against the simulator)', () => {
  let stack: LifecycleTestStack;
  let seeded = 0;
  useLifecycleTestStack(
    { server: 'dev-server', resetSimulatorBeforeEach: true },
    (started) => (stack = started),
  );

  const person = (overrides: UserSeed = {}) => {
    seeded += 1;
    const id = `${process.pid}-${seeded}`;
    return stack.control.seedUser({
      externalID: `support-${id}`,
      userName: `grace.hopper.${id}`,
      firstName: 'Grace',
      lastName: 'Hopper',
      emails: [{ value: `grace.${id}@example.test`, primary: true }],
      status: 'activated',
      ...overrides,
    });
  };
  const resultOf = <T>(workflowId: string) =>
    supportRunHandle(stack.env.client, workflowId).result() as Promise<T>;
  const writes = async () => (await stack.control.log()).filter((call) => call.method !== 'GET');

  it('applies a mover change once: only what differs, only missing groups; a re-run changes nothing', async () => {
    // The legacy model the worker defaults to (STAFFBASE_PROFILE_PLACEMENT=top-level): system fields at the top level.
    const user = await person({
      topLevel: { department: 'Sales', position: 'Rep' },
      profile: { costCenter: '42' },
      groupIDs: ['all-staff'],
    });
    const externalID = user.externalID ?? '';
    const change = {
      externalID,
      lastName: 'Hopper-Murray',
      profile: { department: 'Marketing', position: 'Rep' },
      addToGroups: ['all-staff', 'marketing'],
    };
    const [first, second, unknown] = await stack.runWorkers(async () => {
      const a = stack.track(await startMover(stack.env.client, change));
      const firstOutcome = await resultOf<MoverOutcome>(a.workflowId);
      const b = stack.track(await startMover(stack.env.client, change));
      assert.equal(b.status, 'started', 'a finished mover may run again');
      const secondOutcome = await resultOf<MoverOutcome>(b.workflowId);
      const c = stack.track(
        await startMover(stack.env.client, { externalID: 'nobody-here', firstName: 'X' }),
      );
      return [firstOutcome, secondOutcome, await resultOf<MoverOutcome>(c.workflowId)];
    });
    assert.equal(first.result, 'changed');
    assert.equal(first.staffbaseUserId, user.id);
    assert.deepEqual(first.changedFields, ['lastName', 'profile.department']);
    assert.deepEqual(first.addedGroups, ['marketing']);
    assert.equal(second.result, 'unchanged');
    assert.deepEqual(second.changedFields, []);
    assert.deepEqual(second.addedGroups, []);
    assert.equal(unknown.result, 'user-not-found');

    const after = await stack.control.user(user.id);
    assert.equal(after?.lastName, 'Hopper-Murray');
    assert.equal(after?.department, 'Marketing');
    assert.equal(after?.position, 'Rep');
    assert.deepEqual(after?.profile, { costCenter: '42' }, 'a custom field the change left alone stays');
    const put = (await writes()).find((call) => call.routeKey === 'PUT /users/:id');
    assert.deepEqual(put?.body, { lastName: 'Hopper-Murray', department: 'Marketing' }, 'only what changed');
    assert.deepEqual(after?.groupIDs, ['all-staff', 'marketing']);
    assert.deepEqual(
      (await writes()).map((call) => call.routeKey),
      ['PUT /users/:id', 'POST /groups/:id/users'],
      'exactly one update and one group addition over both runs',
    );
  });

  it('sends a recovery code to an activated user and refuses the others with a reason', async () => {
    const active = await person();
    const pending = await person({ status: 'pending' });
    const sso = await person({ creationType: 'sso' });
    const noEmail = await person({ emails: [] });
    const outcomes = await stack.runWorkers(async () => {
      const runs = [];
      for (const externalID of [active, pending, sso, noEmail].map((user) => user.externalID ?? '')) {
        runs.push(stack.track(await startRecoveryCode(stack.env.client, { externalID })));
      }
      runs.push(stack.track(await startRecoveryCode(stack.env.client, { externalID: 'nobody-here' })));
      return Promise.all(runs.map((run) => resultOf<RecoveryCodeOutcome>(run.workflowId)));
    });
    assert.deepEqual(
      outcomes.map((outcome) => [outcome.result, outcome.refusal]),
      [
        ['sent', undefined],
        ['refused', 'not-activated'],
        ['refused', 'sso-user'],
        ['refused', 'no-email'],
        ['user-not-found', undefined],
      ],
    );
    assert.equal(outcomes.length, 5);
    for (const outcome of outcomes.slice(1)) assert.ok(outcome.reason, `${outcome.result} says why`);
    const recoveries = await stack.control.recoveries();
    assert.deepEqual(
      recoveries.map((recovery) => recovery.userId),
      [active.id],
    );
  });

  it('logs one user out of every session; an unknown user is an outcome, not a crash', async () => {
    const user = await person({ sessions: 3 });
    const [loggedOut, unknown] = await stack.runWorkers(async () => {
      const a = stack.track(await startUserLogout(stack.env.client, { externalID: user.externalID ?? '' }));
      const b = stack.track(await startUserLogout(stack.env.client, { externalID: 'nobody-here' }));
      return Promise.all([
        resultOf<UserLogoutOutcome>(a.workflowId),
        resultOf<UserLogoutOutcome>(b.workflowId),
      ]);
    });
    assert.equal(loggedOut.result, 'logged-out');
    assert.equal(loggedOut.staffbaseUserId, user.id);
    assert.equal(unknown.result, 'user-not-found');
    const after = await stack.control.user(user.id);
    assert.equal(after?.sessions, 0);
    assert.equal(after?.sessionsEnded, 3);
    assert.equal(after?.logoutRequests, 1);
  });

  it('looks up a user (no secrets) and a group, bounded by its limit', async () => {
    const pending = await person({ status: 'pending', groupIDs: ['night-shift', 'all-staff'] });
    for (const status of ['activated', 'activated', 'deactivated', 'pending'] as const) {
      await person({ status, groupIDs: ['night-shift'] });
    }
    await person({ groupIDs: ['day-shift'] });
    const invitationCode = (await stack.control.user(pending.id))?.secret?.plain;
    assert.ok(invitationCode, 'the simulator gave the pending user an invitation code');

    const [found, missing, group, activatedOnly] = await stack.runWorkers(() =>
      Promise.all([
        lookUpUser(stack.env.client, { externalID: pending.externalID ?? '' }),
        lookUpUser(stack.env.client, { externalID: 'nobody-here' }),
        lookUpGroupMembers(stack.env.client, { groupId: 'night-shift', pageSize: 2, limit: 3 }),
        lookUpGroupMembers(stack.env.client, { groupId: 'night-shift', statuses: ['activated'] }),
      ]),
    );
    assert.equal(found.result, 'found');
    assert.ok(found.result === 'found');
    assert.equal(found.user.id, pending.id);
    assert.equal(found.user.status, 'pending');
    assert.deepEqual(found.groupIDs, ['night-shift', 'all-staff']);
    assert.ok(!('secret' in found.user));
    assert.ok(
      !JSON.stringify(found).includes(invitationCode),
      'the invitation code never leaves the activity',
    );
    assert.equal(missing.result, 'user-not-found');

    assert.equal(group.total, 5, 'every status by default');
    assert.equal(group.members.length, 3);
    assert.equal(group.truncated, true);
    assert.deepEqual(
      group.members.map((member) => member.groupIDs.includes('night-shift')),
      [true, true, true],
    );
    assert.ok(!JSON.stringify(group).includes(invitationCode));
    assert.equal(activatedOnly.total, 2);
    assert.equal(activatedOnly.truncated, false);
    assert.deepEqual(
      activatedOnly.members.map((member) => member.status),
      ['activated', 'activated'],
    );
  });

  it('finds the open run instead of starting a second one for the same person', async () => {
    const user = await person();
    const first = stack.track(await startUserLogout(stack.env.client, { externalID: user.externalID ?? '' }));
    const second = await startUserLogout(stack.env.client, { externalID: user.externalID ?? '' });
    assert.equal(second.status, 'already-running');
    assert.equal(second.runId, first.runId);
    await stack.runWorkers(() => resultOf<UserLogoutOutcome>(first.workflowId));
    assert.equal((await stack.control.user(user.id))?.logoutRequests, 1);
  });
});
