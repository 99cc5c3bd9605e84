import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MAX_PRECONDITION_AGE_MS,
  MAX_READ_CLOCK_AHEAD_MS,
  preconditionAgeMs,
} from '../../lifecycle/precondition-freshness';

const now = Date.UTC(2027, 0, 15, 12, 0, 0);
const isFresh = (readAt: number | undefined) => {
  const age = preconditionAgeMs(readAt, now);
  return age !== undefined && age <= MAX_PRECONDITION_AGE_MS;
};

describe('precondition freshness: how old the read behind a DELETE is', () => {
  it('a read just made, or up to MAX_PRECONDITION_AGE_MS ago, is fresh; an older one is not', () => {
    assert.equal(preconditionAgeMs(now - 150, now), 150);
    assert.ok(isFresh(now));
    assert.ok(isFresh(now - MAX_PRECONDITION_AGE_MS));
    assert.ok(!isFresh(now - MAX_PRECONDITION_AGE_MS - 1));
  });

  it('a stamp slightly in the future (a worker clock a little ahead) counts as just made', () => {
    assert.equal(preconditionAgeMs(now + 400, now), 0);
    assert.ok(isFresh(now + MAX_READ_CLOCK_AHEAD_MS));
  });

  it('a stamp more than 1 s in the future counts as stale, however far ahead', () => {
    assert.equal(MAX_READ_CLOCK_AHEAD_MS, 1_000);
    for (const ahead of [MAX_READ_CLOCK_AHEAD_MS + 1, 60_000, 365 * 24 * 3_600_000]) {
      assert.equal(preconditionAgeMs(now + ahead, now), Number.POSITIVE_INFINITY, `${ahead} ms ahead`);
      assert.ok(!isFresh(now + ahead), `${ahead} ms ahead must not be fresh`);
    }
  });

  it('no stamp (or a broken one) is no read to trust', () => {
    assert.equal(preconditionAgeMs(undefined, now), undefined);
    assert.equal(preconditionAgeMs(Number.NaN, now), undefined);
  });
});
