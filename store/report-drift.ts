/**
 * The reconciliation-drift report (issue 32): how far Staffbase drifted from HR, from the reconcile
 * plans the store holds (store/reconcile-plans.ts). Per period: how many reconciliations were
 * classified, and the people per situation of the period's latest one (counts of two reconciliations
 * of the same population would double every person if added up).
 */
import { situations } from '../lifecycle/reconcile/situations';
import { type StoreDb } from './connection';
import { type ReportPeriod } from './report-periods';
import { bucketRanges, tableOf } from './report-reads';
import { type ReportColumn, type ReportValues } from './report-types';

export const situationKey = (situation: string) => `situation:${situation}`;

export const DRIFT_COLUMNS: ReportColumn[] = [
  { key: 'reconciliations', label: 'Reconciliations', unit: 'reconciliations' },
  ...situations.map((situation): ReportColumn => ({
    key: situationKey(situation),
    label: `${situation.charAt(0).toUpperCase()}${situation.slice(1).replace('-', ' ')}`,
    unit: 'people',
  })),
];

export async function reconciliationDrift(db: StoreDb, period: ReportPeriod) {
  const ranges = bucketRanges(period);
  const plans = await db
    .selectFrom('reconcile_plan')
    .select(['created_at', 'counts_json'])
    // Classified: a plan still reading the directory has no counts yet.
    .where('counts_json', 'is not', null)
    .where('created_at', '>=', ranges[0]?.start ?? '')
    .where('created_at', '<', ranges.at(-1)?.end ?? '')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const byBucket = new Map<string, { reconciliations: number; latest: Record<string, number> }>();
  let latest: Record<string, number> | undefined;
  for (const plan of plans) {
    const range = ranges.find((candidate) => plan.created_at < candidate.end);
    if (!range || plan.counts_json === null) continue;
    latest = JSON.parse(plan.counts_json) as Record<string, number>;
    const seen = byBucket.get(range.key);
    byBucket.set(range.key, { reconciliations: (seen?.reconciliations ?? 0) + 1, latest });
  }
  const values = (reconciliations: number, counts: Record<string, number> | undefined): ReportValues => ({
    reconciliations,
    ...Object.fromEntries(
      situations.map((situation) => [
        situationKey(situation),
        counts === undefined ? null : (counts[situation] ?? 0),
      ]),
    ),
  });
  const table = tableOf(
    period,
    (bucket) => {
      const seen = byBucket.get(bucket);
      return values(seen?.reconciliations ?? 0, seen?.latest);
    },
    values(plans.length, latest),
  );
  return { ...table, found: plans.length };
}
