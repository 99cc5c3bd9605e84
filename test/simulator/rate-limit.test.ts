import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type SimulatorControl } from '../../simulator/control-client';
import { RateLimiter } from '../../simulator/rate-limit';
import {
  apiCaller,
  errorOf,
  startTestSimulator,
  type ApiCaller,
  useTestSimulator,
} from '../helpers/simulator';

/** The bucket on a clock the test moves: refill and Retry-After to the millisecond, no waiting. */
describe('rate limiter (token bucket, test clock)', () => {
  it('refills continuously and says when the next token comes', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter({ requestsPerSecond: 0.5, burst: 2, retryAfter: 'seconds' }, () => now);
    assert.deepEqual(limiter.take(), { allowed: true });
    assert.deepEqual(limiter.take(), { allowed: true });
    // one token every 2 s, none left: the next one comes in 2 s
    assert.deepEqual(limiter.take(), { allowed: false, retryAfterHeader: '2' });
    now += 1_500;
    // three quarters of a token: 0.5 s more, rounded up to a whole second
    assert.deepEqual(limiter.take(), { allowed: false, retryAfterHeader: '1' });
    now += 500;
    assert.deepEqual(limiter.take(), { allowed: true });
    now += 60_000;
    assert.deepEqual(limiter.take(), { allowed: true });
    assert.deepEqual(limiter.take(), { allowed: true }, 'the bucket holds the burst');
    assert.equal(limiter.take().allowed, false, 'and no more');
  });

  it('refills at 20 per second: 50 ms bring the next token', () => {
    let now = 0;
    const limiter = new RateLimiter({ requestsPerSecond: 20, burst: 1 }, () => now);
    assert.equal(limiter.take().allowed, true);
    now += 49;
    assert.equal(limiter.take().allowed, false);
    now += 1;
    assert.equal(limiter.take().allowed, true);
  });

  it('gives Retry-After as an HTTP date, rounded up to the second', () => {
    const now = Date.parse('2030-01-15T10:00:00.250Z');
    const limiter = new RateLimiter({ requestsPerSecond: 0.5, burst: 1, retryAfter: 'http-date' }, () => now);
    limiter.take();
    assert.deepEqual(limiter.take(), { allowed: false, retryAfterHeader: 'Tue, 15 Jan 2030 10:00:03 GMT' });
  });
});

/**
 * Over HTTP the bucket runs on the real clock, so these refill so slowly (a token every 1,000 s) that
 * no token can come back during a test: each answer depends on the calls made, never on their timing.
 */
const slow = 0.001;

describe('rate limit (token bucket on /api)', () => {
  let control: SimulatorControl;
  let api: ApiCaller;

  useTestSimulator((suite) => ({ control, api } = suite));

  it('answers 429 with the envelope and Retry-After in seconds once the burst is spent', async () => {
    await control.setRateLimit({ requestsPerSecond: slow, burst: 2, retryAfter: 'seconds' });
    assert.equal((await api('GET', '/users')).status, 200);
    assert.equal((await api('GET', '/users')).status, 200);
    const limited = await api('GET', '/users');
    assert.equal(limited.status, 429);
    assert.equal(errorOf(limited).statusCode, 429);
    assert.equal(typeof errorOf(limited).ref, 'string');
    // one token every 1,000 s, none left (a test takes far less than a second of it)
    assert.equal(limited.headers.get('retry-after'), '1000');
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
    await control.setRateLimit({ requestsPerSecond: slow, burst: 1, retryAfter: 'http-date' });
    await api('GET', '/users');
    const before = Date.now();
    const limited = await api('GET', '/users');
    const after = Date.now();
    assert.equal(limited.status, 429);
    const header = limited.headers.get('retry-after') ?? '';
    assert.match(header, /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    const at = Date.parse(header);
    // The token comes 1,000 s after the first call, rounded up to the second.
    assert.ok(at >= before + 999_000 && at <= after + 1_001_000, `${header} is about 1,000 s ahead`);
  });

  it('sends no Retry-After when configured so', async () => {
    await control.setRateLimit({ requestsPerSecond: slow, burst: 1, retryAfter: 'none' });
    await api('GET', '/users');
    const limited = await api('GET', '/users');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), null);
  });

  it('never limits the control routes', async () => {
    await control.setRateLimit({ requestsPerSecond: slow, burst: 2 });
    assert.equal((await api('GET', '/users')).status, 200);
    for (let i = 0; i < 5; i += 1) await control.log(); // control calls spend no tokens
    assert.equal((await api('GET', '/users')).status, 200, 'the second token is still there');
    assert.equal((await api('GET', '/users')).status, 429);
  });

  it('is turned off by null and by reset', async () => {
    await control.setRateLimit({ requestsPerSecond: slow, burst: 1 });
    await api('GET', '/users');
    assert.equal((await api('GET', '/users')).status, 429);
    await control.setRateLimit(null);
    for (let i = 0; i < 5; i += 1) assert.equal((await api('GET', '/users')).status, 200);
    await control.setRateLimit({ requestsPerSecond: slow, burst: 1 });
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
      rateLimit: { requestsPerSecond: slow, burst: 1, retryAfter: 'none' },
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
