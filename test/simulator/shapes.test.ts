/** The simulator's response shapes (simulator/shapes.ts) on the wire, and how they are chosen. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SHAPE_PROFILES, parseShapes } from '../../simulator/shapes';
import { type SimulatorSuite, startTestSimulator, useTestSimulator, apiCaller } from '../helpers/simulator';

const newUser = {
  externalID: 'E1',
  userName: 'ada',
  firstName: 'Ada',
  lastName: 'Lovelace',
  emails: [{ value: 'ada@example.com', primary: true }],
};

describe('simulator response shapes', () => {
  let suite: SimulatorSuite;
  useTestSimulator((started) => (suite = started));

  it('answers in the plain shapes by default', async () => {
    assert.deepEqual(await suite.control.shapes(), { profile: 'default', variants: [] });
    const created = await suite.api<Record<string, unknown>>('POST', '/users', { body: newUser });
    assert.equal(created.status, 201);
    assert.equal(created.body.role, 'reader');
    assert.equal(typeof created.body.created, 'string');
  });

  it('role-object and epoch-timestamps shape every user the API returns', async () => {
    await suite.control.setShapes(['role-object', 'epoch-timestamps']);
    const created = await suite.api<Record<string, unknown>>('POST', '/users', { body: newUser });
    assert.deepEqual(created.body.role, { type: 'reader' });
    assert.equal(typeof created.body.created, 'number');
    const id = String(created.body.id);
    await suite.control.activate(id);
    const read = await suite.api<Record<string, unknown>>('GET', `/users/${id}`);
    assert.equal(typeof read.body.activated, 'number');
    const list = await suite.api<{ data: Record<string, unknown>[] }>('GET', '/users');
    assert.deepEqual(list.body.data[0]?.role, { type: 'reader' });
    const updated = await suite.api<Record<string, unknown>>('PUT', `/users/${id}`, {
      body: { lastName: 'B' },
    });
    assert.equal(typeof updated.body.updated, 'number');
    // The control routes show the stored record as is.
    assert.equal((await suite.control.user(id))?.role, 'reader');
  });

  it('create-location-only and create-no-content answer without a body, with Location', async () => {
    for (const [variant, status] of [
      ['create-location-only', 201],
      ['create-no-content', 204],
    ] as const) {
      await suite.control.reset();
      await suite.control.setShapes(variant);
      const created = await suite.api('POST', '/users', { body: newUser });
      assert.equal(created.status, status);
      assert.equal(created.body, undefined);
      const users = await suite.control.users();
      assert.equal(users.length, 1);
      assert.equal(created.headers.get('location'), `/api/users/${users[0]?.id}`);
    }
  });

  it('unmanaged-users puts a contact and a deleted user into every list, counted and paged', async () => {
    await suite.control.seedUser({ externalID: 'S1', userName: 's1' });
    await suite.control.setShapes('unmanaged-users');
    const list = await suite.api<{ total: number; data: { status: string }[] }>('GET', '/users');
    assert.equal(list.body.total, 3);
    assert.deepEqual(
      list.body.data.map((user) => user.status),
      ['activated', 'contact', 'deleted'],
    );
    const second = await suite.api<{ data: { externalID: string }[] }>('GET', '/users?offset=1&limit=1');
    assert.deepEqual(
      second.body.data.map((user) => user.externalID),
      ['sim-contact-1'],
    );
    const contact = await suite.api<{ status: string }>('GET', '/users/sim-contact-1');
    assert.equal(contact.body.status, 'contact');
  });

  it('externalid-presence-only refuses externalId eq with a 400 and keeps pr', async () => {
    await suite.control.setShapes('externalid-presence-only');
    const refused = await suite.api('GET', `/users?filter=${encodeURIComponent('externalId eq "E1"')}`);
    assert.equal(refused.status, 400);
    const presence = await suite.api('GET', `/users?filter=${encodeURIComponent('externalId pr')}`);
    assert.equal(presence.status, 200);
  });

  it('filter-refuses-plus refuses a filter whose spaces arrive as + and reads %20', async () => {
    await suite.control.setShapes('filter-refuses-plus');
    const form = new URLSearchParams({ filter: 'staffbase.status eq "activated"' }).toString();
    assert.match(form, /\+eq\+/);
    const refused = await suite.api<{ message: string }>('GET', `/users?${form}`);
    assert.equal(refused.status, 400);
    assert.match(refused.body.message, /%20/);
    const encoded = await suite.api(
      'GET',
      `/users?filter=${encodeURIComponent('staffbase.status eq "activated"')}`,
    );
    assert.equal(encoded.status, 200);
    // A literal + inside a value arrives as %2B and is read.
    const plusInValue = await suite.api('GET', `/users?filter=${encodeURIComponent('externalId eq "a+b"')}`);
    assert.equal(plusInValue.status, 200);
    await suite.control.setShapes('default');
    assert.equal((await suite.api('GET', `/users?${form}`)).status, 200);
  });

  it('externalid-or-refused refuses `or` between externalId conditions and keeps `or` between statuses', async () => {
    await suite.control.setShapes('externalid-or-refused');
    const anyOf =
      '(externalId eq "a or externalId eq" or externalId eq "b") and (staffbase.status eq "activated")';
    assert.equal((await suite.api('GET', `/users?filter=${encodeURIComponent(anyOf)}`)).status, 400);
    const one =
      '(externalId eq "a or externalId eq b") and (staffbase.status eq "activated" or staffbase.status eq "pending")';
    assert.equal((await suite.api('GET', `/users?filter=${encodeURIComponent(one)}`)).status, 200);
  });

  it('reset goes back to the start shapes; unknown shapes are a 400', async () => {
    await suite.control.setShapes('all-variants');
    assert.equal((await suite.control.shapes()).profile, 'all-variants');
    await suite.control.reset();
    assert.deepEqual((await suite.control.shapes()).variants, []);
    await assert.rejects(suite.control.setShapes('role-objekt'), /400.*unknown shape "role-objekt"/);
    await assert.rejects(
      suite.control.setShapes(['create-no-content', 'create-location-only']),
      /exclude each other/,
    );
  });
});

describe('choosing shapes', () => {
  it('parses profile names and comma lists, in a fixed order', () => {
    assert.deepEqual(parseShapes(' epoch-timestamps , role-object '), ['role-object', 'epoch-timestamps']);
    assert.deepEqual(parseShapes('default'), []);
    assert.deepEqual(parseShapes(undefined), []);
    assert.ok((SHAPE_PROFILES['all-variants'] ?? []).length >= 5);
    assert.throws(() => parseShapes('nope'), /unknown shape "nope"/);
  });

  it('startTestSimulator takes the shapes as its start value', async () => {
    const { simulator, control, token } = await startTestSimulator({ shapes: 'role-object' });
    try {
      assert.deepEqual(await control.shapes(), { profile: 'role-object', variants: ['role-object'] });
      await control.seedUser({ externalID: 'S1', userName: 's1' });
      const list = await apiCaller(simulator, token)<{ data: { role: unknown }[] }>('GET', '/users');
      assert.deepEqual(list.body.data[0]?.role, { type: 'reader' });
      await control.reset();
      assert.deepEqual((await control.shapes()).variants, ['role-object']);
    } finally {
      await simulator.close();
    }
  });
});
