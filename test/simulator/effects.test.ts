import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type SimulatorControl } from '../../simulator/control-client';
import { type ApiCaller, useTestSimulator } from '../helpers/simulator';

let control: SimulatorControl;
let api: ApiCaller;

useTestSimulator((suite) => ({ control, api } = suite));

const newHire = (n: number) => ({
  externalID: `E-${n}`,
  firstName: 'E',
  lastName: `${n}`,
  emails: [{ value: `e${n}@example.com` }],
});

describe('effects record and lost replies', () => {
  it('records what the tenant did, with the status before, whoever asked', async () => {
    const created = await api<{ id: string }>('POST', '/users', { body: newHire(1) });
    const id = created.body.id;
    await control.activate(id);
    await api('DELETE', `/users/${id}/sessions`);
    await api('PUT', `/users/${id}`, { body: { status: 'deactivated' } });
    await control.setStatusByHand(id, 'activated');
    await control.setStatusByHand(id, 'deactivated');
    await api('DELETE', `/users/${id}`);
    const effects = (await control.effects()).map((e) => `${e.kind} ${e.statusBefore} ${e.via}`);
    assert.deepEqual(effects, [
      'created null api',
      'activated pending user',
      'logged-out activated api',
      'deactivated activated api',
      'reactivated deactivated studio',
      'deactivated activated studio',
      'deleted deactivated api',
    ]);
    assert.ok((await control.effects()).every((effect) => effect.externalID === 'E-1'));
  });

  it('shows when a user was deactivated in the API user, and clears it on reactivation', async () => {
    const { body: user } = await api<{ id: string; deactivated: string | null }>('POST', '/users', {
      body: newHire(2),
    });
    assert.equal(user.deactivated, null);
    const deactivated = await api<{ deactivated: string | null }>('PUT', `/users/${user.id}`, {
      body: { status: 'deactivated' },
    });
    assert.match(deactivated.body.deactivated ?? '', /^\d{4}-\d{2}-\d{2}T/);
    const read = await api<{ deactivated: string | null }>('GET', `/users/${user.id}`);
    assert.equal(read.body.deactivated, deactivated.body.deactivated);
    const reactivated = await api<{ deactivated: string | null }>('PUT', `/users/${user.id}`, {
      body: { status: 'activated' },
    });
    assert.equal(reactivated.body.deactivated, null);
  });

  it('applies a request and then answers 5xx (lostReplyNext): the effect happened, the client saw a failure', async () => {
    await control.setFaults([{ route: 'POST /users', lostReplyNext: 1, errorStatus: 502 }]);
    const first = await api('POST', '/users', { body: newHire(3) });
    assert.equal(first.status, 502);
    assert.equal(first.headers.get('location'), null, 'a lost reply carries no Location');
    assert.equal((await control.users()).length, 1, 'the user was created all the same');
    const retry = await api('POST', '/users', { body: newHire(3) });
    assert.equal(retry.status, 409, 'a blind retry meets the account the lost request made');
    const [call] = await control.log();
    assert.equal(call?.outcome, 'reply-lost');
    assert.equal(call?.status, 502);
  });

  it('applies a request and then drops the connection (lostReplyAs drop)', async () => {
    const { body: user } = await api<{ id: string }>('POST', '/users', { body: newHire(4) });
    await control.setFaults([{ route: 'DELETE /users/:id', lostReplyNext: 1, lostReplyAs: 'drop' }]);
    await assert.rejects(api('DELETE', `/users/${user.id}`), 'the client sees a dead connection');
    assert.equal(await control.user(user.id), undefined, 'the user is deleted all the same');
    const deletes = (await control.effects()).filter((effect) => effect.kind === 'deleted');
    assert.equal(deletes.length, 1);
    const lost = (await control.log()).find((call) => call.routeKey === 'DELETE /users/:id');
    assert.equal(lost?.outcome, 'reply-lost');
    assert.equal(lost?.status, 0);
  });

  it('loses replies at a seeded rate, the same ones for the same seed', async () => {
    const run = async (): Promise<number[]> => {
      await control.reset();
      await control.setFaults([{ route: 'GET /users', lostReplyRate: 0.5 }], { seed: 7 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await api('GET', '/users')).status);
      return statuses;
    };
    const first = await run();
    assert.ok(first.includes(503) && first.includes(200), `mixed answers: ${first.join(',')}`);
    assert.deepEqual(await run(), first);
  });

  it('forgets effects on reset', async () => {
    await api('POST', '/users', { body: newHire(5) });
    assert.equal((await control.effects()).length, 1);
    await control.reset();
    assert.deepEqual(await control.effects(), []);
  });
});
