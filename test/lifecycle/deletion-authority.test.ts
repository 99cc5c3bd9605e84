import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { earlyDeletionOf, earlyDeletionRule } from '../../lifecycle/deletion-authority';
import { type OffboardingPolicy } from '../../lifecycle/offboarding-request';

const day = 86_400_000;
const policy: OffboardingPolicy = { retentionDays: 30, endOfWorkingDay: '18:00', timeZone: 'Europe/Berlin' };
const now = Date.parse('2027-03-01T10:00:00Z');
const iso = (epochMs: number) => new Date(epochMs).toISOString();

describe('earlyDeletionOf: a deletion sooner than the policy retention', () => {
  it('judges retentionDays against the policy: below it (0 too) is early, the policy or longer is not', () => {
    for (const retentionDays of [0, 1, 29]) {
      const early = earlyDeletionOf({ retentionDays }, policy, now);
      assert.equal(early?.field, 'retentionDays', String(retentionDays));
      assert.match(early?.message ?? '', new RegExp(earlyDeletionRule));
      assert.match(early?.message ?? '', /policy's retention of 30 days/);
    }
    for (const retentionDays of [30, 31, 3650]) {
      assert.equal(earlyDeletionOf({ retentionDays }, policy, now), undefined, String(retentionDays));
    }
    assert.equal(earlyDeletionOf({}, policy, now), undefined, 'the policy default');
  });

  it('judges deleteAt against the deactivation (now, or the end of lastWorkingDay) plus the policy', () => {
    const past = earlyDeletionOf({ deleteAt: '2020-01-01T00:00:00Z' }, policy, now);
    assert.equal(past?.field, 'deleteAt');
    assert.match(past?.message ?? '', new RegExp(earlyDeletionRule));
    assert.equal(earlyDeletionOf({ deleteAt: iso(now + 30 * day - 1) }, policy, now)?.field, 'deleteAt');
    assert.equal(earlyDeletionOf({ deleteAt: iso(now + 30 * day) }, policy, now), undefined);
    // Last working day 2027-04-30 ends 18:00 Berlin (16:00Z): the policy's earliest is 30 days later.
    const lastWorkingDay = '2027-04-30';
    const lastDayEnds = Date.parse('2027-04-30T16:00:00Z');
    assert.equal(
      earlyDeletionOf({ lastWorkingDay, deleteAt: iso(lastDayEnds + 30 * day - 60_000) }, policy, now)?.field,
      'deleteAt',
    );
    assert.equal(
      earlyDeletionOf({ lastWorkingDay, deleteAt: iso(lastDayEnds + 30 * day) }, policy, now),
      undefined,
    );
    // A last working day in the past deactivates at once: judged from now.
    assert.equal(
      earlyDeletionOf({ lastWorkingDay: '2026-01-01', deleteAt: iso(now + 10 * day) }, policy, now)?.field,
      'deleteAt',
    );
  });

  it('with a policy of 0 days nothing is early', () => {
    const zero = { ...policy, retentionDays: 0 };
    assert.equal(earlyDeletionOf({ retentionDays: 0 }, zero, now), undefined);
    assert.equal(earlyDeletionOf({ deleteAt: '2020-01-01T00:00:00Z' }, zero, now), undefined);
  });
});
