/**
 * The leaver-timeliness report (issue 32): deactivations against the last working day (one row per
 * deactivation: its hours need the person row's last working day), deletions counted per bucket.
 * The offboarding people's last working days are read once from a covering index and matched here:
 * tens of thousands of lookups into the person table would cost more than the report.
 */
import { type StoreDb } from './connection';
import { type ReportPeriod, percentile, rounded } from './report-periods';
import { type BucketReads, countsByBucket, hourMs, numbersByBucket, tableOf } from './report-reads';
import { zonedDateTimeToEpochMs } from '../lifecycle/calendar';

export async function leaverTimeliness(
  db: StoreDb,
  reads: BucketReads,
  period: ReportPeriod,
  endOfWorkingDay: string,
) {
  const { sql } = reads;
  const [deactivations, offboarding, deletions] = await Promise.all([
    reads.select<{ at: string; run_started_at: string | null; external_id: string }>({
      kind: 'deactivated',
      columns: sql`m.at, m.run_started_at, m.external_id`,
    }),
    db
      .selectFrom('person')
      .select(['external_id', 'last_working_day'])
      .where('lifecycle', '=', 'offboarding')
      .where('last_working_day', 'is not', null)
      .execute(),
    reads.select({
      kind: 'deleted',
      columns: sql`SUM(CASE WHEN m.after_hold = 1 THEN 0 ELSE 1 END) AS ${sql.ref('deletedOnSchedule')},
        SUM(CASE WHEN m.after_hold = 1 THEN 1 ELSE 0 END) AS ${sql.ref('deletedAfterHold')}`,
      groupBy: 'bucket',
    }),
  ]);
  // Many leavers share a last working day; the zone's arithmetic is the costly part.
  const dayEnds = new Map<string, number>();
  const dayEnd = (date: string) => {
    let ms = dayEnds.get(date);
    if (ms === undefined) {
      ms = zonedDateTimeToEpochMs(date, endOfWorkingDay, period.timeZone);
      dayEnds.set(date, ms);
    }
    return ms;
  };
  const lastWorkingDays = new Map(offboarding.map((person) => [person.external_id, person.last_working_day]));
  const hours: { bucket: string; value: number }[] = [];
  const deactivationRows: Record<string, unknown>[] = [];
  for (const row of deactivations) {
    const counted = { bucket: row.bucket, startedLate: 0, lastWorkingDayUnknown: 0 };
    deactivationRows.push(counted);
    // The person row holds the last working day of their latest offboarding (docs/reports.md).
    const lastWorkingDay = lastWorkingDays.get(row.external_id);
    if (!lastWorkingDay) {
      counted.lastWorkingDayUnknown = 1;
      continue;
    }
    const dayEndMs = dayEnd(lastWorkingDay);
    const started = row.run_started_at === null ? undefined : Date.parse(row.run_started_at);
    if (started !== undefined && started > dayEndMs) counted.startedLate = 1;
    else hours.push({ bucket: row.bucket, value: (Date.parse(row.at) - dayEndMs) / hourMs });
  }
  const byHours = numbersByBucket(hours);
  const others = countsByBucket(
    [...deactivationRows, ...deletions],
    ['startedLate', 'lastWorkingDayUnknown', 'deletedOnSchedule', 'deletedAfterHold'],
  );
  const measure = (sorted: number[], counts: Record<string, number>) => ({
    deactivated: sorted.length,
    medianHours: rounded(percentile(sorted, 0.5)),
    p95Hours: rounded(percentile(sorted, 0.95)),
    laterThan1Hour: sorted.filter((h) => h > 1).length,
    startedLate: counts.startedLate ?? 0,
    lastWorkingDayUnknown: counts.lastWorkingDayUnknown ?? 0,
    deletedOnSchedule: counts.deletedOnSchedule ?? 0,
    deletedAfterHold: counts.deletedAfterHold ?? 0,
  });
  return tableOf(
    period,
    (bucket) => measure(byHours.of(bucket), others.of(bucket)),
    measure(byHours.all, others.total),
  );
}
