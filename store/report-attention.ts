/**
 * The needs-attention report (issue 32): waits in needs-attention counted by bucket and by the code
 * recorded with each (resolved or not), their lengths (paired at write time) and reminders per
 * activation (counted on the `activated` row at write time).
 */
import { type ReportPeriod, percentile, rounded } from './report-periods';
import { type BucketReads, asNumber, countsByBucket, hourMs, numbersByBucket, tableOf } from './report-reads';

export const CODE_NOT_RECORDED = 'not-recorded';

export async function needsAttention(reads: BucketReads, period: ReportPeriod) {
  const { sql } = reads;
  const [entries, waits, activations] = await Promise.all([
    reads.select<{ code: string; entered: unknown }>({
      kind: 'needs-attention',
      // A literal, not a parameter: PostgreSQL matches the grouped expression with the selected one.
      columns: sql`COALESCE(m.attention_code, ${sql.lit(CODE_NOT_RECORDED)}) AS code, COUNT(*) AS entered`,
      groupBy: sql`COALESCE(m.attention_code, ${sql.lit(CODE_NOT_RECORDED)})`,
    }),
    reads.select<{ value: unknown }>({
      kind: 'needs-attention',
      columns: sql`m.wait_ms AS value`,
      where: sql`m.wait_ms IS NOT NULL`,
    }),
    reads.select<{ activations: unknown; reminders: unknown }>({
      kind: 'activated',
      columns: sql`COUNT(*) AS activations, SUM(m.reminders) AS reminders`,
      where: sql`m.since_invitation_ms IS NOT NULL`,
      groupBy: 'bucket',
    }),
  ]);
  const codes = [...new Set(entries.map((entry) => entry.code))].sort((a, b) =>
    a === CODE_NOT_RECORDED ? 1 : b === CODE_NOT_RECORDED ? -1 : a.localeCompare(b),
  );
  const codeKey = (code: string) => `code:${code}`;
  const entryCounts = countsByBucket(
    entries.map((entry) => ({
      bucket: entry.bucket,
      entered: entry.entered,
      [codeKey(entry.code)]: entry.entered,
    })),
    ['entered', ...codes.map(codeKey)],
  );
  const reminders = countsByBucket(activations, ['activations', 'reminders']);
  const hours = numbersByBucket(
    waits.map((row) => ({ bucket: row.bucket, value: asNumber(row.value) / hourMs })),
  );
  const measure = (counts: Record<string, number>, sortedWaits: number[], acts: Record<string, number>) => {
    const entered = counts.entered ?? 0;
    const activated = acts.activations ?? 0;
    return {
      entered,
      resolved: sortedWaits.length,
      stillWaiting: entered - sortedWaits.length,
      medianWaitHours: rounded(percentile(sortedWaits, 0.5)),
      p90WaitHours: rounded(percentile(sortedWaits, 0.9)),
      remindersPerActivation: activated === 0 ? null : rounded((acts.reminders ?? 0) / activated),
      ...Object.fromEntries(codes.map((code) => [codeKey(code), counts[codeKey(code)] ?? 0])),
    };
  };
  const table = tableOf(
    period,
    (bucket) => measure(entryCounts.of(bucket), hours.of(bucket), reminders.of(bucket)),
    measure(entryCounts.total, hours.all, reminders.total),
  );
  return { ...table, codes };
}
