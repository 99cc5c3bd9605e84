/**
 * The simulator's placement shapes (simulator/shapes.ts): system profile fields refused where the
 * user model does not keep them, stored where they were sent, and a PUT's `profile` merged or replaced.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseShapes } from '../../simulator/shapes';
import { type SimulatorSuite, errorOf, useTestSimulator } from '../helpers/simulator';

let seq = 0;
const newUser = (extra: Record<string, unknown>) => {
  seq += 1;
  return {
    externalID: `P${seq}`,
    userName: `placement${seq}`,
    firstName: 'Ada',
    lastName: 'Lovelace',
    emails: [{ value: `placement${seq}@example.com`, primary: true }],
    ...extra,
  };
};

describe('simulator placement shapes', () => {
  let suite: SimulatorSuite;
  useTestSimulator((started) => (suite = started));

  it('by default keeps each system field where it was sent, and merges a PUT profile', async () => {
    const created = await suite.api<Record<string, unknown>>('POST', '/users', {
      body: newUser({ department: 'R&D', profile: { position: 'Lead', costCenter: '42' } }),
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.department, 'R&D');
    assert.deepEqual(created.body.profile, { position: 'Lead', costCenter: '42' });
    const id = String(created.body.id);
    const updated = await suite.api<Record<string, unknown>>('PUT', `/users/${id}`, {
      body: { department: null, location: 'Bonn', profile: { badge: '7' } },
    });
    assert.equal(updated.body.department, undefined, 'null removes a top-level system field');
    assert.equal(updated.body.location, 'Bonn');
    assert.deepEqual(updated.body.profile, { position: 'Lead', costCenter: '42', badge: '7' });
  });

  it('placement-top-level refuses a system field under profile (naming it) and replaces profile on PUT', async () => {
    await suite.control.setShapes('placement-top-level');
    const refused = await suite.api('POST', '/users', { body: newUser({ profile: { phoneNumber: '1' } }) });
    assert.equal(refused.status, 400);
    assert.match(errorOf(refused).message ?? '', /profile\.phoneNumber/);
    assert.equal((await suite.control.users()).length, 0, 'nothing created');
    const created = await suite.api<Record<string, unknown>>('POST', '/users', {
      body: newUser({ phoneNumber: '1', profile: { costCenter: '42', badge: '7' } }),
    });
    const id = String(created.body.id);
    const updated = await suite.api<Record<string, unknown>>('PUT', `/users/${id}`, {
      body: { profile: { costCenter: '43' } },
    });
    assert.deepEqual(updated.body.profile, { costCenter: '43' }, 'the fields not sent are gone');
    assert.equal(updated.body.phoneNumber, '1', 'top-level fields are not part of profile');
  });

  it('placement-profile refuses a system field at the top level (naming it); nothing changes', async () => {
    await suite.control.setShapes('placement-profile');
    const created = await suite.api<Record<string, unknown>>('POST', '/users', {
      body: newUser({ profile: { publicEmailAddress: 'desk@example.com', costCenter: '42' } }),
    });
    assert.equal(created.status, 201);
    const id = String(created.body.id);
    const refused = await suite.api('PUT', `/users/${id}`, { body: { lastName: 'X', position: 'Lead' } });
    assert.equal(refused.status, 400);
    assert.match(errorOf(refused).message ?? '', /\bposition\b/);
    assert.equal((await suite.control.user(id))?.lastName, 'Lovelace', 'a refused PUT changes nothing');
  });

  it('the two placements exclude each other', () => {
    assert.throws(
      () => parseShapes('system-fields-top-level,system-fields-in-profile'),
      /exclude each other/,
    );
    assert.deepEqual(parseShapes('placement-top-level'), ['system-fields-top-level', 'profile-put-replaces']);
  });
});
