import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type SimulatorControl } from '../../simulator/control-client';
import { errorOf, type ApiCaller, useTestSimulator } from '../helpers/simulator';

let control: SimulatorControl;
let api: ApiCaller;

useTestSimulator((suite) => ({ control, api } = suite));

const body = (n: number) => ({
  externalID: `F-${n}`,
  firstName: 'F',
  lastName: `${n}`,
  emails: [{ value: `f${n}@example.com` }],
});

async function elapsed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

describe('injected faults', () => {
  it('fails exactly the next N calls of one route with the chosen 5xx, other routes untouched', async () => {
    await control.setFaults([{ route: 'POST /users', failNext: 2, errorStatus: 502 }]);
    const first = await api('POST', '/users', { body: body(1) });
    assert.equal(first.status, 502);
    assert.equal(errorOf(first).statusCode, 502);
    assert.equal((await api('GET', '/users')).status, 200, 'GET /users is another route');
    assert.equal((await api('POST', '/users', { body: body(1) })).status, 502);
    assert.equal((await api('POST', '/users', { body: body(1) })).status, 201);
    assert.equal((await control.users()).length, 1, 'failed calls created nothing');
    const [state] = await control.faults();
    assert.equal(state?.failNext, 0);
    assert.equal(state?.matched, 3);
    const outcomes = (await control.log()).map((call) =>
      `${call.routeKey} ${call.status} ${call.outcome ?? ''}`.trim(),
    );
    assert.deepEqual(outcomes, [
      'POST /users 502 fault',
      'GET /users 200',
      'POST /users 502 fault',
      'POST /users 201',
    ]);
  });

  it('answers every call with errorRate 1 and 503 by default, for the * route', async () => {
    await control.setFaults([{ route: '*', errorRate: 1 }]);
    for (const [method, path] of [
      ['GET', '/users'],
      ['GET', '/users/x'],
      ['DELETE', '/users/x/sessions'],
    ] as const) {
      assert.equal((await api(method, path)).status, 503, `${method} ${path}`);
    }
  });

  it('repeats a rate-based fault sequence exactly for the same seed', async () => {
    const run = async (): Promise<number[]> => {
      await control.setFaults([{ route: 'GET /users', errorRate: 0.5, errorStatus: 500 }], { seed: 42 });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i += 1) statuses.push((await api('GET', '/users')).status);
      return statuses;
    };
    const first = await run();
    const second = await run();
    assert.deepEqual(second, first);
    assert.ok(first.includes(500) && first.includes(200), `a mix of 200 and 500: ${first.join(',')}`);
  });

  it('adds latency to the matching route only', async () => {
    const created = await api<{ id: string }>('POST', '/users', { body: body(1) });
    await control.setFaults([{ route: 'GET /users/:id', latencyMs: 300 }]);
    const slow = await elapsed(async () =>
      assert.equal((await api('GET', `/users/${created.body.id}`)).status, 200),
    );
    assert.equal((await api('GET', '/users')).status, 200);
    // A lower bound only (a sleep never ends early); that the other route was not delayed is read
    // from the fault's own count, not from a stopwatch a loaded machine can push past any bound.
    assert.ok(slow >= 290, `slow call took ${slow} ms`);
    const [latency] = await control.faults();
    assert.equal(latency?.matched, 1, 'the latency applied to GET /users/:id only, not to GET /users');
  });

  it('drops the connection without an answer, then recovers', async () => {
    await control.setFaults([{ route: 'GET /users', dropNext: 1 }]);
    await assert.rejects(api('GET', '/users'));
    assert.equal((await api('GET', '/users')).status, 200);
    const calls = await control.log();
    assert.equal(calls[0]?.status, 0);
    assert.equal(calls[0]?.outcome, 'dropped');
    assert.equal(calls[1]?.status, 200);
  });

  it('drops before the route runs, so a dropped DELETE deleted nothing', async () => {
    const created = await api<{ id: string }>('POST', '/users', { body: body(1) });
    await control.setFaults([{ route: 'DELETE /api/users/:userID', dropRate: 1 }]);
    await assert.rejects(api('DELETE', `/users/${created.body.id}`));
    assert.ok(await control.user(created.body.id), 'the user is still there');
  });

  it('is cleared by an empty fault list and by reset', async () => {
    await control.setFaults([{ route: '*', errorRate: 1 }]);
    assert.equal((await api('GET', '/users')).status, 503);
    await control.setFaults([]);
    assert.equal((await api('GET', '/users')).status, 200);
    await control.setFaults([{ route: '*', errorRate: 1 }]);
    await control.reset();
    assert.equal((await api('GET', '/users')).status, 200);
    assert.deepEqual(await control.faults(), []);
  });

  it('rejects invalid fault settings with 400', async () => {
    await assert.rejects(control.setFaults([{ route: '*', errorRate: 2 }]), /400/);
    await assert.rejects(control.setFaults([{ route: '*', errorStatus: 302 }]), /400/); // 4xx and 5xx only
    await assert.rejects(control.setFaults([{ route: '', failNext: 1 }]), /400/);
  });
});
