import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRetryAfter } from '../../staffbase/retry-after';

const now = new Date('2025-03-10T12:00:00.000Z');

describe('parseRetryAfter', () => {
  it('reads delta-seconds as milliseconds', () => {
    assert.equal(parseRetryAfter('0', now), 0);
    assert.equal(parseRetryAfter('7', now), 7000);
    assert.equal(parseRetryAfter(' 120 ', now), 120_000);
  });

  it('reads an IMF-fixdate relative to now, and 0 for a date already past', () => {
    assert.equal(parseRetryAfter('Mon, 10 Mar 2025 12:00:05 GMT', now), 5000);
    assert.equal(parseRetryAfter('Mon, 10 Mar 2025 11:59:00 GMT', now), 0);
    assert.equal(parseRetryAfter('mon, 10 mar 2025 12:01:00 gmt', now), 60_000);
  });

  it('reads the obsolete RFC 850 and asctime forms as UTC', () => {
    assert.equal(parseRetryAfter('Monday, 10-Mar-25 12:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Mon Mar 10 12:00:09 2025', now), 9000);
    assert.equal(parseRetryAfter('Sat Mar  1 00:00:00 2025', new Date('2025-02-28T23:59:59Z')), 1000);
  });

  it('takes the first of repeated headers', () => {
    assert.equal(parseRetryAfter(['3', '100'], now), 3000);
  });

  it('gives undefined for absent or unreadable values', () => {
    for (const value of [
      undefined,
      '',
      'soon',
      '-1',
      '1.5',
      '1e3',
      'Mon, 31 Feb 2025 12:00:00 GMT',
      '2025-03-10T12:00:05Z',
      'Mon, 10 Mar 2025 25:00:00 GMT',
    ]) {
      assert.equal(parseRetryAfter(value, now), undefined, `for ${String(value)}`);
    }
    assert.equal(parseRetryAfter([], now), undefined);
  });

  it('defaults now to the current time', () => {
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    const ms = parseRetryAfter(inTenSeconds);
    assert.ok(ms !== undefined && ms > 8000 && ms <= 10_000, `got ${ms}`);
  });
});
