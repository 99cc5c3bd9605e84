import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  and,
  atLeast,
  equals,
  externalIdEquals,
  groupMember,
  lessThan,
  quoteFilterValue,
  statusCondition,
} from '../../staffbase/filters';

describe('filter building', () => {
  it('quotes values and escapes backslash and double quote only', () => {
    assert.equal(quoteFilterValue('E-1'), '"E-1"');
    assert.equal(quoteFilterValue('a"b'), String.raw`"a\"b"`);
    assert.equal(quoteFilterValue(String.raw`a\b`), String.raw`"a\\b"`);
    assert.equal(quoteFilterValue(String.raw`\"`), String.raw`"\\\""`);
    assert.equal(quoteFilterValue('ümlaut ok'), '"ümlaut ok"');
  });

  it('cannot be escaped out of by input', () => {
    const hostile = String.raw`x" or staffbase.status eq "activated`;
    assert.equal(
      externalIdEquals(hostile),
      String.raw`externalId eq "x\" or staffbase.status eq \"activated"`,
    );
  });

  it('builds externalId, groups and status conditions', () => {
    assert.equal(externalIdEquals('E1'), 'externalId eq "E1"');
    assert.equal(groupMember('g1'), 'groups eq "g1"');
    assert.equal(
      statusCondition(['pending', 'activated', 'pending']),
      'staffbase.status eq "pending" or staffbase.status eq "activated"',
    );
    assert.equal(statusCondition([]), undefined);
    assert.equal(statusCondition(undefined), undefined);
    assert.throws(() => statusCondition(['gone' as never]), /Unknown user status: gone/);
    assert.throws(() => equals('a) or (b', 'x'), /Not a filter attribute/);
  });

  it('builds the comparisons of the clean-ups, quoted like every value', () => {
    assert.equal(lessThan('created', '2027-01-30T00:00:00.000Z'), 'created lt "2027-01-30T00:00:00.000Z"');
    assert.equal(atLeast('deactivated', 'x"y'), String.raw`deactivated ge "x\"y"`);
    assert.throws(() => lessThan('created) or (x', 'y'), /Not a filter attribute/);
  });

  it('ANDs parts in parentheses and drops empty ones', () => {
    assert.equal(and('a eq "1" or b eq "2"', 'c eq "3"'), '(a eq "1" or b eq "2") and (c eq "3")');
    assert.equal(and(undefined, 'c eq "3"', '  '), 'c eq "3"');
    assert.equal(and(undefined, undefined), undefined);
  });
});
