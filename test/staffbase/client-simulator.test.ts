/** Every client operation against the Staffbase simulator over real HTTP. */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { StaffbaseClient } from '../../staffbase/client';
import {
  StaffbaseConflictError,
  StaffbaseNotFoundError,
  StaffbaseValidationError,
} from '../../staffbase/errors';
import { type CreateUserInput } from '../../staffbase/schemas';
import { type SimulatorControl } from '../../simulator/control-client';
import { type RunningSimulator } from '../../simulator/server';
import { withExternalIdLookupDecided } from '../../staffbase/external-id-lookup';
import { TEST_TOKEN, startTestSimulator } from '../helpers/simulator';

let simulator: RunningSimulator;
let control: SimulatorControl;
let client: StaffbaseClient;

before(async () => {
  const started = await startTestSimulator();
  simulator = started.simulator;
  control = started.control;
  client = new StaffbaseClient({ baseUrl: simulator.apiUrl, token: started.token });
});

after(async () => {
  await client.close();
  await simulator.close();
});

beforeEach(async () => {
  await control.reset();
});

function newHire(n: number | string, overrides: Partial<CreateUserInput> = {}): CreateUserInput {
  return {
    externalID: `E${n}`,
    userName: `user${n}`,
    firstName: `First${n}`,
    lastName: `Last${n}`,
    email: `user${n}@example.com`,
    sendMail: false,
    ...overrides,
  };
}

async function collect<T>(users: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const user of users) all.push(user);
  return all;
}

const listCalls = async () => (await control.log()).filter((call) => call.routeKey === 'GET /users');

describe('StaffbaseClient against the simulator: users', () => {
  it('creates a pending user with every mapped field, and Staffbase sends the invitation', async () => {
    const created = await client.createUser(
      newHire(1, { sendMail: true, locale: 'de_DE', groupIDs: ['g1'], profile: { department: 'R&D' } }),
    );
    assert.match(created.id, /^[0-9a-f]{24}$/);
    assert.equal(created.status, 'pending');
    assert.equal(created.externalID, 'E1');
    assert.equal(created.userName, 'user1');
    assert.equal(created.firstName, 'First1');
    assert.equal(created.lastName, 'Last1');
    assert.deepEqual(
      created.emails.map(({ value, primary }) => ({ value, primary })),
      [{ value: 'user1@example.com', primary: true }],
    );
    assert.equal(created.config?.locale, 'de_DE');
    assert.deepEqual(created.groupIDs, ['g1']);
    assert.equal(created.profile?.department, 'R&D');
    assert.equal(typeof created.secret?.plain, 'string');
    const mails = await control.outbox();
    assert.deepEqual(
      mails.map(({ kind, to, userId }) => ({ kind, to, userId })),
      [{ kind: 'invitation', to: 'user1@example.com', userId: created.id }],
    );
  });

  it('sends no invitation without sendMail', async () => {
    await client.createUser(newHire(2));
    assert.deepEqual(await control.outbox(), []);
  });

  it('reads a user by id and by externalID; 404 is StaffbaseNotFoundError', async () => {
    const created = await client.createUser(newHire(3));
    assert.equal((await client.getUser(created.id)).externalID, 'E3');
    assert.equal((await client.getUser('E3')).id, created.id);
    await assert.rejects(client.getUser('nobody'), (error: unknown) => {
      assert.ok(error instanceof StaffbaseNotFoundError);
      assert.equal(error.retryable, false);
      assert.equal(error.kind, 'not-found');
      assert.equal(error.status, 404);
      assert.equal(error.staffbase?.ref, 'ERROR_NOT_FOUND');
      assert.match(
        error.message,
        /^getUser: HTTP 404 — Staffbase: "user "nobody" not found" \(ref ERROR_NOT_FOUND/,
      );
      return true;
    });
  });

  it('finds users by externalID in every status, not only activated ones', async () => {
    const pending = await client.createUser(newHire('P'));
    const active = await client.createUser(newHire('A'));
    await control.activate(active.id);
    const gone = await client.createUser(newHire('D'));
    await client.deactivateUser(gone.id);

    assert.equal((await client.findUserByExternalId('EP'))?.id, pending.id);
    assert.equal((await client.findUserByExternalId('EA'))?.id, active.id);
    const deactivated = await client.findUserByExternalId('ED');
    assert.equal(deactivated?.id, gone.id);
    assert.equal(deactivated?.status, 'deactivated');
    assert.equal(await client.findUserByExternalId('E-unknown'), undefined);

    // Never an unfiltered list: every look-up named the externalID and all three statuses.
    const queries = (await listCalls()).map((call) => new URLSearchParams(call.query).get('filter') ?? '');
    assert.equal(queries.length, 4);
    for (const filter of queries) {
      assert.match(filter, /externalId eq "E/);
      for (const status of ['pending', 'activated', 'deactivated'])
        assert.ok(filter.includes(`"${status}"`), filter);
    }
  });

  it('finds externalIDs containing quotes and backslashes exactly, and nothing for a lookalike', async () => {
    const tricky = String.raw`A"B\C`;
    const created = await client.createUser(newHire(4, { externalID: tricky }));
    await client.createUser(newHire(5, { externalID: 'A' }));
    assert.equal((await client.findUserByExternalId(tricky))?.id, created.id);
    assert.equal(await client.findUserByExternalId(String.raw`A"B`), undefined);
    // A value trying to widen the filter finds nothing instead of somebody else.
    assert.equal(await client.findUserByExternalId('x" or externalId pr or externalId eq "y'), undefined);
  });

  it('lists one page; without statuses only activated users, with statuses ANDed onto the filter', async () => {
    const a = await client.createUser(newHire(10));
    await control.activate(a.id);
    await client.createUser(newHire(11)); // pending
    const d = await client.createUser(newHire(12));
    await client.deactivateUser(d.id);

    const defaultPage = await client.listUsersPage({ offset: 0, limit: 10 });
    assert.deepEqual(
      defaultPage.users.map((user) => user.externalID),
      ['E10'],
    );
    assert.equal(defaultPage.total, 1);

    const page = await client.listUsersPage({ statuses: ['pending', 'deactivated'], offset: 0, limit: 10 });
    assert.deepEqual(page.users.map((user) => user.externalID).sort(), ['E11', 'E12']);
    assert.deepEqual(
      { total: page.total, limit: page.limit, offset: page.offset },
      { total: 2, limit: 10, offset: 0 },
    );

    const filtered = await client.listUsersPage({
      filter: 'userName eq "user12" or userName eq "user10"',
      statuses: ['deactivated'],
      offset: 0,
      limit: 10,
    });
    assert.deepEqual(
      filtered.users.map((user) => user.externalID),
      ['E12'],
    );
  });

  it('pages through many users with a small page size', async () => {
    for (let i = 0; i < 7; i++)
      await control.seedUser({ externalID: `S${i}`, userName: `seed${i}`, status: 'activated' });
    await control.seedUser({ externalID: 'SP', userName: 'seedp', status: 'pending' });
    const before = (await listCalls()).length;
    const users = await collect(client.findUsers({ pageSize: 3 }));
    assert.deepEqual(
      users.map((user) => user.externalID),
      ['S0', 'S1', 'S2', 'S3', 'S4', 'S5', 'S6'],
    );
    const calls = (await listCalls()).slice(before);
    assert.deepEqual(
      calls.map((call) => new URLSearchParams(call.query).get('offset')),
      ['0', '3', '6'],
    );

    const everyone = await collect(client.findUsers({ statuses: ['activated', 'pending'], pageSize: 2 }));
    assert.equal(everyone.length, 8);
    assert.equal(new Set(everyone.map((user) => user.id)).size, 8);

    assert.deepEqual(await collect(client.findUsers({ filter: 'userName eq "nobody"', pageSize: 2 })), []);
  });

  it('updates only the fields sent', async () => {
    const created = await client.createUser(
      newHire(20, { profile: { department: 'Sales' }, locale: 'en_US' }),
    );
    const updated = await client.updateUser(created.id, {
      lastName: 'Married',
      email: 'new20@example.com',
      locale: 'fr_FR',
      profile: { department: 'Marketing' },
    });
    assert.equal(updated.lastName, 'Married');
    assert.equal(updated.firstName, 'First20');
    assert.equal(updated.userName, 'user20');
    assert.deepEqual(
      updated.emails.map(({ value, primary }) => ({ value, primary })),
      [{ value: 'new20@example.com', primary: true }],
    );
    assert.equal(updated.config?.locale, 'fr_FR');
    assert.equal(updated.profile?.department, 'Marketing');
    assert.equal((await client.getUser(created.id)).lastName, 'Married');
    const [put] = (await control.log()).filter((call) => call.method === 'PUT');
    assert.equal(put?.path, `/api/users/${created.id}`);
  });

  it('reports duplicates as StaffbaseConflictError naming the field', async () => {
    const first = await client.createUser(newHire(30));
    const second = await client.createUser(newHire(31));
    const conflictOn = async (promise: Promise<unknown>, field: string, operation: string) =>
      assert.rejects(promise, (error: unknown) => {
        assert.ok(error instanceof StaffbaseConflictError, String(error));
        assert.equal(error.retryable, false);
        assert.equal(error.kind, 'conflict');
        assert.equal(error.status, 409);
        assert.equal(error.operation, operation);
        assert.equal(error.field, field);
        assert.match(
          error.message,
          new RegExp(`^${operation}: HTTP 409 — Staffbase: ".+" \\(ref ERROR_DUPLICATE_ENTITY`),
        );
        return true;
      });
    await conflictOn(client.createUser(newHire(32, { externalID: 'E30' })), 'externalID', 'createUser');
    await conflictOn(client.createUser(newHire(33, { userName: 'USER30' })), 'userName', 'createUser');
    await conflictOn(client.updateUser(second.id, { email: 'user30@example.com' }), 'email', 'updateUser');
    assert.equal((await client.getUser(first.id)).emails[0]?.value, 'user30@example.com');
  });

  it('reports a refused body as StaffbaseValidationError', async () => {
    await assert.rejects(client.createUser(newHire(40, { email: 'not-an-address' })), (error: unknown) => {
      assert.ok(error instanceof StaffbaseValidationError);
      assert.equal(error.retryable, false);
      assert.equal(error.kind, 'validation');
      assert.equal(error.status, 400);
      assert.match(error.message, /^createUser: HTTP 400 — Staffbase: ".+"/);
      return true;
    });
  });

  it('deactivates (ending sessions, blocking login) and reactivates', async () => {
    const created = await client.createUser(newHire(50));
    await control.activate(created.id);
    await control.login(created.id);
    const deactivated = await client.deactivateUser(created.id);
    assert.equal(deactivated.status, 'deactivated');
    assert.equal((await control.user(created.id))?.sessions, 0);
    await assert.rejects(control.login(created.id), /409/);
    const reactivated = await client.reactivateUser('E50');
    assert.equal(reactivated.status, 'activated');
    await control.login(created.id);
    assert.equal((await control.user(created.id))?.sessions, 1);
  });

  it('deletes permanently; a second delete is already-gone', async () => {
    const created = await client.createUser(newHire(60));
    assert.equal(await client.deleteUser(created.id), 'deleted');
    assert.equal(await control.user(created.id), undefined);
    await assert.rejects(client.getUser(created.id), StaffbaseNotFoundError);
    assert.equal(await client.deleteUser(created.id), 'already-gone');
    await assert.rejects(client.updateUser(created.id, { lastName: 'X' }), StaffbaseNotFoundError);
  });

  it('requests a recovery code (no body); Staffbase mails it', async () => {
    const created = await client.createUser(newHire(70));
    await control.activate(created.id);
    await client.sendRecoveryCode(created.id);
    const recoveries = await control.recoveries();
    assert.deepEqual(
      recoveries.map((recovery) => recovery.userId),
      [created.id],
    );
    const mails = await control.outbox();
    assert.deepEqual(
      mails.map(({ kind, to }) => ({ kind, to })),
      [{ kind: 'recovery', to: 'user70@example.com' }],
    );
    // A pending user has no account to recover: the simulator refuses with 400.
    const pending = await client.createUser(newHire(71));
    await assert.rejects(client.sendRecoveryCode(pending.id), StaffbaseValidationError);
    await assert.rejects(client.sendRecoveryCode('nobody'), StaffbaseNotFoundError);
  });

  it('logs a user out everywhere', async () => {
    const created = await client.createUser(newHire(80));
    await control.activate(created.id);
    await control.login(created.id);
    await control.login(created.id);
    assert.equal((await control.user(created.id))?.sessions, 2);
    await client.logoutEverywhere(created.id);
    const record = await control.user(created.id);
    assert.equal(record?.sessions, 0);
    assert.equal(record?.logoutRequests, 1);
    await assert.rejects(client.logoutEverywhere('nobody'), StaffbaseNotFoundError);
  });
});

describe('StaffbaseClient against the simulator: groups', () => {
  it('adds users to a group and lists its members page by page, by status', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const user = await client.createUser(newHire(90 + i));
      await control.activate(user.id);
      ids.push(user.id);
    }
    const pending = await client.createUser(newHire(99));
    await client.addUsersToGroup('team-a', [...ids, pending.id]);
    const [add] = (await control.log()).filter((call) => call.routeKey === 'POST /groups/:id/users');
    assert.equal(add?.status, 204);

    const activeMembers = await collect(client.listGroupMembers('team-a'));
    assert.deepEqual(activeMembers.map((user) => user.id).sort(), [...ids].sort());
    const allMembers = await collect(client.listGroupMembers('team-a', ['activated', 'pending']));
    assert.equal(allMembers.length, 6);
    assert.ok(allMembers.every((user) => user.groupIDs?.includes('team-a')));
    assert.deepEqual(await collect(client.listGroupMembers('team-b')), []);

    await assert.rejects(
      client.addUsersToGroup('team-a', ['000000000000000000000bad']),
      StaffbaseValidationError,
    );
  });
});

describe('StaffbaseClient against the simulator: filters on the wire', () => {
  const freshClients: StaffbaseClient[] = [];
  /** A client that has not decided its externalID look-up yet. */
  const freshClient = (): StaffbaseClient => {
    const fresh = new StaffbaseClient({ baseUrl: simulator.apiUrl, token: TEST_TOKEN });
    freshClients.push(fresh);
    return fresh;
  };
  after(async () => {
    await Promise.all(freshClients.map((fresh) => fresh.close()));
  });

  it('sends spaces as %20 and quotes as %22, so a tenant refusing + for a space reads it', async () => {
    await control.setShapes('filter-refuses-plus');
    const created = await client.createUser(newHire('plus1', { externalID: 'E plus "1"' }));
    assert.equal((await client.findUserByExternalId('E plus "1"'))?.id, created.id);
    const lookups = (await control.log()).filter(
      (call) => call.method === 'GET' && call.path === '/api/users',
    );
    assert.ok(lookups.length >= 1);
    for (const call of lookups) {
      assert.ok(!call.query.includes('+'), call.query);
      assert.match(call.query, /filter=.*externalId%20eq%20%22E%20plus%20%5C%22/);
    }
  });

  it('switches to GET /users/{externalID} only after the control filter is accepted', async () => {
    await control.setShapes('externalid-presence-only');
    const lookupClient = freshClient();
    const created = await client.createUser(newHire(41));
    const before = (await control.log()).length;
    const found = await withExternalIdLookupDecided(() => lookupClient.findUserByExternalId('E41'));
    assert.equal(found?.id, created.id);
    assert.equal(lookupClient.externalIdLookupMode, 'path');
    const calls = (await control.log())
      .slice(before)
      .map((call) => `${call.status} ${call.path}?${decodeURIComponent(call.query)}`);
    assert.equal(calls.length, 3);
    assert.match(calls[0] ?? '', /^400 \/api\/users\?filter=\(externalId eq "E41"\)/);
    assert.equal(calls[1], '200 /api/users?filter=staffbase.status eq "activated"&offset=0&limit=1');
    assert.equal(calls[2], '200 /api/users/E41?');
  });

  it('keeps the filter and reports the 400 when only the or of externalIDs is refused', async () => {
    await control.setShapes('externalid-or-refused');
    const lookupClient = freshClient();
    const created = await client.createUser(newHire(42));
    assert.equal((await lookupClient.findUserByExternalId('E42'))?.id, created.id);
    assert.equal(lookupClient.externalIdLookupMode, 'filter');
  });
});
