import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type SimulatorControl } from '../../simulator/control-client';
import {
  apiCaller,
  errorOf,
  startTestSimulator,
  type ApiCaller,
  useTestSimulator,
} from '../helpers/simulator';

describe('rate limit (token bucket on /api)', () => {
  let control: SimulatorControl;
  let api: ApiCaller;

  useTestSimulator((suite) => ({ control, api } = suite));

  it('answers 429 with the envelope and Retry-After in seconds once the burst is spent', async () => {
    await control.setRateLimit({ requestsPerSecond: 0.5, burst: 2, retryAfter: 'seconds' });
    assert.equal((await api('GET', '/users')).status, 200);
    assert.equal((await api('GET', '/users')).status, 200);
    const limited = await api('GET', '/users');
    assert.equal(limited.status, 429);
    assert.equal(errorOf(limited).statusCode, 429);
    assert.equal(typeof errorOf(limited).ref, 'string');
    // one token every 2 s, none left: the next one comes in at most 2 s
    assert.equal(limited.headers.get('retry-after'), '2');
    const calls = await control.log();
    assert.deepEqual(
      calls.map((call) => [call.status, call.outcome]),
      [
        [200, undefined],
        [200, undefined],
        [429, 'rate-limited'],
      ],
    );
  });

  it('gives Retry-After as an HTTP date when asked', async () => {
    await control.setRateLimit({ requestsPerSecond: 0.5, burst: 1, retryAfter: 'http-date' });
    await api('GET', '/users');
    const before = Date.now();
    const limited = await api('GET', '/users');
    assert.equal(limited.status, 429);
    const header = limited.headers.get('retry-after') ?? '';
    assert.match(header, /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    const at = Date.parse(header);
    assert.ok(at >= before + 1000 && at <= before + 3000, `${header} is 1–3 s ahead`);
  });

  it('sends no Retry-After when configured so', async () => {
    await control.setRateLimit({ requestsPerSecond: 0.5, burst: 1, retryAfter: 'none' });
    await api('GET', '/users');
    const limited = await api('GET', '/users');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), null);
  });

  it('refills tokens over time and never limits the control routes', async () => {
    await control.setRateLimit({ requestsPerSecond: 20, burst: 1 });
    assert.equal((await api('GET', '/users')).status, 200);
    assert.equal((await api('GET', '/users')).status, 429);
    for (let i = 0; i < 5; i += 1) await control.log(); // control calls spend no tokens
    await sleep(120);
    assert.equal((await api('GET', '/users')).status, 200);
  });

  it('is turned off by null and by reset', async () => {
    await control.setRateLimit({ requestsPerSecond: 0.5, burst: 1 });
    await api('GET', '/users');
    assert.equal((await api('GET', '/users')).status, 429);
    await control.setRateLimit(null);
    for (let i = 0; i < 5; i += 1) assert.equal((await api('GET', '/users')).status, 200);
    await control.setRateLimit({ requestsPerSecond: 0.5, burst: 1 });
    await api('GET', '/users');
    await control.reset();
    assert.equal((await api('GET', '/users')).status, 200);
  });

  it('rejects invalid settings with 400', async () => {
    await assert.rejects(control.setRateLimit({ requestsPerSecond: -1 }), /400/);
    await assert.rejects(control.setRateLimit({ requestsPerSecond: 1, burst: 0 }), /400/);
  });
});

describe('rate limit from the start options', () => {
  it('applies the configured limit and reset goes back to it', async () => {
    const { simulator, control, token } = await startTestSimulator({
      rateLimit: { requestsPerSecond: 0.2, burst: 1, retryAfter: 'none' },
    });
    try {
      const api = apiCaller(simulator, token);
      assert.equal((await api('GET', '/users')).status, 200);
      assert.equal((await api('GET', '/users')).status, 429);
      await control.setRateLimit(null);
      assert.equal((await api('GET', '/users')).status, 200);
      await control.reset();
      assert.equal((await api('GET', '/users')).status, 200, 'reset starts with a full bucket');
      assert.equal((await api('GET', '/users')).status, 429, 'and the start limit applies again');
    } finally {
      await simulator.close();
    }
  });
});
