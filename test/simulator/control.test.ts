import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type SimulatorControl } from '../../simulator/control-client';
import { type RunningSimulator } from '../../simulator/server';
import { apiCaller, startTestSimulator, type ApiCaller } from '../helpers/simulator';

let simulator: RunningSimulator;
let control: SimulatorControl;
let api: ApiCaller;
let token: string;

before(async () => {
  const started = await startTestSimulator();
  simulator = started.simulator;
  control = started.control;
  token = started.token;
  api = apiCaller(simulator, token);
});
after(async () => {
  await simulator?.close();
});
beforeEach(async () => {
  await control.reset();
});

describe('control routes', () => {
  it('records method, path, query, route key, status and time — never the Authorization header', async () => {
    await api('GET', '/users?limit=5');
    await api('GET', '/users', { token: 'd3Jvbmc6dG9rZW4=' });
    await api('GET', '/users/abc');
    const raw = await (await fetch(`${simulator.baseUrl}/_simulator/log`)).text();
    assert.ok(!raw.includes(token), 'the token is not in the log');
    assert.ok(!raw.includes('d3Jvbmc6dG9rZW4='), 'a wrong token is not in the log either');
    assert.ok(!/authorization|basic/i.test(raw));
    const calls = await control.log();
    assert.deepEqual(
      calls.map(({ method, path, query, routeKey, status }) => ({ method, path, query, routeKey, status })),
      [
        { method: 'GET', path: '/api/users', query: 'limit=5', routeKey: 'GET /users', status: 200 },
        { method: 'GET', path: '/api/users', query: '', routeKey: 'GET /users', status: 401 },
        { method: 'GET', path: '/api/users/abc', query: '', routeKey: 'GET /users/:id', status: 404 },
      ],
    );
    for (const call of calls) assert.ok(!Number.isNaN(Date.parse(call.time)));
  });

  it('counts every API call, until a reset', async () => {
    await api('GET', '/users?limit=5');
    await api('GET', '/users/abc');
    await control.users();
    assert.equal(await control.callCount(), 2, 'control calls are not counted');
    await control.reset();
    assert.equal(await control.callCount(), 0);
  });

  it('needs no token and does not log its own calls', async () => {
    const response = await fetch(`${simulator.baseUrl}/_simulator/health`);
    assert.equal(response.status, 200);
    await control.users();
    assert.deepEqual(await control.log(), []);
  });

  it('seeds users with any status, creation type and dates, enforcing uniqueness', async () => {
    const seeded = await control.seedUser({
      id: 'abcdefabcdefabcdefabcdef',
      externalID: 'S-1',
      userName: 'seeded',
      status: 'deactivated',
      creationType: 'scim',
      created: '2020-05-05T05:05:05.000Z',
    });
    assert.equal(seeded.id, 'abcdefabcdefabcdefabcdef');
    assert.equal(seeded.status, 'deactivated');
    assert.equal(seeded.creationType, 'scim');
    assert.equal(seeded.created, '2020-05-05T05:05:05.000Z');
    assert.ok(seeded.deactivated);
    await assert.rejects(control.seedUser({ userName: 'SEEDED' }), /409/);
    await assert.rejects(control.seedUser({ id: 'abcdefabcdefabcdefabcdef' }), /409/);
    await assert.rejects(control.seedUser({ created: 'last tuesday' }), /400.*created/);
  });

  it('reports unknown users as undefined and refuses to activate them with 404', async () => {
    assert.equal(await control.user('nobody'), undefined);
    await assert.rejects(control.activate('nobody'), /404/);
    await assert.rejects(control.login('nobody'), /404/);
  });

  it('reset removes users, calls and mails', async () => {
    await api('POST', '/users', {
      body: {
        externalID: 'r',
        firstName: 'R',
        lastName: 'R',
        emails: [{ value: 'r@example.com' }],
        sendMail: true,
      },
    });
    assert.equal((await control.outbox()).length, 1);
    await control.reset();
    assert.deepEqual(await control.users(), []);
    assert.deepEqual(await control.outbox(), []);
    assert.deepEqual(await control.log(), []);
  });
});
