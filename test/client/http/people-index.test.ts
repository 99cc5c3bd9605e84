/**
 * `GET /v1/people` on the real Fastify app with a temp SQLite store, seeded through the repository's
 * write path: search (case- and accent-insensitive), filters, exact totals and counts, paging by cursor
 * without a skip or a repeat, bad queries refused naming the field, the keys that may read it, the
 * OpenAPI entry, and no name or email in the log. No request reaches Temporal.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Client } from '@temporalio/client';
import { buildHttpApi } from '../../../client/http/app';
import { type ApiLogger } from '../../../client/http/logger';
import { defaultOffboardingPolicy } from '../../../lifecycle/offboarding-request';
import { defaultOnboardingPolicy } from '../../../lifecycle/onboarding-request';
import { type PersonWrite } from '../../../store';
import { accentedPerson, expectedCounts, seedPeople } from '../../helpers/people-index';
import { type TempStore, openTempStore } from '../../helpers/temp-store';

const KEY = 'hr-key-'.padEnd(32, 'x');
const ADMIN_KEY = 'support-key-'.padEnd(32, 'y');

/** Any Temporal call fails the test: the person index answers without one. */
const noTemporal = {
  connection: { withDeadline: <T>(_deadline: number, work: () => Promise<T>) => work() },
  get workflow(): never {
    throw new Error('reached Temporal');
  },
} as unknown as Client;

interface PeopleAnswer {
  people: Record<string, unknown>[];
  total: number;
  nextCursor: string | null;
  counts?: Record<string, Record<string, number>>;
}

interface ErrorBody {
  error: string;
  problems?: { field: string; message: string }[];
}

describe('GET /v1/people (person index)', () => {
  let store: TempStore;
  let people: PersonWrite[];
  const logLines: string[] = [];
  const line = (message: string, fields?: Record<string, unknown>) =>
    void logLines.push(JSON.stringify({ message, ...fields }));
  const logger: ApiLogger = { debug: line, info: line, warn: line, error: line };
  const api = () =>
    buildHttpApi({
      temporalClient: noTemporal,
      store,
      policies: { onboarding: defaultOnboardingPolicy, offboarding: defaultOffboardingPolicy },
      apiKey: KEY,
      adminApiKey: ADMIN_KEY,
      logger,
    });
  const get = (query: string, key: string | null = KEY) =>
    api().inject({
      method: 'GET',
      url: `/v1/people${query}`,
      headers: key === null ? {} : { authorization: `Bearer ${key}` },
    });
  const page = async (query: string): Promise<PeopleAnswer> => {
    const answer = await get(query);
    assert.equal(answer.statusCode, 200, answer.body);
    return answer.json<PeopleAnswer>();
  };
  const refusal = async (query: string): Promise<string[]> => {
    const answer = await get(query);
    assert.equal(answer.statusCode, 400, `${query}: ${answer.body}`);
    const body = answer.json<ErrorBody>();
    assert.equal(body.error, 'invalid_request');
    return (body.problems ?? []).map((problem) => problem.field);
  };

  before(async () => {
    store = await openTempStore();
    people = await seedPeople(store, 'emp', 130, [accentedPerson('zk-1')]);
  });
  after(() => store.close());

  it('answers a page of 25 with the exact total, every field of a person, and counts on request', async () => {
    const first = await page('?counts=true');
    assert.equal(first.total, people.length);
    assert.equal(first.people.length, 25);
    assert.ok(first.nextCursor);
    assert.deepEqual(first.counts, expectedCounts(people));
    assert.deepEqual(first.people[0], {
      externalID: 'emp-00000',
      name: 'Ada Lovelace',
      email: 'ada.lovelace.0@example.com',
      lifecycle: 'onboarding',
      stage: 'scheduled',
      startDate: '2027-01-01',
      lastWorkingDay: null,
      attentionCode: null,
      outcome: null,
      updatedAt: '2026-12-01T08:00:00.000Z',
    });
    assert.equal((await page('')).counts, undefined, 'counts only on request');
  });

  it('pages through everyone by cursor: no one skipped, no one twice, the last page without a cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const answer: PeopleAnswer = await page(
        `?limit=40${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
      );
      assert.equal(answer.total, people.length, 'the total on every page');
      seen.push(...answer.people.map((person) => String(person.externalID)));
      cursor = answer.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 10);
    assert.equal(pages, Math.ceil(people.length / 40));
    assert.deepEqual(seen, people.map((person) => person.externalID).sort());
  });

  it('finds by last name, ignoring case and accents, and by a prefix of the externalID or email', async () => {
    const accented = await page('?q=KOVACEVIC');
    assert.equal(accented.total, 1);
    assert.equal(accented.people[0]?.externalID, 'zk-1');
    assert.equal(accented.people[0]?.name, 'Zoë Kovačević');
    assert.equal((await page(`?q=${encodeURIComponent('zoë kovač')}`)).total, 1, 'two words, both match');

    const turings = people.filter((person) => person.lastName === 'Turing');
    const byName = await page('?q=turing&limit=100');
    assert.equal(byName.total, turings.length);
    assert.deepEqual(
      byName.people.map((person) => person.externalID),
      turings.map((person) => person.externalID).sort(),
    );
    assert.equal((await page('?q=emp-0012')).total, 10, 'emp-00120 … emp-00129');
    assert.equal((await page('?q=ada.lovelace.0%40')).total, 1);
    assert.equal((await page('?q=nobody-by-this-name')).total, 0);
    assert.equal((await page('?q=nobody-by-this-name')).nextCursor, null);
  });

  it('filters by lifecycle, stage and start or leaving date (inclusive), with exact totals', async () => {
    const retention = people.filter((p) => p.lifecycle === 'offboarding' && p.stage === 'retention');
    const filtered = await page('?lifecycle=offboarding&stage=retention&limit=100');
    assert.equal(filtered.total, retention.length);
    assert.ok(filtered.people.every((p) => p.lifecycle === 'offboarding' && p.stage === 'retention'));

    const inJanuaryFirstWeek = people.filter((p) => {
      const day = p.startDate ?? p.lastWorkingDay ?? '';
      return day >= '2027-01-03' && day <= '2027-01-07';
    });
    const dated = await page('?from=2027-01-03&to=2027-01-07&limit=100');
    assert.equal(dated.total, inJanuaryFirstWeek.length);
    assert.deepEqual(
      dated.people.map((p) => p.externalID),
      inJanuaryFirstWeek.map((p) => p.externalID).sort(),
    );
  });

  it('refuses a bad query with a 400 naming each field, before reading anything', async () => {
    assert.deepEqual(await refusal('?limit=0'), ['limit']);
    assert.deepEqual(await refusal('?limit=101'), ['limit']);
    assert.deepEqual(await refusal('?lifecycle=rehire&stage=Bad%20Stage'), ['lifecycle', 'stage']);
    assert.deepEqual(await refusal('?from=2027-02-30'), ['from']);
    assert.deepEqual(await refusal('?counts=yes'), ['counts']);
    const unknown = await get('?shoeSize=44');
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.json<ErrorBody>().problems?.[0]?.message ?? '', /shoeSize/);
    // The store's own checks, as a 400 naming the field: an order of dates, a cursor it never gave out.
    assert.deepEqual(await refusal('?from=2027-02-01&to=2027-01-01'), ['to']);
    assert.deepEqual(await refusal(`?cursor=${Buffer.from('{"before":1}').toString('base64url')}`), [
      'cursor',
    ]);
    assert.deepEqual(await refusal('?cursor=not%20base64'), ['cursor']);
  });

  it('is read with the HR systems’ key or the support key, never without one', async () => {
    assert.equal((await get('', null)).statusCode, 401);
    assert.equal((await get('', 'wrong-key'.padEnd(32, 'z'))).statusCode, 401);
    assert.equal((await get('', ADMIN_KEY)).statusCode, 200);
    assert.equal((await get('', KEY)).statusCode, 200);
  });

  it('is in the OpenAPI document: its query parameters, the HR key, the PeoplePage answer', async () => {
    const answer = await api().inject({
      method: 'GET',
      url: '/v1/openapi.json',
      headers: { authorization: `Bearer ${KEY}` },
    });
    const doc = answer.json<{
      paths: Record<string, Record<string, Record<string, unknown>>>;
      components: { schemas: Record<string, { required?: string[] }> };
    }>();
    const operation = doc.paths['/v1/people']?.get ?? {};
    assert.equal(operation.operationId, 'findPeople');
    assert.equal(operation['x-required-key'], 'lifecycle');
    assert.deepEqual(
      (operation.parameters as { name: string }[]).map((parameter) => parameter.name),
      ['q', 'lifecycle', 'stage', 'from', 'to', 'limit', 'cursor', 'counts'],
    );
    assert.deepEqual(doc.components.schemas.PeoplePage?.required, ['people', 'total', 'nextCursor']);
    assert.deepEqual(doc.components.schemas.PersonSummary?.required, [
      'externalID',
      'name',
      'email',
      'lifecycle',
      'stage',
      'startDate',
      'lastWorkingDay',
      'attentionCode',
      'outcome',
      'updatedAt',
    ]);
    assert.ok(doc.paths['/v1/people/{externalID}']?.get, 'one person’s state stays');
  });

  it('never logs a name, an email or the search text', () => {
    assert.ok(logLines.length > 20, `${logLines.length} log lines`);
    const log = logLines.join('\n');
    for (const secretish of ['Lovelace', 'Kovač', 'KOVACEVIC', 'kovacevic', '@example.com', 'turing']) {
      assert.ok(!log.includes(secretish), `the log holds ${secretish}`);
    }
  });
});
