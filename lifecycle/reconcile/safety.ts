import {
  DEFAULT_RECONCILE_HOLD_ABOVE,
  DEFAULT_RECONCILE_HOLD_ABOVE_PERCENT,
  DEFAULT_RECONCILE_MIN_ACTIVE_RATIO,
} from '../../config/defaults';
import type { FieldProblem } from '../validation';

/**
 * The safety verdict of a reconciliation plan: held for approval (nothing starts) when it would start
 * many offboardings, or when the snapshot looks cut short. A missing page of an HR export must never
 * turn into hundreds of offboardings.
 */

export interface ReconcileThresholds {
  /** RECONCILE_HOLD_ABOVE: more offboardings to start than this hold the plan. */
  holdAbove: number;
  /** RECONCILE_HOLD_ABOVE_PERCENT: more than this % of managed accounts (and more than the floor) hold it. */
  holdAbovePercent: number;
  /** RECONCILE_MIN_ACTIVE_RATIO: fewer active people than this × the last applied snapshot's hold it. */
  minActiveRatio: number;
}

export const defaultReconcileThresholds: ReconcileThresholds = {
  holdAbove: DEFAULT_RECONCILE_HOLD_ABOVE,
  holdAbovePercent: DEFAULT_RECONCILE_HOLD_ABOVE_PERCENT,
  minActiveRatio: DEFAULT_RECONCILE_MIN_ACTIVE_RATIO,
};

/**
 * The percentage rule needs more offboardings than this as well: in a tenant of 60 accounts, 4
 * leavers are 6.7 % and an ordinary month.
 */
export const RECONCILE_HOLD_FLOOR = 10;

export interface SafetyFigures {
  /** Offboardings the plan would start or schedule. */
  offboardingsToStart: number;
  /** Accounts in the directory holding an externalID. */
  managedAccounts: number;
  /** People with status `active` in this snapshot. */
  activePeople: number;
  /** The same figure of the last applied snapshot; absent before the first one. */
  lastAppliedActivePeople?: number;
}

export type SafetyVerdict = { held: false } | { held: true; reasons: string[] };

export function safetyVerdict(figures: SafetyFigures, thresholds: ReconcileThresholds): SafetyVerdict {
  const reasons: string[] = [];
  const offboardings = figures.offboardingsToStart;
  if (offboardings > thresholds.holdAbove) {
    reasons.push(
      `${offboardings} offboardings to start, more than RECONCILE_HOLD_ABOVE (${thresholds.holdAbove})`,
    );
  }
  const share = (figures.managedAccounts * thresholds.holdAbovePercent) / 100;
  if (offboardings > RECONCILE_HOLD_FLOOR && offboardings > share) {
    reasons.push(
      `${offboardings} offboardings to start, more than ${RECONCILE_HOLD_FLOOR} and more than ` +
        `RECONCILE_HOLD_ABOVE_PERCENT (${thresholds.holdAbovePercent} %) of ${figures.managedAccounts} managed accounts`,
    );
  }
  const last = figures.lastAppliedActivePeople;
  if (last !== undefined && figures.activePeople < thresholds.minActiveRatio * last) {
    reasons.push(
      `the snapshot looks truncated: ${figures.activePeople} active people, fewer than ` +
        `RECONCILE_MIN_ACTIVE_RATIO (${thresholds.minActiveRatio}) × ${last} of the last applied snapshot`,
    );
  }
  return reasons.length > 0 ? { held: true, reasons } : { held: false };
}

/**
 * A request's thresholds over the worker's: a request may only make the verdict stricter, never looser
 * (authority lives in the worker's configuration). For the two hold thresholds that means lower; for
 * the ratio, higher (a lower ratio would let a more truncated snapshot through). Every loosening is
 * refused, naming its field.
 */
export function requestThresholds(
  worker: ReconcileThresholds,
  request: Partial<ReconcileThresholds>,
): { ok: true; thresholds: ReconcileThresholds } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const { holdAbove, holdAbovePercent, minActiveRatio } = request;
  if (holdAbove !== undefined && holdAbove > worker.holdAbove) {
    problems.push({
      field: 'holdAbove',
      message: `may only lower the worker's RECONCILE_HOLD_ABOVE (${worker.holdAbove}), not raise it`,
    });
  }
  if (holdAbovePercent !== undefined && holdAbovePercent > worker.holdAbovePercent) {
    problems.push({
      field: 'holdAbovePercent',
      message: `may only lower the worker's RECONCILE_HOLD_ABOVE_PERCENT (${worker.holdAbovePercent}), not raise it`,
    });
  }
  if (minActiveRatio !== undefined && minActiveRatio < worker.minActiveRatio) {
    problems.push({
      field: 'minActiveRatio',
      message:
        `may only raise the worker's RECONCILE_MIN_ACTIVE_RATIO (${worker.minActiveRatio}), not lower it ` +
        '(a lower ratio lets a more truncated snapshot through)',
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    thresholds: {
      holdAbove: holdAbove ?? worker.holdAbove,
      holdAbovePercent: holdAbovePercent ?? worker.holdAbovePercent,
      minActiveRatio: minActiveRatio ?? worker.minActiveRatio,
    },
  };
}
