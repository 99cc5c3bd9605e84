/**
 * The safety verdict (lifecycle/reconcile/safety.ts) at its edges: each rule holds one past its
 * threshold and not at it, and a request may only make the thresholds stricter, naming the field.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  RECONCILE_HOLD_FLOOR,
  type SafetyFigures,
  defaultReconcileThresholds,
  requestThresholds,
  safetyVerdict,
} from '../../../lifecycle/reconcile/safety';

const thresholds = defaultReconcileThresholds;
const figures = (overrides: Partial<SafetyFigures>): SafetyFigures => ({
  offboardingsToStart: 0,
  managedAccounts: 100_000,
  activePeople: 1000,
  lastAppliedActivePeople: 1000,
  ...overrides,
});
const held = (overrides: Partial<SafetyFigures>) => safetyVerdict(figures(overrides), thresholds).held;

describe('reconciliation safety verdict', () => {
  it('defaults: 50 offboardings, 5 %, ratio 0.9; the percentage rule needs more than 10 too', () => {
    assert.deepEqual(thresholds, { holdAbove: 50, holdAbovePercent: 5, minActiveRatio: 0.9 });
    assert.equal(RECONCILE_HOLD_FLOOR, 10);
  });

  it('holds more offboardings than RECONCILE_HOLD_ABOVE, not exactly as many', () => {
    assert.equal(held({ offboardingsToStart: 50 }), false);
    const verdict = safetyVerdict(figures({ offboardingsToStart: 51 }), thresholds);
    assert.deepEqual(verdict, {
      held: true,
      reasons: ['51 offboardings to start, more than RECONCILE_HOLD_ABOVE (50)'],
    });
  });

  it('holds more than 5 % of the managed accounts only when that is also more than 10', () => {
    // 200 managed accounts: 5 % is 10, so 11 is over both.
    assert.equal(held({ offboardingsToStart: 10, managedAccounts: 200 }), false);
    assert.equal(held({ offboardingsToStart: 11, managedAccounts: 200 }), true);
    // 100 managed accounts: 5 % is 5, but 10 offboardings are not more than the floor.
    assert.equal(held({ offboardingsToStart: 10, managedAccounts: 100 }), false);
    assert.equal(held({ offboardingsToStart: 11, managedAccounts: 100 }), true);
    // 400 managed accounts: 5 % is 20.
    assert.equal(held({ offboardingsToStart: 20, managedAccounts: 400 }), false);
    const verdict = safetyVerdict(figures({ offboardingsToStart: 21, managedAccounts: 400 }), thresholds);
    assert.ok(verdict.held);
    assert.match(verdict.reasons.join(), /RECONCILE_HOLD_ABOVE_PERCENT \(5 %\) of 400 managed accounts/);
  });

  it('holds a snapshot with fewer active people than 0.9 × the last applied one', () => {
    assert.equal(held({ activePeople: 900, lastAppliedActivePeople: 1000 }), false);
    const verdict = safetyVerdict(figures({ activePeople: 899, lastAppliedActivePeople: 1000 }), thresholds);
    assert.ok(verdict.held);
    assert.match(verdict.reasons.join(), /looks truncated: 899 active people/);
    // The first snapshot has nothing to compare with.
    assert.equal(held({ activePeople: 1, lastAppliedActivePeople: undefined }), false);
  });

  it('names every rule that holds the plan', () => {
    const verdict = safetyVerdict(
      figures({ offboardingsToStart: 400, managedAccounts: 1000, activePeople: 100 }),
      thresholds,
    );
    assert.ok(verdict.held);
    assert.equal(verdict.reasons.length, 3);
  });

  it('a request may lower the hold thresholds and raise the ratio', () => {
    assert.deepEqual(
      requestThresholds(thresholds, { holdAbove: 5, holdAbovePercent: 1, minActiveRatio: 0.99 }),
      {
        ok: true,
        thresholds: { holdAbove: 5, holdAbovePercent: 1, minActiveRatio: 0.99 },
      },
    );
    assert.deepEqual(requestThresholds(thresholds, {}), { ok: true, thresholds });
    assert.deepEqual(requestThresholds(thresholds, { holdAbove: 50 }), { ok: true, thresholds });
  });

  it('a request that loosens any threshold is refused, naming each field', () => {
    const result = requestThresholds(thresholds, { holdAbove: 51, holdAbovePercent: 6, minActiveRatio: 0.5 });
    assert.equal(result.ok, false);
    assert.deepEqual(!result.ok && result.problems.map((problem) => problem.field), [
      'holdAbove',
      'holdAbovePercent',
      'minActiveRatio',
    ]);
    assert.match(
      !result.ok ? (result.problems[0]?.message ?? '') : '',
      /only lower .*RECONCILE_HOLD_ABOVE \(50\)/,
    );
    const one = requestThresholds(thresholds, { holdAbove: 10, minActiveRatio: 0.8 });
    assert.deepEqual(!one.ok && one.problems.map((problem) => problem.field), ['minActiveRatio']);
  });
});
