import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesFilter, mentionsStatus } from '../../simulator/filter/evaluate';
import { parseFilter } from '../../simulator/filter/parser';
import { FilterSyntaxError } from '../../simulator/filter/syntax';
import { type SimulatedUserRecord } from '../../simulator/types';

function user(overrides: Partial<SimulatedUserRecord> = {}): SimulatedUserRecord {
  return {
    id: 'aaaaaaaaaaaaaaaaaaaaaaaa',
    externalID: 'EXT-1',
    userName: 'Jane.Doe',
    firstName: 'Jane',
    lastName: 'Doe',
    emails: [
      { value: 'Jane@Example.com', primary: true, providerID: null },
      { value: 'jd@private.example', primary: false, providerID: null },
    ],
    status: 'activated',
    role: 'editor',
    groupIDs: ['g1', 'g2'],
    profile: { department: 'Sales', level: 3, remote: true },
    config: { locale: 'de_DE' },
    created: '2024-01-10T00:00:00.000Z',
    updated: '2024-02-01T00:00:00.000Z',
    activated: '2024-01-11T00:00:00.000Z',
    secret: null,
    creationType: 'direct',
    deactivated: null,
    sessions: 0,
    sessionsEnded: 0,
    logoutRequests: 0,
    recoveryRequests: 0,
    ...overrides,
  };
}

const matches = (filter: string, record = user()): boolean => matchesFilter(parseFilter(filter), record);

describe('filter parser and evaluator', () => {
  it('compares staffbase.* attributes with eq and ne', () => {
    assert.equal(matches('staffbase.status eq "activated"'), true);
    assert.equal(matches('staffbase.status eq "pending"'), false);
    assert.equal(matches('staffbase.status ne "pending"'), true);
    assert.equal(matches('staffbase.creationType eq "direct"'), true);
    assert.equal(matches('staffbase.creationType eq "sso"'), false);
    assert.equal(matches('staffbase.role eq "editor"'), true);
    assert.equal(matches('staffbase.role eq "admin"'), false);
  });

  it('accepts externalId and externalID, exact case', () => {
    assert.equal(matches('externalId eq "EXT-1"'), true);
    assert.equal(matches('externalID eq "EXT-1"'), true);
    assert.equal(matches('externalId eq "ext-1"'), false);
  });

  it('matches userName and any email case-insensitively', () => {
    assert.equal(matches('userName eq "jane.doe"'), true);
    assert.equal(matches('emails eq "jane@example.com"'), true);
    assert.equal(matches('emails eq "JD@private.example"'), true, 'a non-primary email matches too');
    assert.equal(matches('emails eq "other@example.com"'), false);
    assert.equal(
      matches('emails ne "jane@example.com"'),
      false,
      'ne on a multi-valued attribute = no value equals',
    );
  });

  it('matches group membership with eq and ne', () => {
    assert.equal(matches('groups eq "g2"'), true);
    assert.equal(matches('groups eq "g3"'), false);
    assert.equal(matches('groups ne "g3"'), true);
    assert.equal(matches('groups ne "g1"'), false);
  });

  it('compares dates with gt ge lt le eq ne', () => {
    assert.equal(matches('created gt "2024-01-09T00:00:00Z"'), true);
    assert.equal(matches('created gt "2024-01-10T00:00:00Z"'), false);
    assert.equal(matches('created ge "2024-01-10T00:00:00Z"'), true);
    assert.equal(matches('created lt "2024-01-10T00:00:00Z"'), false);
    assert.equal(matches('created le "2024-01-10T00:00:00.000Z"'), true);
    assert.equal(matches('created eq "2024-01-10T00:00:00Z"'), true);
    assert.equal(matches('created ne "2024-01-10T00:00:00Z"'), false);
    assert.equal(matches('updated gt "2024-01-31"'), true);
    assert.equal(matches('deactivated lt "2030-01-01T00:00:00Z"'), false, 'null date never compares');
    assert.equal(
      matches('deactivated lt "2030-01-01T00:00:00Z"', user({ deactivated: '2024-03-01T00:00:00.000Z' })),
      true,
    );
  });

  it('tests presence with pr', () => {
    assert.equal(matches('externalId pr'), true);
    assert.equal(matches('externalId pr', user({ externalID: null })), false);
    assert.equal(matches('emails pr', user({ emails: [] })), false);
    assert.equal(matches('userName pr'), true);
    assert.equal(matches('password pr'), true);
    assert.equal(matches('password pr', user({ activated: null, status: 'pending' })), false);
    assert.equal(matches('deactivated pr'), false);
  });

  it('compares profile fields exactly', () => {
    assert.equal(matches('profile.department eq "Sales"'), true);
    assert.equal(matches('profile.department eq "sales"'), false);
    assert.equal(matches('profile.missing eq "x"'), false);
    assert.equal(matches('profile.level eq 3'), true);
    assert.equal(matches('profile.remote eq true'), true);
  });

  it('combines with and, or, not and parentheses, and binds and tighter than or', () => {
    assert.equal(matches('staffbase.role eq "editor" and groups eq "g1"'), true);
    assert.equal(matches('staffbase.role eq "editor" and groups eq "nope"'), false);
    assert.equal(matches('staffbase.role eq "admin" or groups eq "g1"'), true);
    assert.equal(matches('not (staffbase.role eq "admin")'), true);
    assert.equal(matches('not (staffbase.role eq "editor")'), false);
    // and before or: true or (false and false) = true; (true or false) and false = false
    assert.equal(matches('groups eq "g1" or staffbase.role eq "admin" and groups eq "nope"'), true);
    assert.equal(matches('(groups eq "g1" or staffbase.role eq "admin") and groups eq "nope"'), false);
    assert.equal(matches('NOT (userName eq "x") AND (emails pr)'), true, 'keywords are case-insensitive');
  });

  it('reads escaped quotes inside string literals', () => {
    assert.equal(matches('profile.motto eq "say \\"hi\\""', user({ profile: { motto: 'say "hi"' } })), true);
  });

  it('knows whether a filter names staffbase.status', () => {
    assert.equal(mentionsStatus(parseFilter('userName eq "x"')), false);
    assert.equal(
      mentionsStatus(parseFilter('userName eq "x" and not (staffbase.status eq "pending")')),
      true,
    );
  });

  for (const [filter, fragment] of [
    ['', 'empty'],
    ['userName eq', 'ends'],
    ['userName eq "unterminated', 'unterminated'],
    ['userName equals "x"', 'operator'],
    ['nosuch eq "x"', 'unknown filter attribute'],
    ['(userName eq "x"', ')'],
    ['userName eq "x")', 'unexpected'],
    ['not userName eq "x"', '"not" must be followed by "("'],
    ['created gt "yesterday"', 'ISO date'],
    ['groups gt "g1"', 'not supported'],
    ['userName eq x', 'expected a value'],
    ['userName eq "x" and', 'ends'],
    ['userName eq "x" # 1', 'unexpected "#"'],
  ] as const) {
    it(`rejects ${JSON.stringify(filter)}`, () => {
      assert.throws(
        () => parseFilter(filter),
        (error: unknown) => error instanceof FilterSyntaxError && error.message.includes(fragment),
      );
    });
  }
});
