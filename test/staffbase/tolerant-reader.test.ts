/**
 * Every tolerance of the reader ([choice]s in staffbase/api-choices.ts), against a scripted
 * server that answers in the shapes Staffbase's pages disagree on.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { createAccountActivities } from '../../activities/retired/account-activities';
import { EPOCH_SECONDS_BELOW, totalWhenMissing } from '../../staffbase/api-choices';
import { StaffbaseClient } from '../../staffbase/client';
import { type StaffbaseClientLogger } from '../../staffbase/config';
import {
  StaffbaseNotFoundError,
  StaffbaseTransientError,
  StaffbaseUnmanagedUserError,
  StaffbaseValidationError,
} from '../../staffbase/errors';
import {
  ExternalIdLookupDecidingError,
  withExternalIdLookupDecided,
} from '../../staffbase/external-id-lookup';
import { staffbaseAccountSchema } from '../../staffbase/schemas';
import { type Handler, type LocalServer, json, startLocalServer, user } from './local-server';

const token = Buffer.from('5c1b6a2f9f1e2a0001a1b2c3:s3cr3t-value-for-tests').toString('base64');
const input = {
  externalID: 'E1',
  userName: 'ada',
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@example.com',
  sendMail: false,
};

let server: LocalServer | undefined;
let client: StaffbaseClient | undefined;

class RecordingLogger implements StaffbaseClientLogger {
  readonly lines: string[] = [];
  info(message: string): void {
    this.lines.push(`info ${message}`);
  }
  warn(message: string): void {
    this.lines.push(`warn ${message}`);
  }
}

async function setup(handler: Handler, logger = new RecordingLogger()) {
  server = await startLocalServer(handler);
  client = new StaffbaseClient({ baseUrl: server.apiUrl, token, logger });
  return { server, client, logger };
}

async function teardown(): Promise<void> {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
}

afterEach(teardown);

const page = (data: unknown[], extra: Record<string, unknown> = {}) => ({
  total: data.length,
  limit: 100,
  offset: 0,
  data,
  ...extra,
});
const requestsOf = (local: LocalServer) =>
  local.requests.map((request) => `${request.method} ${request.url}`);

describe('tolerant reader: fields', () => {
  it('reads role as a string or as {type}, normalised to the string', () => {
    assert.equal(staffbaseAccountSchema.parse(user({ role: 'editor' })).role, 'editor');
    assert.equal(staffbaseAccountSchema.parse(user({ role: { type: 'admin' } })).role, 'admin');
    assert.equal(staffbaseAccountSchema.parse(user({ role: null })).role, null);
    assert.equal(staffbaseAccountSchema.parse(user({ role: { kind: 'x' } })).role, null);
  });

  it('reads timestamps as ISO strings, epoch seconds or epoch milliseconds, normalised to ISO', () => {
    const at = Date.UTC(2026, 10, 30, 9, 0, 0);
    const parsed = staffbaseAccountSchema.parse(
      user({ created: '2026-11-30T09:00:00.000Z', updated: at, activated: at / 1000, deactivated: null }),
    );
    assert.equal(parsed.created, '2026-11-30T09:00:00.000Z');
    assert.equal(parsed.updated, '2026-11-30T09:00:00.000Z');
    assert.equal(parsed.activated, '2026-11-30T09:00:00.000Z');
    assert.equal(parsed.deactivated, null);
    assert.ok(at > EPOCH_SECONDS_BELOW && at / 1000 < EPOCH_SECONDS_BELOW);
  });

  it('maps unknown statuses to unmanaged, keeping the status as sent', () => {
    for (const status of ['deleted', 'contact', 'archived', null]) {
      const parsed = staffbaseAccountSchema.parse(user({ status }));
      assert.equal(parsed.status, 'unmanaged');
      assert.equal(parsed.reportedStatus, status ?? '(none)');
    }
    assert.equal(staffbaseAccountSchema.parse(user({ status: 'pending' })).status, 'pending');
  });

  it('accepts null (or nothing) for every optional field and ignores unknown fields', () => {
    const parsed = staffbaseAccountSchema.parse({
      id: 'x',
      externalID: null,
      userName: null,
      firstName: null,
      lastName: null,
      emails: null,
      status: 'activated',
      role: null,
      groupIDs: null,
      profile: null,
      config: null,
      secret: null,
      somethingNew: { nested: [1] },
    });
    assert.deepEqual(parsed.emails, []);
    assert.equal(parsed.groupIDs, null);
    assert.deepEqual((parsed as Record<string, unknown>).somethingNew, { nested: [1] });
    const bare = staffbaseAccountSchema.parse({ id: 'y', status: 'pending' });
    assert.equal(bare.externalID, null);
    assert.equal(bare.config, null);
    const odd = staffbaseAccountSchema.parse(
      user({ emails: [{ value: null }, { value: 'a@b.c', primary: null }], groupIDs: ['g', null] }),
    );
    assert.deepEqual(odd.emails, [{ value: 'a@b.c', primary: false }]);
    assert.deepEqual(odd.groupIDs, ['g']);
  });

  it('a list envelope without total keeps paging while pages come back full', () => {
    assert.equal(totalWhenMissing(0, 3, 3), 4);
    assert.equal(totalWhenMissing(3, 1, 3), 4);
    assert.equal(totalWhenMissing(0, 0, 3), 0);
  });
});

describe('tolerant reader: lists and single reads', () => {
  it('a contact or deleted user never breaks a list page; lists show them as unmanaged', async () => {
    const { client } = await setup((_req, res) =>
      json(
        res,
        200,
        page([user(), user({ id: 'c1', status: 'contact' }), user({ id: 'd1', status: 'deleted' })]),
      ),
    );
    const listed = await client.listUsersPage({ offset: 0, limit: 100 });
    assert.deepEqual(
      listed.users.map((listedUser) => [listedUser.id, listedUser.status, listedUser.reportedStatus]),
      [
        ['5c1b6a2f9f1e2a0001a1b2c3', 'activated', 'activated'],
        ['c1', 'unmanaged', 'contact'],
        ['d1', 'unmanaged', 'deleted'],
      ],
    );
  });

  it('pages through an envelope without total until a short page', async () => {
    const { server, client } = await setup((request, res) => {
      const offset = Number(new URL(request.url, 'http://x').searchParams.get('offset'));
      const data = offset === 0 ? [user({ id: 'a' }), user({ id: 'b' })] : [user({ id: 'c' })];
      json(res, 200, { data });
    });
    const ids: string[] = [];
    for await (const found of client.findUsers({ pageSize: 2 })) ids.push(found.id);
    assert.deepEqual(ids, ['a', 'b', 'c']);
    assert.equal(server.requests.length, 2);
  });

  it('getUser refuses a user in an unmanaged status and reads a deleted one as not found', async () => {
    const { client } = await setup((request, res) =>
      json(res, 200, user({ status: request.url.endsWith('/contact') ? 'contact' : 'deleted' })),
    );
    await assert.rejects(client.getUser('contact'), (error: unknown) => {
      assert.ok(error instanceof StaffbaseUnmanagedUserError);
      assert.equal(error.reportedStatus, 'contact');
      assert.equal(error.retryable, false);
      return true;
    });
    await assert.rejects(client.getUser('gone'), StaffbaseNotFoundError);
  });

  it('findUserByExternalId passes over deleted users and refuses a contact with the externalID', async () => {
    let answer: unknown[] = [];
    const { client } = await setup((_req, res) => json(res, 200, page(answer)));
    answer = [user({ id: 'old', status: 'deleted' }), user({ id: 'new', status: 'pending' })];
    assert.equal((await client.findUserByExternalId('E1'))?.id, 'new');
    answer = [user({ id: 'old', status: 'deleted' })];
    assert.equal(await client.findUserByExternalId('E1'), undefined);
    answer = [user({ id: 'c', status: 'contact' }), user({ id: 'x', externalID: 'e1', status: 'pending' })];
    await assert.rejects(client.findUserByExternalId('E1'), StaffbaseUnmanagedUserError);
  });
});

describe('tolerant reader: writes', () => {
  it('create: 200 or 201 with a body is used as is (one request)', async () => {
    for (const status of [200, 201]) {
      const { server, client } = await setup((_req, res) => json(res, status, user({ status: 'pending' })));
      const created = await client.createUser(input);
      assert.equal(created.status, 'pending');
      assert.deepEqual(requestsOf(server), ['POST /api/users']);
      await teardown();
    }
  });

  it('create: 201 or 204 with only a Location reads the user back by the Location id', async () => {
    for (const [status, location] of [
      [201, '/api/users/5c1b6a2f9f1e2a0001a1b2c3'],
      [204, 'https://tenant.example/api/users/5c1b6a2f9f1e2a0001a1b2c3'],
    ] as const) {
      const { server, client } = await setup((request, res) => {
        if (request.method === 'POST') return res.writeHead(status, { location }).end();
        return json(res, 200, user({ status: 'pending', role: { type: 'reader' } }));
      });
      const created = await client.createUser(input);
      assert.equal(created.id, '5c1b6a2f9f1e2a0001a1b2c3');
      assert.equal(created.role, 'reader');
      assert.deepEqual(requestsOf(server), ['POST /api/users', 'GET /api/users/5c1b6a2f9f1e2a0001a1b2c3']);
      await teardown();
    }
  });

  it('create: 202 without Location (or with an unreadable body) reads the user back by externalID', async () => {
    for (const answer of [
      { status: 202, body: '' },
      { status: 201, body: '{"ok":true}' },
    ]) {
      const { server, client } = await setup((request, res) => {
        if (request.method === 'POST') return res.writeHead(answer.status).end(answer.body);
        return json(res, 200, page([user({ status: 'pending' })]));
      });
      const created = await client.createUser(input);
      assert.equal(created.externalID, 'E1');
      assert.equal(server.requests.filter((request) => request.method === 'POST').length, 1);
      assert.match(requestsOf(server)[1] ?? '', /^GET \/api\/users\?filter=/);
      await teardown();
    }
  });

  it('update: an empty 204 answer is confirmed by reading the user back', async () => {
    const { server, client } = await setup((request, res) => {
      if (request.method === 'PUT') return res.writeHead(204).end();
      return json(res, 200, user({ status: 'deactivated' }));
    });
    assert.equal((await client.deactivateUser('E1')).status, 'deactivated');
    assert.deepEqual(requestsOf(server), ['PUT /api/users/E1', 'GET /api/users/E1']);
  });

  it('ensureOnboardingUser settles an unreadable create by a re-lookup, never a second create', async () => {
    let lookups = 0;
    const { server, client } = await setup((request, res) => {
      if (request.method === 'POST') return res.writeHead(204).end();
      lookups += 1;
      // Before the create, and the client's own read-back: nothing yet; the activity's re-lookup finds it.
      return json(res, 200, page(lookups <= 2 ? [] : [user({ status: 'pending' })]));
    });
    const activities = createAccountActivities(client);
    const account = await activities.ensureOnboardingUser({
      request: {
        externalID: 'E1',
        userName: 'ada',
        firstName: 'Ada',
        lastName: 'Lovelace',
        email: 'ada@example.com',
      },
      rehirePolicy: 'reactivate',
    });
    assert.deepEqual(account, { userId: '5c1b6a2f9f1e2a0001a1b2c3', status: 'pending', outcome: 'adopted' });
    assert.equal(server.requests.filter((request) => request.method === 'POST').length, 1);
    assert.equal(lookups, 3);
  });
});

describe('look-up by externalID on a tenant that refuses `externalId eq`', () => {
  const refusingExternalId: Handler = (request, res) => {
    if (request.url.startsWith('/api/users?')) {
      return decodeURIComponent(request.url).includes('externalId eq')
        ? json(res, 400, { statusCode: 400, message: 'filter: externalId supports pr only' })
        : json(res, 200, page([]));
    }
    if (request.url === '/api/users/E1') return json(res, 200, user({ status: 'pending' }));
    if (request.url === '/api/users/e1') return json(res, 200, user({ status: 'pending' })); // not exact
    return json(res, 404, { statusCode: 404, message: 'not found' });
  };

  it('switches to GET /users/{externalID} only after a control filter is accepted, one request per call', async () => {
    const { server, client, logger } = await setup(refusingExternalId);
    assert.equal(client.externalIdLookupMode, undefined);

    await assert.rejects(client.findUserByExternalId('E1'), ExternalIdLookupDecidingError);
    assert.equal(server.requests.length, 1);
    assert.equal(client.externalIdLookupMode, undefined);

    await assert.rejects(client.findUserByExternalId('E1'), ExternalIdLookupDecidingError);
    assert.equal(server.requests.length, 2);
    assert.equal(
      server.requests[1]?.url,
      '/api/users?filter=staffbase.status%20eq%20%22activated%22&offset=0&limit=1',
    );
    assert.equal(client.externalIdLookupMode, 'path');

    assert.equal((await client.findUserByExternalId('E1'))?.id, '5c1b6a2f9f1e2a0001a1b2c3');
    assert.equal(server.requests.length, 3);
    assert.equal(server.requests[2]?.url, '/api/users/E1');
    assert.equal(await client.findUserByExternalId('e1'), undefined);
    assert.equal(await client.findUserByExternalId('E2'), undefined);
    assert.equal(server.requests.filter((request) => request.url.startsWith('/api/users?')).length, 2);
    assert.equal(logger.lines.length, 1);
    assert.match(logger.lines[0] ?? '', /^warn .*control filter.*GET \/users\/\{externalID\}/);
  });

  it('a deciding step is a retryable transient error, and outside an activity the look-up asks again', async () => {
    const { server, client } = await setup(refusingExternalId);
    const deciding = await client.findUserByExternalId('E1').catch((error: unknown) => error);
    assert.ok(deciding instanceof StaffbaseTransientError);
    assert.equal(deciding.retryable, true);
    const found = await withExternalIdLookupDecided(() => client.findUserByExternalId('E1'));
    assert.equal(found?.id, '5c1b6a2f9f1e2a0001a1b2c3');
    assert.equal(server.requests.length, 3);
  });

  it('a 400 to the control filter too is reported as a refused filter syntax, and nothing switches', async () => {
    const { server, client, logger } = await setup((_request, res) =>
      json(res, 400, { statusCode: 400, message: 'invalid filter' }),
    );
    await assert.rejects(client.findUserByExternalId('E1'), ExternalIdLookupDecidingError);
    const refused = await client.findUserByExternalId('E1').catch((error: unknown) => error);
    assert.ok(refused instanceof StaffbaseValidationError);
    assert.equal(refused.status, 400);
    assert.match(
      refused.message,
      /control filter staffbase\.status eq "activated" too.*syntax or its encoding/,
    );
    assert.equal(client.externalIdLookupMode, undefined);
    assert.deepEqual(logger.lines, []);
    // The next look-up tries the filter again rather than trusting an old suspicion.
    await assert.rejects(client.findUserByExternalId('E1'), ExternalIdLookupDecidingError);
    assert.match(decodeURIComponent(server.requests[2]?.url ?? ''), /externalId eq "E1"/);
    assert.equal(server.requests.length, 3);
  });

  it('a transient answer to the control filter keeps the suspicion for the next attempt', async () => {
    let controlAnswers = 0;
    const { client } = await setup((request, res) => {
      const url = decodeURIComponent(request.url);
      if (url.includes('externalId eq')) return json(res, 400, { statusCode: 400, message: 'pr only' });
      if (url.startsWith('/api/users?')) {
        controlAnswers += 1;
        return controlAnswers === 1 ? json(res, 503, { message: 'busy' }) : json(res, 200, page([]));
      }
      return json(res, 404, { statusCode: 404, message: 'not found' });
    });
    await assert.rejects(client.findUserByExternalId('E1'), ExternalIdLookupDecidingError);
    await assert.rejects(client.findUserByExternalId('E1'), (error: unknown) => {
      assert.ok(error instanceof StaffbaseTransientError);
      assert.ok(!(error instanceof ExternalIdLookupDecidingError));
      return true;
    });
    await assert.rejects(client.findUserByExternalId('E1'), ExternalIdLookupDecidingError);
    assert.equal(client.externalIdLookupMode, 'path');
    assert.equal(await client.findUserByExternalId('E1'), undefined);
  });

  it('keeps the filter when the tenant accepts it, and a later 400 is an error, not a switch', async () => {
    let refuse = false;
    const { client, logger } = await setup((_req, res) =>
      refuse ? json(res, 400, { message: 'bad filter' }) : json(res, 200, page([user()])),
    );
    assert.equal((await client.findUserByExternalId('E1'))?.id, '5c1b6a2f9f1e2a0001a1b2c3');
    assert.equal(client.externalIdLookupMode, 'filter');
    refuse = true;
    await assert.rejects(client.findUserByExternalId('E1'), StaffbaseValidationError);
    assert.equal(client.externalIdLookupMode, 'filter');
    assert.deepEqual(logger.lines, [
      'info externalID look-ups use the filter `externalId eq` (the tenant accepts it)',
    ]);
  });
});
