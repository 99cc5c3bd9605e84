/** The leaver-timeliness report (issue 32): deactivations against the last working day, deletions. */
import { type StoreDb } from './connection';
import { type ReportPeriod, percentile, rounded } from './report-periods';
import {
  type BucketOf,
  type BucketedEvent,
  type MilestoneReads,
  count,
  hourMs,
  sortedNumbers,
  tabulate,
} from './report-reads';
import { zonedDateTimeToEpochMs } from '../lifecycle/calendar';

export async function leaverTimeliness(
  db: StoreDb,
  reads: MilestoneReads,
  period: ReportPeriod,
  bucketOf: BucketOf,
  endOfWorkingDay: string,
) {
  const start = new Date(period.startMs).toISOString();
  const end = new Date(period.endMs).toISOString();
  const [deactivations, starts, deletions, holds] = await Promise.all([
    db
      .selectFrom('milestone')
      .leftJoin('person', 'person.external_id', 'milestone.external_id')
      .select(['milestone.run_id', 'milestone.at', 'person.lifecycle', 'person.last_working_day'])
      .where('milestone.kind', '=', 'deactivated')
      .where('milestone.at', '>=', start)
      .where('milestone.at', '<', end)
      .execute(),
    reads.ofRunsWith('deactivated', ['started'], period),
    db
      .selectFrom('milestone')
      .select(['run_id', 'at'])
      .where('kind', '=', 'deleted')
      .where('at', '>=', start)
      .where('at', '<', end)
      .execute(),
    reads.ofRunsWith('deleted', ['held'], period),
  ]);
  const startedAt = new Map(
    starts.filter((r) => r.kind === 'started').map((r) => [r.run_id, Date.parse(r.at)]),
  );
  const heldRuns = new Set(holds.filter((r) => r.kind === 'held').map((r) => r.run_id));
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
  type Leaver = BucketedEvent &
    (
      | { kind: 'deactivated'; hours: number }
      | { kind: 'started-late' | 'unknown-last-working-day' }
      | { kind: 'deleted'; held: boolean }
    );
  const events: Leaver[] = [];
  for (const row of deactivations) {
    const ms = Date.parse(row.at);
    const bucket = bucketOf(ms);
    // The person row holds the last working day of their latest offboarding (docs/reports.md).
    if (row.lifecycle !== 'offboarding' || !row.last_working_day) {
      events.push({ bucket, kind: 'unknown-last-working-day' });
      continue;
    }
    const dayEndMs = dayEnd(row.last_working_day);
    const started = startedAt.get(row.run_id);
    if (started !== undefined && started > dayEndMs) events.push({ bucket, kind: 'started-late' });
    else events.push({ bucket, kind: 'deactivated', hours: (ms - dayEndMs) / hourMs });
  }
  for (const row of deletions)
    events.push({ bucket: bucketOf(Date.parse(row.at)), kind: 'deleted', held: heldRuns.has(row.run_id) });
  return tabulate(period, events, (list) => {
    const hours = sortedNumbers(list.flatMap((e) => (e.kind === 'deactivated' ? [e.hours] : [])));
    return {
      deactivated: hours.length,
      medianHours: rounded(percentile(hours, 0.5)),
      p95Hours: rounded(percentile(hours, 0.95)),
      laterThan1Hour: count(hours, (h) => h > 1),
      startedLate: count(list, (e) => e.kind === 'started-late'),
      lastWorkingDayUnknown: count(list, (e) => e.kind === 'unknown-last-working-day'),
      deletedOnSchedule: count(list, (e) => e.kind === 'deleted' && !e.held),
      deletedAfterHold: count(list, (e) => e.kind === 'deleted' && e.held),
    };
  });
}
