/** Auth, rate limits, injected faults and token hygiene, against the simulator over real HTTP. */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { StaffbaseClient } from '../../staffbase/client';
import {
  type StaffbaseApiError,
  StaffbaseAuthError,
  StaffbaseRateLimitedError,
  StaffbaseTransientError,
  isStaffbaseApiError,
} from '../../staffbase/errors';
import { type SimulatorControl } from '../../simulator/control-client';
import { type RunningSimulator } from '../../simulator/server';
import { startTestSimulator } from '../helpers/simulator';

let simulator: RunningSimulator;
let control: SimulatorControl;
let token: string;
let client: StaffbaseClient;

before(async () => {
  const started = await startTestSimulator();
  ({ simulator, control, token } = started);
  client = new StaffbaseClient({ baseUrl: simulator.apiUrl, token });
});

after(async () => {
  await client.close();
  await simulator.close();
});

beforeEach(async () => {
  await control.reset();
  await control.seedUser({
    externalID: 'E1',
    userName: 'ada',
    firstName: 'Ada',
    lastName: 'L',
    emails: [{ value: 'ada@example.com', primary: true }],
    status: 'activated',
  });
});

async function failure(promise: Promise<unknown>): Promise<StaffbaseApiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isStaffbaseApiError(error), `expected a StaffbaseApiError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}

describe('authentication', () => {
  it('a wrong token is StaffbaseAuthError (401), not retryable', async () => {
    const wrong = new StaffbaseClient({ baseUrl: simulator.apiUrl, token: 'd3Jvbmc6dG9rZW4=' });
    try {
      const error = await failure(wrong.getUser('E1'));
      assert.ok(error instanceof StaffbaseAuthError);
      assert.equal(error.kind, 'auth');
      assert.equal(error.retryable, false);
      assert.equal(error.status, 401);
      assert.equal(error.staffbase?.ref, 'ERROR_LOGIN_REQUIRED');
      assert.equal(error.staffbase?.identifier, '40102');
    } finally {
      await wrong.close();
    }
  });

  it('sends the token as configured: its decoded form is refused, the base64 form accepted', async () => {
    const decoded = Buffer.from(token, 'base64').toString('utf8');
    const decodedClient = new StaffbaseClient({ baseUrl: simulator.apiUrl, token: decoded });
    try {
      assert.ok((await failure(decodedClient.getUser('E1'))) instanceof StaffbaseAuthError);
    } finally {
      await decodedClient.close();
    }
    assert.equal((await client.getUser('E1')).userName, 'ada');
  });
});

describe('rate limiting', () => {
  it('429 with Retry-After in seconds is StaffbaseRateLimitedError with retryAfterMs', async () => {
    await control.setRateLimit({ requestsPerSecond: 0.5, burst: 1, retryAfter: 'seconds' });
    await client.getUser('E1');
    const error = await failure(client.getUser('E1'));
    assert.ok(error instanceof StaffbaseRateLimitedError);
    assert.equal(error.kind, 'rate-limited');
    assert.equal(error.retryable, true);
    assert.equal(error.status, 429);
    assert.equal(error.retryAfterMs, 2000);
    assert.match(error.message, /^getUser: HTTP 429/);
  });

  it('429 with Retry-After as an HTTP-date gives the wait until then', async () => {
    await control.setRateLimit({ requestsPerSecond: 0.2, burst: 1, retryAfter: 'http-date' });
    await client.getUser('E1');
    const error = await failure(client.findUserByExternalId('E1'));
    assert.ok(error instanceof StaffbaseRateLimitedError);
    assert.equal(error.operation, 'findUserByExternalId');
    // 5 s to the next token, rounded up to a whole second, minus the time the answer took.
    assert.ok(
      error.retryAfterMs !== undefined && error.retryAfterMs > 3000 && error.retryAfterMs <= 6000,
      String(error.retryAfterMs),
    );
  });

  it('429 without Retry-After leaves retryAfterMs undefined', async () => {
    await control.setRateLimit({ requestsPerSecond: 0.5, burst: 1, retryAfter: 'none' });
    await client.getUser('E1');
    const error = await failure(client.deleteUser('E1'));
    assert.ok(error instanceof StaffbaseRateLimitedError);
    assert.equal(error.retryAfterMs, undefined);
    assert.equal(Object.hasOwn(error, 'retryAfterMs'), false);
    assert.ok(await control.user('E1'), 'the rate-limited delete did not happen');
  });
});

describe('transient failures', () => {
  it('an injected 5xx is StaffbaseTransientError; the next attempt succeeds', async () => {
    await control.setFaults([{ route: 'GET /users/:id', failNext: 1, errorStatus: 502 }]);
    const error = await failure(client.getUser('E1'));
    assert.ok(error instanceof StaffbaseTransientError);
    assert.equal(error.kind, 'transient');
    assert.equal(error.retryable, true);
    assert.equal(error.status, 502);
    assert.match(error.message, /^getUser: HTTP 502 — Staffbase: "injected fault: 502"/);
    assert.equal((await client.getUser('E1')).externalID, 'E1');
  });

  it('the default injected fault (503) on create is transient', async () => {
    await control.setFaults([{ route: 'POST /users', failNext: 1 }]);
    const error = await failure(
      client.createUser({
        externalID: 'E2',
        userName: 'b',
        firstName: 'B',
        lastName: 'C',
        email: 'b@x.io',
        sendMail: false,
      }),
    );
    assert.ok(error instanceof StaffbaseTransientError);
    assert.equal(error.status, 503);
  });

  it('a dropped connection is StaffbaseTransientError without a status', async () => {
    await control.setFaults([{ route: 'PUT /users/:id', dropNext: 1 }]);
    const error = await failure(client.deactivateUser('E1'));
    assert.ok(error instanceof StaffbaseTransientError);
    assert.equal(error.retryable, true);
    assert.equal(error.status, undefined);
    assert.ok(error.code, 'carries the transport error code');
    assert.match(error.message, /^deactivateUser: no response \(/);
    const [call] = (await control.log()).filter((entry) => entry.method === 'PUT');
    assert.equal(call?.outcome, 'dropped');
    assert.equal((await client.deactivateUser('E1')).status, 'deactivated');
  });

  it('a slow answer beyond requestTimeoutMs is a transient timeout', async () => {
    // undici checks its timeouts on a coarse (~0.5-1 s) clock: the latency must clearly exceed that.
    await control.setFaults([{ route: 'GET /users', latencyMs: 3000 }]);
    const impatient = new StaffbaseClient({ baseUrl: simulator.apiUrl, token, requestTimeoutMs: 150 });
    try {
      const error = await failure(impatient.listUsersPage({ offset: 0, limit: 10 }));
      assert.ok(error instanceof StaffbaseTransientError);
      assert.equal(error.code, 'UND_ERR_HEADERS_TIMEOUT');
      assert.match(error.message, /^listUsersPage: no response \(UND_ERR_HEADERS_TIMEOUT/);
    } finally {
      await impatient.close();
    }
  });

  it('a failure in the middle of paging surfaces from the iteration', async () => {
    for (let i = 2; i < 6; i++)
      await control.seedUser({ externalID: `E${i}`, userName: `u${i}`, status: 'activated' });
    // The first page passes; once it is consumed, the next page request fails.
    const seen: string[] = [];
    const iterate = async () => {
      for await (const user of client.findUsers({ pageSize: 2 })) {
        seen.push(user.id);
        if (seen.length === 2)
          await control.setFaults([{ route: 'GET /users', failNext: 1, errorStatus: 500 }]);
      }
    };
    const error = await failure(iterate());
    assert.ok(error instanceof StaffbaseTransientError);
    assert.equal(error.operation, 'findUsers');
    assert.equal(seen.length, 2);
  });
});

describe('token hygiene', () => {
  it('the token appears in no error message, property, cause or console output', async () => {
    const written: string[] = [];
    const restore: (() => void)[] = [];
    // Record everything printed while the failures happen (and still print it).
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write.bind(stream);
      stream.write = (...args: unknown[]) => {
        const [chunk] = args;
        written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
        return Reflect.apply(original, stream, args) as boolean;
      };
      restore.push(() => (stream.write = original));
    }
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      const original = console[method].bind(console);
      console[method] = (...args: unknown[]) => {
        written.push(inspect(args));
        original(...args);
      };
      restore.push(() => (console[method] = original));
    }

    const errors: StaffbaseApiError[] = [];
    const impatient = new StaffbaseClient({ baseUrl: simulator.apiUrl, token, requestTimeoutMs: 100 });
    const wrongToken = Buffer.from(`${Buffer.from(token, 'base64').toString('utf8')}x`).toString('base64');
    const wrong = new StaffbaseClient({ baseUrl: simulator.apiUrl, token: wrongToken });
    try {
      errors.push(await failure(wrong.getUser('E1')));
      errors.push(await failure(client.getUser('nobody')));
      errors.push(
        await failure(
          client.createUser({
            externalID: 'E1',
            userName: 'x',
            firstName: 'X',
            lastName: 'Y',
            email: 'x@y.io',
            sendMail: false,
          }),
        ),
      );
      await control.setFaults([
        { route: 'DELETE /users/:id', dropNext: 1 },
        { route: 'PUT /users/:id', failNext: 1 },
        { route: 'POST /users/:id/recovery', latencyMs: 3000 },
      ]);
      errors.push(await failure(client.deleteUser('E1')));
      errors.push(await failure(client.updateUser('E1', { lastName: 'Z' })));
      errors.push(await failure(impatient.sendRecoveryCode('E1')));
      await control.setFaults([]);
      await control.setRateLimit({ requestsPerSecond: 0.5, burst: 1 });
      await client.getUser('E1');
      errors.push(await failure(client.getUser('E1')));
    } finally {
      for (const undo of restore) undo();
      await impatient.close();
      await wrong.close();
    }

    assert.deepEqual(
      errors.map((error) => error.kind),
      ['auth', 'not-found', 'conflict', 'transient', 'transient', 'transient', 'rate-limited'],
    );
    const secret = Buffer.from(token, 'base64').toString('utf8').split(':')[1] ?? '';
    assert.ok(secret.length > 0);
    for (const error of errors) {
      const views = [
        error.message,
        String(error.stack),
        JSON.stringify(error),
        inspect(error, { showHidden: true, depth: Infinity }),
        inspect(error.cause, { showHidden: true, depth: Infinity }),
        JSON.stringify(
          Object.getOwnPropertyNames(error).map(
            (name) => (error as unknown as Record<string, unknown>)[name],
          ),
        ),
      ];
      for (const view of views) {
        for (const leaked of [token, wrongToken, secret, 'Basic ']) {
          assert.equal(
            view.includes(leaked),
            false,
            `${error.name} leaks ${leaked === 'Basic ' ? 'an auth header' : 'the token'}`,
          );
        }
      }
    }
    assert.equal(inspect(client, { showHidden: true, depth: Infinity }).includes(token), false);
    for (const chunk of written) assert.equal(chunk.includes(token) || chunk.includes(secret), false);
  });
});
