// Long on purpose: the simulated User API route by route, one simulator start-up for all of it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type SimulatorControl } from '../../simulator/control-client';
import { type ApiUser } from '../../simulator/types';
import { errorOf, TEST_TOKEN, type ApiCaller, useTestSimulator } from '../helpers/simulator';

interface ListEnvelope {
  total: number;
  limit: number;
  offset: number;
  data: ApiUser[];
}

let control: SimulatorControl;
let api: ApiCaller;

useTestSimulator((suite) => ({ control, api } = suite));

function newUser(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    externalID: `EMP-${n}`,
    userName: `user.${n}`,
    firstName: `First${n}`,
    lastName: `Last${n}`,
    emails: [{ value: `user${n}@example.com`, primary: true }],
    sendMail: true,
    ...extra,
  };
}

async function createUser(n: number, extra: Record<string, unknown> = {}): Promise<ApiUser> {
  const response = await api<ApiUser>('POST', '/users', { body: newUser(n, extra) });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body;
}

describe('auth', () => {
  for (const [label, token] of [
    ['missing', null],
    ['wrong', 'bm90LXRoZS10b2tlbg=='],
  ] as const) {
    it(`answers 401 with the Staffbase envelope when the token is ${label}`, async () => {
      const response = await api('GET', '/users', { token });
      assert.equal(response.status, 401);
      const body = errorOf(response);
      assert.equal(body.ref, 'ERROR_LOGIN_REQUIRED');
      assert.equal(body.identifier, 40102);
      assert.equal(body.statusCode, 401);
      assert.equal(typeof body.traceId, 'string');
      assert.equal(typeof body.type, 'string');
      assert.equal(typeof body.message, 'string');
    });
  }

  it('compares the token as is: the base64-decoded or re-encoded token is refused', async () => {
    const token = TEST_TOKEN;
    const decoded = Buffer.from(token, 'base64').toString('utf8');
    const reEncoded = Buffer.from(token).toString('base64');
    assert.equal((await api('GET', '/users', { token: decoded })).status, 401);
    assert.equal((await api('GET', '/users', { token: reEncoded })).status, 401);
    assert.equal((await api('GET', '/users')).status, 200);
  });

  it('answers 404 with the envelope for unknown /api paths', async () => {
    const response = await api('GET', '/nothing-here');
    assert.equal(response.status, 404);
    assert.equal(errorOf(response).statusCode, 404);
  });
});

describe('create', () => {
  it('creates a pending user with 201, Location, invitation code and an invitation mail', async () => {
    const response = await api<ApiUser>('POST', '/users', {
      body: newUser(1, {
        profile: { department: 'Sales' },
        groupIDs: ['g1'],
        config: { locale: 'de_DE' },
        role: 'editor',
      }),
    });
    assert.equal(response.status, 201);
    const user = response.body;
    assert.match(user.id, /^[0-9a-f]{24}$/);
    assert.equal(response.headers.get('location'), `/api/users/${user.id}`);
    assert.equal(user.status, 'pending');
    assert.equal(user.externalID, 'EMP-1');
    assert.equal(user.userName, 'user.1');
    assert.deepEqual(user.emails, [{ value: 'user1@example.com', primary: true, providerID: null }]);
    assert.deepEqual(user.profile, { department: 'Sales' });
    assert.deepEqual(user.groupIDs, ['g1']);
    assert.equal(user.config.locale, 'de_DE');
    assert.equal(user.role, 'editor');
    assert.equal(user.activated, null);
    assert.ok(user.secret && user.secret.plain.length > 0);
    assert.equal(user.secret?.expires, -1);
    assert.equal(user.created, user.updated);

    const mails = await control.outbox();
    assert.equal(mails.length, 1);
    assert.deepEqual(
      { kind: mails[0]?.kind, to: mails[0]?.to, userId: mails[0]?.userId, code: mails[0]?.code },
      { kind: 'invitation', to: 'user1@example.com', userId: user.id, code: user.secret?.plain },
    );
    assert.equal((await control.user(user.id))?.creationType, 'direct');
  });

  it('sends no invitation when sendMail is false', async () => {
    await createUser(2, { sendMail: false });
    assert.deepEqual(await control.outbox(), []);
  });

  it('answers 400 naming the field for invalid bodies', async () => {
    const missingName = await api('POST', '/users', { body: { ...newUser(3), firstName: undefined } });
    assert.equal(missingName.status, 400);
    assert.match(errorOf(missingName).message, /firstName/);
    const badEmail = await api('POST', '/users', {
      body: newUser(3, { emails: [{ value: 'not-an-email' }] }),
    });
    assert.equal(badEmail.status, 400);
    assert.match(errorOf(badEmail).message, /emails\.0\.value/);
    const badRole = await api('POST', '/users', { body: newUser(3, { role: 'king' }) });
    assert.equal(badRole.status, 400);
    assert.match(errorOf(badRole).message, /role/);
    const twoPrimaries = await api('POST', '/users', {
      body: newUser(3, {
        emails: [
          { value: 'a@example.com', primary: true },
          { value: 'b@example.com', primary: true },
        ],
      }),
    });
    assert.equal(twoPrimaries.status, 400);
    assert.match(errorOf(twoPrimaries).message, /primary/);
    const noMailAddress = await api('POST', '/users', { body: newUser(3, { emails: [], sendMail: true }) });
    assert.equal(noMailAddress.status, 400);
    assert.match(errorOf(noMailAddress).message, /sendMail/);
    assert.deepEqual(await control.users(), [], 'nothing was created');
  });

  it('answers 409 for a duplicate externalID, userName or primary email (case-insensitive)', async () => {
    await createUser(1);
    const sameExternalId = await api('POST', '/users', { body: newUser(2, { externalID: 'EMP-1' }) });
    assert.equal(sameExternalId.status, 409);
    assert.match(errorOf(sameExternalId).message, /externalID/);
    const sameUserName = await api('POST', '/users', { body: newUser(2, { userName: 'USER.1' }) });
    assert.equal(sameUserName.status, 409);
    assert.match(errorOf(sameUserName).message, /userName/);
    const sameEmail = await api('POST', '/users', {
      body: newUser(2, { emails: [{ value: 'User1@EXAMPLE.com', primary: true }] }),
    });
    assert.equal(sameEmail.status, 409);
    assert.match(errorOf(sameEmail).message, /email/);
    assert.equal((await control.users()).length, 1);
    assert.equal((await api('POST', '/users', { body: newUser(2) })).status, 201, 'distinct values are fine');
  });
});

describe('read', () => {
  it('finds a user by Staffbase id and by externalID, whatever the status', async () => {
    const created = await createUser(1);
    const byId = await api<ApiUser>('GET', `/users/${created.id}`);
    assert.equal(byId.status, 200);
    assert.deepEqual(byId.body, created);
    const byExternalId = await api<ApiUser>('GET', '/users/EMP-1');
    assert.equal(byExternalId.status, 200);
    assert.equal(byExternalId.body.id, created.id);
  });

  it('answers 404 for an unknown user', async () => {
    const response = await api('GET', '/users/EMP-404');
    assert.equal(response.status, 404);
    assert.equal(errorOf(response).statusCode, 404);
  });
});

describe('list', () => {
  it('shows only activated users when the filter names no status', async () => {
    await control.seedUser({ externalID: 'active', status: 'activated' });
    await control.seedUser({ externalID: 'waiting', status: 'pending' });
    await control.seedUser({ externalID: 'gone', status: 'deactivated' });
    const unfiltered = await api<ListEnvelope>('GET', '/users');
    assert.deepEqual(
      unfiltered.body.data.map((u) => u.externalID),
      ['active'],
    );
    assert.equal(unfiltered.body.total, 1);
    const otherFilter = await api<ListEnvelope>(
      'GET',
      `/users?filter=${encodeURIComponent('externalId eq "waiting"')}`,
    );
    assert.equal(otherFilter.body.total, 0, 'a pending user is hidden from a non-status filter');
  });

  it('shows pending and deactivated users when the filter asks for them', async () => {
    await control.seedUser({ externalID: 'active', status: 'activated' });
    await control.seedUser({ externalID: 'waiting', status: 'pending' });
    await control.seedUser({ externalID: 'gone', status: 'deactivated' });
    const list = async (filter: string): Promise<Array<string | null>> =>
      (await api<ListEnvelope>('GET', `/users?filter=${encodeURIComponent(filter)}`)).body.data.map(
        (u) => u.externalID,
      );
    assert.deepEqual(await list('staffbase.status eq "pending"'), ['waiting']);
    assert.deepEqual(await list('staffbase.status eq "deactivated"'), ['gone']);
    assert.deepEqual(await list('staffbase.status ne "activated"'), ['waiting', 'gone']);
    assert.deepEqual(await list('externalId eq "waiting" and staffbase.status eq "pending"'), ['waiting']);
  });

  it('pages with limit and offset in the {total, limit, offset, data} envelope', async () => {
    for (let n = 0; n < 7; n += 1) await control.seedUser({ externalID: `P${n}` });
    const pages: string[][] = [];
    for (let offset = 0; ; offset += 3) {
      const page = await api<ListEnvelope>('GET', `/users?limit=3&offset=${offset}`);
      assert.equal(page.status, 200);
      assert.equal(page.body.total, 7);
      assert.equal(page.body.limit, 3);
      assert.equal(page.body.offset, offset);
      if (page.body.data.length === 0) break;
      pages.push(page.body.data.map((u) => u.externalID ?? ''));
    }
    assert.deepEqual(pages, [['P0', 'P1', 'P2'], ['P3', 'P4', 'P5'], ['P6']]);
  });

  it('defaults the limit to 100, clamps it to 1000 and rejects bad numbers', async () => {
    assert.equal((await api<ListEnvelope>('GET', '/users')).body.limit, 100);
    assert.equal((await api<ListEnvelope>('GET', '/users?limit=5000')).body.limit, 1000);
    for (const query of ['limit=0', 'limit=-1', 'limit=abc', 'offset=-3', 'offset=1.5']) {
      const response = await api('GET', `/users?${query}`);
      assert.equal(response.status, 400, query);
      assert.match(errorOf(response).message, /limit|offset/);
    }
  });

  it('answers 400 with a message for a malformed filter', async () => {
    const response = await api('GET', `/users?filter=${encodeURIComponent('userName eq "x" and (')}`);
    assert.equal(response.status, 400);
    assert.match(errorOf(response).message, /^filter: /);
  });

  it('searches names and emails with query= and sorts with sort=', async () => {
    await control.seedUser({
      externalID: 'a',
      firstName: 'Anna',
      lastName: 'Zeta',
      emails: [{ value: 'anna@x.io' }],
    });
    await control.seedUser({
      externalID: 'b',
      firstName: 'Bert',
      lastName: 'Alpha',
      emails: [{ value: 'bert@x.io' }],
    });
    await control.seedUser({
      externalID: 'c',
      firstName: 'Carl',
      lastName: 'Mu',
      emails: [{ value: 'carl@anna.io' }],
    });
    const search = await api<ListEnvelope>('GET', '/users?query=ANNA');
    assert.deepEqual(
      search.body.data.map((u) => u.externalID),
      ['a', 'c'],
    );
    const sorted = await api<ListEnvelope>('GET', '/users?sort=lastName');
    assert.deepEqual(
      sorted.body.data.map((u) => u.externalID),
      ['b', 'c', 'a'],
    );
    const descending = await api<ListEnvelope>('GET', '/users?sort=-lastName');
    assert.deepEqual(
      descending.body.data.map((u) => u.externalID),
      ['a', 'c', 'b'],
    );
    assert.equal((await api('GET', '/users?sort=shoeSize')).status, 400);
  });
});

describe('update', () => {
  it('changes only the fields sent and bumps updated', async () => {
    const created = await createUser(1, { profile: { department: 'Sales', site: 'Bonn' } });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const response = await api<ApiUser>('PUT', '/users/EMP-1', {
      body: { lastName: 'Married', profile: { department: 'HR', site: null } },
    });
    assert.equal(response.status, 200);
    const user = response.body;
    assert.equal(user.lastName, 'Married');
    assert.equal(user.firstName, created.firstName);
    assert.equal(user.userName, created.userName);
    assert.deepEqual(user.emails, created.emails);
    assert.deepEqual(user.profile, { department: 'HR' }, 'profile fields merge; null removes one');
    assert.equal(user.created, created.created);
    assert.ok(user.updated > created.updated);
    assert.deepEqual((await api<ApiUser>('GET', `/users/${created.id}`)).body, user);
  });

  it('enforces uniqueness on update too', async () => {
    await createUser(1);
    await createUser(2);
    const response = await api('PUT', '/users/EMP-2', { body: { userName: 'User.1' } });
    assert.equal(response.status, 409);
    assert.equal((await control.user('EMP-2'))?.userName, 'user.2', 'nothing changed');
    assert.equal(
      (await api('PUT', '/users/EMP-2', { body: { userName: 'user.2' } })).status,
      200,
      'own value is fine',
    );
  });

  it('deactivates (ending sessions) and reactivates, setting and clearing the deactivated time', async () => {
    const created = await createUser(1);
    await control.activate(created.id);
    await control.login(created.id);
    const deactivated = await api<ApiUser>('PUT', `/users/${created.id}`, {
      body: { status: 'deactivated' },
    });
    assert.equal(deactivated.status, 200);
    assert.equal(deactivated.body.status, 'deactivated');
    const record = await control.user(created.id);
    assert.ok(record?.deactivated);
    assert.equal(record?.sessions, 0);
    assert.equal(record?.sessionsEnded, 1);

    const reactivated = await api<ApiUser>('PUT', `/users/${created.id}`, { body: { status: 'activated' } });
    assert.equal(reactivated.body.status, 'activated');
    assert.equal((await control.user(created.id))?.deactivated, null);
  });

  it('puts a reactivated user who never accepted the invitation back to pending', async () => {
    const created = await createUser(1);
    await api('PUT', `/users/${created.id}`, { body: { status: 'deactivated' } });
    const reactivated = await api<ApiUser>('PUT', `/users/${created.id}`, { body: { status: 'activated' } });
    assert.equal(reactivated.body.status, 'pending');
  });

  it('answers 400 for an invalid status and 404 for an unknown user', async () => {
    const created = await createUser(1);
    const badStatus = await api('PUT', `/users/${created.id}`, { body: { status: 'pending' } });
    assert.equal(badStatus.status, 400);
    assert.match(errorOf(badStatus).message, /status/);
    assert.equal((await api('PUT', '/users/nobody', { body: { lastName: 'X' } })).status, 404);
  });
});

describe('delete', () => {
  it('deletes permanently: 204, then GET, PUT and DELETE answer 404', async () => {
    const created = await createUser(1);
    assert.equal((await api('DELETE', `/users/${created.id}`)).status, 204);
    assert.equal((await api('GET', `/users/${created.id}`)).status, 404);
    assert.equal((await api('GET', '/users/EMP-1')).status, 404);
    assert.equal((await api('PUT', `/users/${created.id}`, { body: { lastName: 'X' } })).status, 404);
    assert.equal((await api('DELETE', `/users/${created.id}`)).status, 404);
    assert.equal(await control.user(created.id), undefined);
  });

  it('deletes by externalID and frees the externalID for a new user', async () => {
    await createUser(1);
    assert.equal((await api('DELETE', '/users/EMP-1')).status, 204);
    assert.equal((await api('POST', '/users', { body: newUser(1) })).status, 201);
  });
});

describe('recovery', () => {
  it('records a recovery request and a recovery mail for an activated user', async () => {
    const created = await createUser(1, { sendMail: false });
    await control.activate('EMP-1');
    const response = await api('POST', `/users/${created.id}/recovery`);
    assert.equal(response.status, 204);
    assert.equal((await control.user(created.id))?.recoveryRequests, 1);
    const recoveries = await control.recoveries();
    assert.deepEqual(
      recoveries.map((r) => r.userId),
      [created.id],
    );
    const mails = await control.outbox();
    assert.equal(mails.length, 1);
    assert.equal(mails[0]?.kind, 'recovery');
    assert.equal(mails[0]?.to, 'user1@example.com');
    assert.match(mails[0]?.code ?? '', /^\d{6}$/);
  });

  it('refuses pending, deactivated and SSO users with 400 and records nothing', async () => {
    await createUser(1, { sendMail: false });
    await control.seedUser({ externalID: 'off', status: 'deactivated', emails: [{ value: 'off@x.io' }] });
    await control.seedUser({ externalID: 'sso', creationType: 'sso', emails: [{ value: 'sso@x.io' }] });
    for (const [id, reason] of [
      ['EMP-1', /pending/],
      ['off', /deactivated/],
      ['sso', /SSO/],
    ] as const) {
      const response = await api('POST', `/users/${id}/recovery`);
      assert.equal(response.status, 400, id);
      assert.match(errorOf(response).message, reason);
    }
    assert.deepEqual(await control.recoveries(), []);
    assert.deepEqual(await control.outbox(), []);
    assert.equal((await api('POST', '/users/nobody/recovery')).status, 404);
  });
});

describe('sessions', () => {
  it('logs the user out everywhere and counts the sessions ended', async () => {
    const created = await createUser(1);
    await control.activate(created.id);
    await control.login(created.id);
    await control.login('EMP-1');
    assert.equal((await control.user(created.id))?.sessions, 2);
    assert.equal((await api('DELETE', `/users/${created.id}/sessions`)).status, 204);
    const record = await control.user(created.id);
    assert.equal(record?.sessions, 0);
    assert.equal(record?.sessionsEnded, 2);
    assert.equal(record?.logoutRequests, 1);
    assert.equal((await api('DELETE', '/users/nobody/sessions')).status, 404);
  });

  it('activates a pending user on first login and via the activate control route', async () => {
    const first = await createUser(1);
    await control.login(first.id);
    const loggedIn = await control.user(first.id);
    assert.equal(loggedIn?.status, 'activated');
    assert.ok(loggedIn?.activated);
    assert.equal(loggedIn?.secret, null, 'the invitation code is spent');

    await createUser(2);
    await control.activate('EMP-2');
    const activated = (await api<ApiUser>('GET', '/users/EMP-2')).body;
    assert.equal(activated.status, 'activated');
    assert.ok(activated.activated);
  });

  it('refuses the login of a deactivated user with 409', async () => {
    const created = await createUser(1);
    await control.activate(created.id);
    await api('PUT', `/users/${created.id}`, { body: { status: 'deactivated' } });
    await assert.rejects(control.login(created.id), (error: unknown) => {
      assert.equal((error as { status?: number }).status, 409);
      return true;
    });
    await assert.rejects(control.activate(created.id), /409/);
    assert.equal((await control.user(created.id))?.sessions, 0);
  });
});

describe('groups', () => {
  it('adds users to a group and lists members with the groups filter', async () => {
    const a = await createUser(1);
    const b = await createUser(2);
    await createUser(3);
    for (const id of ['EMP-1', 'EMP-2', 'EMP-3']) await control.activate(id);
    const response = await api('POST', '/groups/0123456789abcdef01234567/users', { body: [a.id, b.id] });
    assert.equal(response.status, 204);
    assert.deepEqual((await api<ApiUser>('GET', `/users/${a.id}`)).body.groupIDs, [
      '0123456789abcdef01234567',
    ]);
    const members = await api<ListEnvelope>(
      'GET',
      `/users?filter=${encodeURIComponent('groups eq "0123456789abcdef01234567"')}`,
    );
    assert.deepEqual(members.body.data.map((u) => u.externalID).sort(), ['EMP-1', 'EMP-2']);
    const others = await api<ListEnvelope>(
      'GET',
      `/users?filter=${encodeURIComponent('groups ne "0123456789abcdef01234567"')}`,
    );
    assert.deepEqual(
      others.body.data.map((u) => u.externalID),
      ['EMP-3'],
    );
    // adding again is harmless
    await api('POST', '/groups/0123456789abcdef01234567/users', { body: [a.id] });
    assert.deepEqual((await control.user(a.id))?.groupIDs, ['0123456789abcdef01234567']);
  });

  it('answers 400 for unknown user ids or a body that is not an array, changing nothing', async () => {
    const a = await createUser(1);
    const unknown = await api('POST', '/groups/g1/users', { body: [a.id, 'ffffffffffffffffffffffff'] });
    assert.equal(unknown.status, 400);
    assert.match(errorOf(unknown).message, /ffffffffffffffffffffffff/);
    assert.deepEqual((await control.user(a.id))?.groupIDs, []);
    assert.equal((await api('POST', '/groups/g1/users', { body: { ids: [a.id] } })).status, 400);
  });
});
