/**
 * What the reports share (issue 32): the milestone reads (the same Kysely queries on both databases),
 * grouping events by bucket, and each person's rows in order. Grouping by ISO week or month in the
 * policy time zone and pairing milestones happen in code, where SQLite and PostgreSQL cannot disagree
 * about time zones.
 */
import { type StoreDb } from './connection';
import { type ReportPeriod } from './report-periods';
import { type ReportRow, type ReportValues } from './report-types';

export interface MilestoneRow {
  external_id: string;
  run_id: string;
  kind: string;
  at: string;
}

export interface BucketedEvent {
  bucket: string;
}

/** The bucket key (`2027-W03`, `2027-01`) of an instant, in the period's time zone. */
export type BucketOf = (ms: number) => string;

export const hourMs = 3_600_000;
export const dayMs = 24 * hourMs;

/** Events grouped by bucket (every bucket of the period, empty ones too) and over the whole period. */
export function tabulate<E extends BucketedEvent>(
  period: ReportPeriod,
  events: E[],
  measure: (events: E[]) => ReportValues,
): { rows: ReportRow[]; total: ReportValues } {
  const byBucket = new Map<string, E[]>(period.buckets.map((bucket) => [bucket.key, []]));
  for (const event of events) byBucket.get(event.bucket)?.push(event);
  return {
    rows: period.buckets.map((bucket) => ({
      period: bucket.key,
      from: bucket.from,
      to: bucket.to,
      values: measure(byBucket.get(bucket.key) ?? []),
    })),
    total: measure(events),
  };
}

export const sortedNumbers = (values: number[]) => [...values].sort((a, b) => a - b);
export const count = <E>(events: E[], test: (event: E) => boolean) => events.filter(test).length;

export const inPeriod = (period: ReportPeriod, at: string) => {
  const ms = Date.parse(at);
  return ms >= period.startMs && ms < period.endMs;
};

/** Each person's rows, oldest first. */
export function byPerson(rows: MilestoneRow[]): Map<string, MilestoneRow[]> {
  const people = new Map<string, MilestoneRow[]>();
  for (const row of rows) {
    const list = people.get(row.external_id);
    if (list) list.push(row);
    else people.set(row.external_id, [row]);
  }
  for (const list of people.values()) list.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return people;
}

export interface MilestoneReads {
  /** Milestones of `kinds` of the people who have a `trigger` milestone within the period. */
  ofPeopleWith(trigger: string, kinds: string[], period: ReportPeriod): Promise<MilestoneRow[]>;
  /** Milestones of `kinds` of the runs that have a `trigger` milestone within the period. */
  ofRunsWith(trigger: string, kinds: string[], period: ReportPeriod): Promise<MilestoneRow[]>;
}

export function milestoneReads(db: StoreDb): MilestoneReads {
  const within = (by: 'external_id' | 'run_id', trigger: string, kinds: string[], period: ReportPeriod) =>
    db
      .selectFrom('milestone')
      .select(['external_id', 'run_id', 'kind', 'at'])
      .where('kind', 'in', [...new Set([trigger, ...kinds])])
      .where(by, 'in', (eb) =>
        eb
          .selectFrom('milestone as within')
          .select(`within.${by}`)
          .where('within.kind', '=', trigger)
          .where('within.at', '>=', new Date(period.startMs).toISOString())
          .where('within.at', '<', new Date(period.endMs).toISOString()),
      )
      .execute();
  return {
    ofPeopleWith: (trigger, kinds, period) => within('external_id', trigger, kinds, period),
    ofRunsWith: (trigger, kinds, period) => within('run_id', trigger, kinds, period),
  };
}
