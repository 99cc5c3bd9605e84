/**
 * The onboarding reports (issue 32): the activation funnel and the time to activate, counted on the
 * `invited` rows (their ending, paired at write time) and the `activated` rows (their time since the
 * invitation).
 */
import { type ReportPeriod, percentile, rounded } from './report-periods';
import { type BucketReads, asNumber, countsByBucket, dayMs, numbersByBucket, tableOf } from './report-reads';

const FUNNEL_KEYS = [
  'invited',
  'activatedWithin1Day',
  'activatedWithin7Days',
  'activatedWithin14Days',
  'activatedWithin30Days',
  'activated',
  'expired',
  'stillWaiting',
  'endedOtherwise',
] as const;

export async function activationFunnel(reads: BucketReads, period: ReportPeriod) {
  const { sql } = reads;
  const when = (condition: ReturnType<typeof sql>) => sql`SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
  const activatedWithin = (days: number) =>
    when(sql`m.ending_kind = 'activated' AND m.ending_after_ms <= ${sql.lit(days * dayMs)}`);
  const rows = await reads.select({
    kind: 'invited',
    columns: sql`COUNT(*) AS ${sql.ref('invited')},
      ${activatedWithin(1)} AS ${sql.ref('activatedWithin1Day')},
      ${activatedWithin(7)} AS ${sql.ref('activatedWithin7Days')},
      ${activatedWithin(14)} AS ${sql.ref('activatedWithin14Days')},
      ${activatedWithin(30)} AS ${sql.ref('activatedWithin30Days')},
      ${when(sql`m.ending_kind = 'activated'`)} AS ${sql.ref('activated')},
      ${when(sql`m.ending_kind = 'expired'`)} AS ${sql.ref('expired')},
      ${when(sql`m.ending_kind IS NULL`)} AS ${sql.ref('stillWaiting')},
      ${when(sql`m.ending_kind NOT IN ('activated', 'expired')`)} AS ${sql.ref('endedOtherwise')}`,
    groupBy: 'bucket',
  });
  const counts = countsByBucket(rows, FUNNEL_KEYS);
  return tableOf(period, counts.of, counts.total);
}

/** Days from the invitation of each activation within the period that has one. */
export async function timeToActivate(reads: BucketReads, period: ReportPeriod) {
  const { sql } = reads;
  const rows = await reads.select<{ value: unknown }>({
    kind: 'activated',
    columns: sql`m.since_invitation_ms AS value`,
    where: sql`m.since_invitation_ms IS NOT NULL`,
  });
  const days = numbersByBucket(
    rows.map((row) => ({ bucket: row.bucket, value: asNumber(row.value) / dayMs })),
  );
  const measure = (sorted: number[]) => ({
    activated: sorted.length,
    medianDays: rounded(percentile(sorted, 0.5)),
    p90Days: rounded(percentile(sorted, 0.9)),
  });
  return tableOf(period, (bucket) => measure(days.of(bucket)), measure(days.all));
}
