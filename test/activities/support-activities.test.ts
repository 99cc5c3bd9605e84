/** The support activities against the simulator over real HTTP (no Temporal), and their pure helpers. */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/activity';
import { StaffbaseClient } from '../../staffbase/client';
import type { StaffbaseUser } from '../../staffbase/schemas';
import { createRetiredActivities, type RetiredActivities } from '../../activities/retired';
import { createSupportActivities, type SupportActivities } from '../../activities/support-activities';
import { type UserView, toUserView } from '../../activities/support-views';
import { planMoverChange } from '../../lifecycle/support-guards';
import { MAX_PRECONDITION_AGE_MS, STALE_PRECONDITION_FAILURE } from '../../lifecycle/precondition-freshness';
import type { SimulatorControl } from '../../simulator/control-client';
import type { RunningSimulator } from '../../simulator/server';
import { startTestSimulator } from '../helpers/simulator';

const view = (overrides: Partial<UserView> = {}): UserView => ({
  id: 'u1',
  externalID: 'E1',
  emails: [],
  status: 'activated',
  groupIDs: ['g1'],
  profile: { department: 'Sales', position: 'Rep', badge: 7 },
  ...overrides,
});

describe('planMoverChange (compare before write)', () => {
  it('plans only the fields that differ and the groups the user is not in', () => {
    const plan = planMoverChange(view({ firstName: 'Ada', locale: 'de_DE' }), {
      externalID: 'E1',
      firstName: 'Ada',
      locale: 'en_US',
      profile: { department: 'Marketing', position: 'Rep' },
      addToGroups: ['g1', 'g2', 'g2'],
    });
    assert.deepEqual(plan.changedFields, ['locale', 'profile.department']);
    assert.deepEqual(plan.groupsToAdd, ['g2']);
    // The whole merged profile is sent, so a replacing PUT cannot lose fields.
    assert.deepEqual(plan.patch, {
      locale: 'en_US',
      profile: { department: 'Marketing', position: 'Rep', badge: 7 },
    });
  });

  it('plans nothing when the change is already in place', () => {
    const plan = planMoverChange(view({ lastName: 'Lovelace' }), {
      externalID: 'E1',
      lastName: 'Lovelace',
      profile: { department: 'Sales' },
      addToGroups: ['g1'],
    });
    assert.deepEqual(plan, { patch: {}, changedFields: [], groupsToAdd: [] });
  });
});

describe('toUserView', () => {
  it('keeps an allow-list of fields: no invitation code, nothing unknown', () => {
    const user = {
      id: 'u1',
      externalID: 'E1',
      userName: null,
      emails: [{ value: 'a@example.test', primary: true, providerID: 'idp' }],
      status: 'pending',
      secret: { plain: 'c0de-c0de', expires: -1 },
      apiToken: 'not-for-support',
      creationType: 'sso',
      config: { locale: 'de_DE' },
    } as unknown as StaffbaseUser;
    const result = toUserView(user);
    assert.equal(JSON.stringify(result).includes('c0de-c0de'), false);
    assert.equal(JSON.stringify(result).includes('not-for-support'), false);
    assert.equal(result.userName, undefined);
    assert.equal(result.locale, 'de_DE');
    assert.equal(result.creationType, 'sso');
    assert.deepEqual(result.emails, [{ value: 'a@example.test', primary: true }]);
  });
});

describe('support activities against the simulator', () => {
  let simulator: RunningSimulator;
  let control: SimulatorControl;
  let client: StaffbaseClient;
  /** With the retired several-call activities that runs recorded before issue #13 still schedule. */
  let activities: SupportActivities & RetiredActivities;

  before(async () => {
    const started = await startTestSimulator();
    simulator = started.simulator;
    control = started.control;
    client = new StaffbaseClient({ baseUrl: simulator.apiUrl, token: started.token });
    activities = { ...createSupportActivities(client), ...createRetiredActivities(client) };
  });
  after(async () => {
    await client.close();
    await simulator.close();
  });
  beforeEach(async () => {
    await control.reset();
  });

  it('answers a malformed filter as invalid-filter instead of failing', async () => {
    const page = await activities.listMatchingUsers({
      filter: 'staffbase.creationType eq',
      statuses: ['activated'],
      offset: 0,
      limit: 10,
      detail: 'ids',
    });
    assert.equal(page.result, 'invalid-filter');
    assert.match(page.result === 'invalid-filter' ? page.reason : '', /filter/);
  });

  it('lists ids, or summaries, of the matching users with the explicit statuses only', async () => {
    const sso = await control.seedUser({ externalID: 'S1', userName: 's1', creationType: 'sso' });
    await control.seedUser({ externalID: 'S2', userName: 's2', creationType: 'sso', status: 'deactivated' });
    await control.seedUser({ externalID: 'D1', userName: 'd1', creationType: 'direct' });
    const query = {
      filter: 'staffbase.creationType eq "sso"',
      statuses: ['activated' as const],
      offset: 0,
      limit: 10,
    };
    const ids = await activities.listMatchingUsers({ ...query, detail: 'ids' });
    assert.deepEqual(ids, {
      result: 'page',
      total: 1,
      ids: [sso.id],
      summaries: undefined,
      views: undefined,
    });
    const summaries = await activities.listMatchingUsers({ ...query, detail: 'summary' });
    assert.deepEqual(summaries.result === 'page' ? summaries.summaries : undefined, [
      {
        id: sso.id,
        externalID: 'S1',
        userName: 's1',
        firstName: undefined,
        lastName: undefined,
        status: 'activated',
        // The dates a clean-up selects by, so a dry-run sample shows why each user is in it.
        created: sso.created,
        deactivated: undefined,
      },
    ]);
  });

  it('deletes only users still in the selected status; a missing user is already gone', async () => {
    const pending = await control.seedUser({ externalID: 'P1', userName: 'p1', status: 'pending' });
    const activated = await control.seedUser({ externalID: 'P2', userName: 'p2', status: 'activated' });
    assert.equal(
      await activities.deleteUserInStatus({ staffbaseUserId: pending.id, status: 'pending' }),
      'deleted',
    );
    assert.equal(
      await activities.deleteUserInStatus({ staffbaseUserId: pending.id, status: 'pending' }),
      'already-gone',
    );
    assert.equal(
      await activities.deleteUserInStatus({ staffbaseUserId: activated.id, status: 'pending' }),
      'no-longer-matching',
    );
    assert.ok(await control.user(activated.id));
    assert.equal(await activities.logoutUserById(pending.id), 'user-gone');
  });

  it('turns a refused request into a non-retryable failure (a bulk run counts it as failed)', async () => {
    await assert.rejects(
      activities.deleteUserInStatus({ staffbaseUserId: '..', status: 'pending' }),
      (error: unknown) => error instanceof ApplicationFailure && error.nonRetryable === true,
    );
  });

  it('reads an SSO user from the documented filter when the record does not say', async () => {
    await control.seedUser({
      externalID: 'SSO1',
      userName: 'sso1',
      emails: [{ value: 'sso1@example.test' }],
      creationType: 'sso',
    });
    const result = await activities.sendRecoveryCode('SSO1');
    assert.equal(result.result, 'refused');
    assert.equal(result.result === 'refused' ? result.refusal : undefined, 'sso-user');
    assert.deepEqual(await control.recoveries(), []);
    const calls = (await control.log()).map((call) => call.routeKey);
    assert.ok(!calls.includes('POST /users/:id/recovery'), 'the recovery endpoint was not called');
  });
  /** Every call the simulator saw during `body`, by route. */
  const callsDuring = async (body: () => Promise<unknown>) => {
    const before = (await control.log()).length;
    await body();
    return (await control.log()).slice(before).map((call) => call.routeKey);
  };

  it('makes one Staffbase request per one-request activity (issue #13)', async () => {
    const user = await control.seedUser({
      externalID: 'O1',
      userName: 'o1',
      status: 'pending',
      created: '2020-01-01T00:00:00.000Z',
    });
    const calls = [
      await callsDuring(() => activities.lookUpUser('O1')),
      await callsDuring(() =>
        activities.updateUserFields({ staffbaseUserId: user.id, patch: { lastName: 'King' } }),
      ),
      await callsDuring(() => activities.addUserToGroup({ groupId: 'g-new', staffbaseUserId: user.id })),
      await callsDuring(() => activities.isSsoUser({ externalID: 'O1', staffbaseUserId: user.id })),
      await callsDuring(() => activities.sendRecoveryCodeTo(user.id)),
      await callsDuring(() => activities.readCleanupCandidate(user.id)),
      await callsDuring(() => activities.deleteCleanupAccount(user.id, { readAt: Date.now() })),
    ];
    assert.equal(calls.length, 7);
    for (const one of calls) assert.equal(one.length, 1, `one request: ${one.join(', ')}`);
  });

  it('deletes on an old read only after reading again in the attempt, and only while the criteria hold', async () => {
    const criteria = { status: 'pending', createdBefore: '2100-01-01T00:00:00.000Z' } as const;
    const oldRead = Date.now() - MAX_PRECONDITION_AGE_MS - 1;
    const stays = await control.seedUser({ externalID: 'F1', userName: 'f1', status: 'pending' });
    const accepts = await control.seedUser({ externalID: 'F2', userName: 'f2', status: 'pending' });
    const read = await activities.readCleanupCandidate(stays.id);
    assert.ok(read.result === 'found' && read.readAt !== undefined, 'the read carries its moment');

    // Still pending: read again, then deleted — the one case of two requests in an attempt.
    let answer: unknown;
    const deleting = await callsDuring(async () => {
      answer = await activities.deleteCleanupAccount(stays.id, { readAt: oldRead, precondition: criteria });
    });
    assert.equal(answer, 'deleted');
    assert.deepEqual(deleting, ['GET /users/:id', 'DELETE /users/:id']);

    // Accepted since the old read: read again, nothing deleted.
    await control.activate(accepts.id);
    const keeping = await callsDuring(async () => {
      answer = await activities.deleteCleanupAccount(accepts.id, { readAt: oldRead, precondition: criteria });
    });
    assert.equal(answer, 'precondition-changed');
    assert.deepEqual(keeping, ['GET /users/:id']);
    assert.equal((await control.user(accepts.id))?.status, 'activated');

    // Nothing to check again with (an act scheduled before the precondition was carried): refused, no request.
    for (const check of [{ readAt: oldRead }, undefined]) {
      const refused = await callsDuring(() =>
        assert.rejects(activities.deleteCleanupAccount(accepts.id, check), (error: unknown) => {
          assert.ok(error instanceof ApplicationFailure);
          assert.equal(error.type, STALE_PRECONDITION_FAILURE);
          assert.equal(error.nonRetryable, true);
          return true;
        }),
      );
      assert.deepEqual(refused, [], 'no request was sent');
    }
  });

  it('treats a read stamped more than 1 s in the future as stale: reads again before the DELETE', async () => {
    const criteria = { status: 'pending', createdBefore: '2100-01-01T00:00:00.000Z' } as const;
    const futureRead = Date.now() + 60_000;
    const accepts = await control.seedUser({ externalID: 'F3', userName: 'f3', status: 'pending' });
    await control.activate(accepts.id);
    let answer: unknown;
    const calls = await callsDuring(async () => {
      answer = await activities.deleteCleanupAccount(accepts.id, {
        readAt: futureRead,
        precondition: criteria,
      });
    });
    assert.equal(answer, 'precondition-changed');
    assert.deepEqual(calls, ['GET /users/:id'], 'read again, no DELETE on a read from a clock ahead');
    assert.equal((await control.user(accepts.id))?.status, 'activated');
  });

  it('answers the one-request activities with named outcomes for a user that is gone', async () => {
    const user = await control.seedUser({ externalID: 'G1', userName: 'g1', status: 'deactivated' });
    const read = await activities.readCleanupCandidate(user.id);
    assert.equal(read.result, 'found');
    assert.equal(read.result === 'found' ? read.account.status : undefined, 'deactivated');
    assert.equal(await activities.deleteCleanupAccount(user.id, { readAt: Date.now() }), 'deleted');
    assert.deepEqual(await activities.readCleanupCandidate(user.id), { result: 'gone' });
    assert.equal(await activities.deleteCleanupAccount(user.id, { readAt: Date.now() }), 'already-gone');
    assert.equal(
      await activities.updateUserFields({ staffbaseUserId: user.id, patch: { lastName: 'X' } }),
      'user-not-found',
    );
    assert.equal(
      (await activities.addUserToGroup({ groupId: 'g1', staffbaseUserId: user.id })).result,
      'refused',
    );
    assert.equal((await activities.sendRecoveryCodeTo(user.id)).result, 'user-not-found');
  });
});
