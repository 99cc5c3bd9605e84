/**
 * The client against a scripted local `node:http` server: wire details (headers, paths, bodies) and
 * failures the simulator is not meant to produce (bodies that break the schema, non-JSON, hangs,
 * dropped connections mid-response, redirects).
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { StaffbaseClient } from '../../staffbase/client';
import { resolveClientConfig } from '../../staffbase/config';
import {
  StaffbaseMalformedResponseError,
  StaffbaseResponseTooLargeError,
  StaffbaseTransientError,
  StaffbaseUnreadableWriteError,
  StaffbaseValidationError,
} from '../../staffbase/errors';
import { version } from '../../package.json';
import { type Handler, type LocalServer, json, startLocalServer, user } from './local-server';

const token = Buffer.from('5c1b6a2f9f1e2a0001a1b2c3:s3cr3t-value-for-tests').toString('base64');

let server: LocalServer | undefined;
let client: StaffbaseClient | undefined;

async function setup(
  handler: Handler,
  options: { requestTimeoutMs?: number; userAgent?: string; maxResponseBytes?: number } = {},
) {
  server = await startLocalServer(handler);
  client = new StaffbaseClient({ baseUrl: server.apiUrl, token, ...options });
  return { server, client };
}

afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

describe('StaffbaseClient on the wire', () => {
  it('sends the token as is, a descriptive User-Agent, JSON Accept/Content-Type, under the base path', async () => {
    const { server, client } = await setup((_req, res) => json(res, 201, user()));
    await client.createUser({
      externalID: 'E1',
      userName: 'ada',
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
      sendMail: true,
    });
    const [request] = server.requests;
    assert.ok(request);
    assert.equal(request.method, 'POST');
    assert.equal(request.url, '/api/users');
    assert.equal(request.headers.authorization, `Basic ${token}`);
    assert.equal(request.headers.accept, 'application/json');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers['user-agent'], `staffbase-lifecycle/${version}`);
    assert.deepEqual(JSON.parse(request.body), {
      externalID: 'E1',
      userName: 'ada',
      firstName: 'Ada',
      lastName: 'Lovelace',
      emails: [{ value: 'ada@example.com', primary: true }],
      sendMail: true,
    });
  });

  it('uses a configured User-Agent, and sends no body or Content-Type where there is none', async () => {
    const { server, client } = await setup((_req, res) => res.writeHead(204).end(), {
      userAgent: 'acme-hr/2.0',
    });
    await client.sendRecoveryCode('u/1');
    const [request] = server.requests;
    assert.equal(request?.headers['user-agent'], 'acme-hr/2.0');
    assert.equal(request?.url, '/api/users/u%2F1/recovery');
    assert.equal(request?.body, '');
    assert.equal(request?.headers['content-type'], undefined);
  });

  it('puts filter, offset and limit in the query, URL-encoded', async () => {
    const { server, client } = await setup((_req, res) =>
      json(res, 200, { total: 0, limit: 5, offset: 10, data: [] }),
    );
    await client.listUsersPage({ filter: 'userName eq "a&b"', statuses: ['pending'], offset: 10, limit: 5 });
    const url = new URL(server.requests[0]?.url ?? '', 'http://x');
    assert.equal(url.pathname, '/api/users');
    assert.equal(url.searchParams.get('filter'), '(userName eq "a&b") and (staffbase.status eq "pending")');
    assert.equal(url.searchParams.get('offset'), '10');
    assert.equal(url.searchParams.get('limit'), '5');
    // As the reference's examples: a space is %20 (never +), a quote %22.
    assert.equal(
      server.requests[0]?.url,
      '/api/users?filter=(userName%20eq%20%22a%26b%22)%20and%20(staffbase.status%20eq%20%22pending%22)&offset=10&limit=5',
    );
  });

  it('reuses pooled keep-alive connections for sequential requests', async () => {
    const { server, client } = await setup((_req, res) => json(res, 200, user()));
    for (let i = 0; i < 10; i++) await client.getUser('E1');
    assert.equal(server.requests.length, 10);
    // undici may open a second socket while the first is still being released; never one per request.
    assert.ok(server.connections() <= 2, `${server.connections()} connections`);
  });

  it('pages by what came back when the server caps the page size', async () => {
    const all = Array.from({ length: 7 }, (_, i) => user({ id: `u${i}`, externalID: `E${i}` }));
    const { server, client } = await setup((req, res) => {
      const url = new URL(req.url, 'http://x');
      const offset = Number(url.searchParams.get('offset'));
      // Caps every page at 2 whatever the client asked for.
      json(res, 200, { total: all.length, limit: 2, offset, data: all.slice(offset, offset + 2) });
    });
    const ids: string[] = [];
    for await (const found of client.findUsers({ pageSize: 5 })) ids.push(found.id);
    assert.deepEqual(ids, ['u0', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6']);
    assert.equal(server.requests.length, 4);
  });

  it('refuses ids that would change the path before sending anything', async () => {
    const { server, client } = await setup((_req, res) => json(res, 200, user()));
    for (const id of ['', '  ', '..', '.', 'a\nb']) {
      await assert.rejects(client.getUser(id), (error: unknown) => {
        assert.ok(error instanceof StaffbaseValidationError);
        assert.equal(error.retryable, false);
        assert.match(error.message, /^getUser: invalid input: userId/);
        return true;
      });
    }
    await assert.rejects(client.listUsersPage({ offset: -1, limit: 10 }), StaffbaseValidationError);
    await assert.rejects(client.listUsersPage({ offset: 0, limit: 0 }), StaffbaseValidationError);
    assert.equal(server.requests.length, 0);
  });

  it('does not send a request to add nobody to a group', async () => {
    const { server, client } = await setup((_req, res) => res.writeHead(204).end());
    await client.addUsersToGroup('g1', []);
    assert.equal(server.requests.length, 0);
  });
});

describe('StaffbaseClient on malformed responses', () => {
  // A scripted server, because the simulator by design only ever answers well-formed bodies.
  it('names the operation and the field path of a body that fails the schema', async () => {
    // The reader is tolerant (unknown statuses, odd emails are read, not refused): only a user
    // without a usable id is beyond reading.
    const broken = user({ id: { nested: true }, emails: [{ value: 42, primary: true }], status: 'archived' });
    const { client } = await setup((_req, res) => json(res, 200, broken));
    await assert.rejects(client.getUser('E1'), (error: unknown) => {
      assert.ok(error instanceof StaffbaseMalformedResponseError);
      assert.equal(error.retryable, false);
      assert.equal(error.kind, 'malformed-response');
      assert.equal(error.operation, 'getUser');
      assert.equal(error.status, 200);
      assert.match(error.message, /^getUser: response body does not match/);
      assert.deepEqual(
        error.issues.map((issue) => issue.path),
        ['id'],
      );
      return true;
    });
  });

  it('names the path inside a list envelope', async () => {
    const { client } = await setup((_req, res) =>
      json(res, 200, { total: 2, limit: 10, offset: 0, data: [user(), user({ id: null })] }),
    );
    await assert.rejects(client.listUsersPage({ offset: 0, limit: 10 }), (error: unknown) => {
      assert.ok(error instanceof StaffbaseMalformedResponseError);
      assert.match(error.message, /^listUsersPage: .*data\[1\]\.id/);
      return true;
    });
  });

  it('reads the user back after a 200 to an update that is not JSON (e.g. a proxy page), never repeats the write', async () => {
    const { server, client } = await setup((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>'),
    );
    await assert.rejects(client.updateUser('E1', { lastName: 'B' }), (error: unknown) => {
      assert.ok(error instanceof StaffbaseMalformedResponseError);
      assert.match(error.message, /^getUser: response body is not JSON \(content-type text\/html\)/);
      return true;
    });
    assert.deepEqual(
      server.requests.map((request) => `${request.method} ${request.url}`),
      ['PUT /api/users/E1', 'GET /api/users/E1'],
    );
  });

  it('reports a redirect (wrong base URL) as malformed, not retryable', async () => {
    const { client } = await setup((_req, res) => res.writeHead(302, { location: '/login' }).end());
    await assert.rejects(client.deleteUser('E1'), (error: unknown) => {
      assert.ok(error instanceof StaffbaseMalformedResponseError);
      assert.equal(error.retryable, false);
      assert.match(error.message, /^deleteUser: unexpected HTTP 302/);
      return true;
    });
  });

  it('a 204 to create that no read-back confirms is an unreadable write, after one POST only', async () => {
    const { server, client } = await setup((request, res) => {
      if (request.method === 'POST') return res.writeHead(204).end();
      return json(res, 200, { total: 0, limit: 100, offset: 0, data: [] });
    });
    const input = {
      externalID: 'E',
      userName: 'u',
      firstName: 'F',
      lastName: 'L',
      email: 'e@x.y',
      sendMail: false,
    };
    await assert.rejects(client.createUser(input), (error: unknown) => {
      assert.ok(error instanceof StaffbaseUnreadableWriteError);
      assert.equal(error.retryable, false);
      assert.match(error.message, /^createUser: HTTP 204 without a body, and reading the user back/);
      return true;
    });
    assert.equal(server.requests.filter((request) => request.method === 'POST').length, 1);
  });

  it('accepts 200 from create', async () => {
    const { client } = await setup((_req, res) => json(res, 200, user({ status: 'pending' })));
    const input = {
      externalID: 'E1',
      userName: 'u',
      firstName: 'F',
      lastName: 'L',
      email: 'e@x.y',
      sendMail: false,
    };
    assert.equal((await client.createUser(input)).status, 'pending');
  });
});

describe('StaffbaseClient on transport failures', () => {
  it('a response that never comes is a transient headers timeout', async () => {
    const { client } = await setup(() => undefined, { requestTimeoutMs: 150 });
    const started = Date.now();
    await assert.rejects(client.getUser('E1'), (error: unknown) => {
      assert.ok(error instanceof StaffbaseTransientError);
      assert.equal(error.retryable, true);
      assert.equal(error.code, 'UND_ERR_HEADERS_TIMEOUT');
      assert.match(error.message, /^getUser: no response \(UND_ERR_HEADERS_TIMEOUT/);
      return true;
    });
    assert.ok(Date.now() - started < 5000);
  });

  it('a body that stalls is a transient body timeout', async () => {
    const { client } = await setup(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"id":'); // …and nothing more
      },
      { requestTimeoutMs: 150 },
    );
    await assert.rejects(client.getUser('E1'), (error: unknown) => {
      assert.ok(error instanceof StaffbaseTransientError);
      assert.equal(error.code, 'UND_ERR_BODY_TIMEOUT');
      return true;
    });
  });

  it('a connection dropped before the response is transient', async () => {
    const { client } = await setup((_req, res) => res.socket?.destroy());
    await assert.rejects(client.deactivateUser('E1'), (error: unknown) => {
      assert.ok(error instanceof StaffbaseTransientError);
      assert.equal(error.retryable, true);
      assert.equal(error.status, undefined);
      assert.ok(error.code, 'has a transport code');
      assert.match(error.message, /^deactivateUser: no response/);
      return true;
    });
  });

  it('a connection dropped in the middle of the body is transient', async () => {
    const { client } = await setup((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
      res.write('{"id":"x"');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    await assert.rejects(client.getUser('E1'), StaffbaseTransientError);
  });

  it('a refused connection is transient', async () => {
    const { server } = await setup(() => undefined);
    const apiUrl = server.apiUrl;
    await server.close();
    const refused = new StaffbaseClient({ baseUrl: apiUrl, token });
    try {
      await assert.rejects(refused.getUser('E1'), (error: unknown) => {
        assert.ok(error instanceof StaffbaseTransientError);
        assert.equal(error.code, 'ECONNREFUSED');
        return true;
      });
    } finally {
      await refused.close();
    }
  });
});

describe('response size cap', () => {
  const padded = (bytes: number) => user({ profile: { notes: 'x'.repeat(bytes) } });

  it('refuses a body over maxResponseBytes (by Content-Length, or as it streams) with a typed, final error', async () => {
    const { server, client } = await setup(
      (request, response) => {
        if (request.url.includes('chunked')) {
          // No Content-Length: the cap applies as the body arrives.
          response.writeHead(200, { 'content-type': 'application/json' });
          const text = JSON.stringify(padded(8_000));
          for (let at = 0; at < text.length; at += 1_000) response.write(text.slice(at, at + 1_000));
          response.end();
        } else if (request.url.includes('large')) json(response, 200, padded(8_000));
        else json(response, 200, padded(100));
      },
      { maxResponseBytes: 4_096 },
    );
    for (const id of ['large', 'chunked']) {
      await assert.rejects(client.getUser(id), (error: unknown) => {
        assert.ok(error instanceof StaffbaseResponseTooLargeError, String(error));
        assert.ok(error instanceof StaffbaseMalformedResponseError, 'handled as an unreadable answer');
        assert.equal(error.retryable, false);
        assert.equal(error.limitBytes, 4_096);
        assert.equal(error.status, 200);
        assert.match(error.message, /^getUser: response body larger than 4096 bytes/);
        assert.ok(!error.message.includes('xxxx'), 'nothing of the body in the message');
        return true;
      });
    }
    // A body within the cap still reads, on the same client.
    assert.equal((await client.getUser('small')).externalID, 'E1');
    assert.equal(server.requests.length, 3);
  });

  it('defaults to 8 MiB and refuses a cap that is not a positive whole number', () => {
    assert.equal(
      resolveClientConfig({ baseUrl: 'http://127.0.0.1:1/api', token }).maxResponseBytes,
      8 * 1024 * 1024,
    );
    assert.throws(
      () => new StaffbaseClient({ baseUrl: 'http://127.0.0.1:1/api', token, maxResponseBytes: 0 }),
      /maxResponseBytes must be a positive integer/,
    );
  });
});
