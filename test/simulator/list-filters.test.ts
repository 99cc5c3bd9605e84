import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningSimulator } from '../../simulator/server';
import { type ApiUser } from '../../simulator/types';
import { apiCaller, errorOf, startTestSimulator, type ApiCaller } from '../helpers/simulator';

let simulator: RunningSimulator;
let api: ApiCaller;

before(async () => {
  const started = await startTestSimulator();
  simulator = started.simulator;
  api = apiCaller(simulator, started.token);
  const { control } = started;
  await control.seedUser({
    externalID: 'ann',
    userName: 'Ann.Admin',
    emails: [{ value: 'ann@example.com' }, { value: 'ann.private@mail.example' }],
    role: 'admin',
    groupIDs: ['g-sales'],
    profile: { department: 'Sales' },
    created: '2024-01-01T00:00:00.000Z',
    updated: '2024-03-01T00:00:00.000Z',
  });
  await control.seedUser({
    externalID: 'bob',
    userName: 'bob',
    emails: [{ value: 'bob@example.com' }],
    role: 'reader',
    creationType: 'sso',
    groupIDs: ['g-sales', 'g-it'],
    profile: { department: 'IT' },
    created: '2024-02-01T00:00:00.000Z',
    updated: '2024-02-01T00:00:00.000Z',
  });
  await control.seedUser({
    // no externalID, no email: tests `pr`
    userName: 'cleo',
    role: 'editor',
    creationType: 'csv',
    created: '2024-03-01T00:00:00.000Z',
    updated: '2024-03-01T00:00:00.000Z',
  });
  await control.seedUser({
    externalID: 'dan',
    emails: [{ value: 'dan@example.com' }],
    status: 'deactivated',
    created: '2023-06-01T00:00:00.000Z',
    deactivated: '2024-01-15T00:00:00.000Z',
  });
  await control.seedUser({
    externalID: 'eve',
    emails: [{ value: 'eve@example.com' }],
    status: 'pending',
    created: '2024-04-01T00:00:00.000Z',
  });
});
after(async () => {
  await simulator?.close();
});

async function names(filter: string): Promise<string[]> {
  const response = await api<{ data: ApiUser[] }>('GET', `/users?filter=${encodeURIComponent(filter)}`);
  assert.equal(response.status, 200, `${filter}: ${JSON.stringify(response.body)}`);
  return response.body.data.map((user) => user.externalID ?? user.userName ?? '?');
}

describe('GET /users?filter= over HTTP', () => {
  const cases: Array<[string, string[]]> = [
    ['staffbase.status eq "deactivated"', ['dan']],
    ['staffbase.status eq "pending" or staffbase.status eq "deactivated"', ['dan', 'eve']],
    ['externalId eq "bob"', ['bob']],
    ['externalID eq "bob"', ['bob']],
    ['userName eq "ann.admin"', ['ann']],
    ['emails eq "ANN.PRIVATE@mail.example"', ['ann']],
    ['staffbase.creationType eq "sso"', ['bob']],
    ['staffbase.creationType eq "direct"', ['ann']],
    ['staffbase.role eq "editor"', ['cleo']],
    ['groups eq "g-sales"', ['ann', 'bob']],
    ['groups ne "g-sales"', ['cleo']],
    ['created gt "2024-01-01T00:00:00Z"', ['bob', 'cleo']],
    ['created ge "2024-01-01T00:00:00Z"', ['ann', 'bob', 'cleo']],
    ['created lt "2024-02-01T00:00:00Z"', ['ann']],
    ['created le "2024-02-01T00:00:00Z"', ['ann', 'bob']],
    ['created eq "2024-02-01T00:00:00.000Z"', ['bob']],
    ['created ne "2024-02-01T00:00:00.000Z"', ['ann', 'cleo']],
    ['updated ge "2024-03-01T00:00:00Z"', ['ann', 'cleo']],
    ['deactivated lt "2024-02-01T00:00:00Z" and staffbase.status eq "deactivated"', ['dan']],
    ['externalId pr', ['ann', 'bob']],
    ['emails pr', ['ann', 'bob']],
    ['profile.department eq "IT"', ['bob']],
    ['staffbase.role eq "admin" or staffbase.role eq "editor"', ['ann', 'cleo']],
    ['groups eq "g-sales" and staffbase.role eq "reader"', ['bob']],
    ['not (groups eq "g-sales")', ['cleo']],
    ['(staffbase.role eq "admin" or staffbase.role eq "reader") and groups eq "g-it"', ['bob']],
    ['staffbase.role eq "admin" or (staffbase.role eq "reader" and groups eq "g-nothing")', ['ann']],
  ];
  for (const [filter, expected] of cases) {
    it(`${filter} → ${expected.join(', ')}`, async () => {
      assert.deepEqual(await names(filter), expected);
    });
  }

  for (const filter of [
    'userName eq',
    'userName eq "x" or',
    'not (userName eq "x"',
    'created gt "soon"',
    'shoe eq "x"',
  ]) {
    it(`answers 400 for the malformed filter ${JSON.stringify(filter)}`, async () => {
      const response = await api('GET', `/users?filter=${encodeURIComponent(filter)}`);
      assert.equal(response.status, 400);
      assert.equal(errorOf(response).statusCode, 400);
      assert.match(errorOf(response).message, /^filter: .+/);
    });
  }
});
