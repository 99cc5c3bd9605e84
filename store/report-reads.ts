/**
 * What the reports share (issue 32): milestone rows counted per period bucket in the database. The
 * buckets' instants (ISO week or month in the policy time zone) are worked out in code and joined as a
 * small table, so each bucket is one range of the covering `milestone_kind_at_report` index and SQLite and PostgreSQL
 * group alike (SQLite has no time zones). What a report pairs by is on the rows already
 * (store/milestone-pairing.ts): one GROUP BY, or one number per event where a percentile needs it.
 */
import type { RawBuilder, Sql } from 'kysely' with { 'resolution-mode': 'import' };
import { zonedDateTimeToEpochMs } from '../lifecycle/calendar';
import { type StoreConnection } from './connection';
import { type ReportPeriod } from './report-periods';
import { type ReportRow, type ReportValues } from './report-types';

export const hourMs = 3_600_000;
export const dayMs = 24 * hourMs;

/** Each bucket of the period as the UTC text range of its instants, [start, end): they tile the period. */
export function bucketRanges(period: ReportPeriod) {
  const starts = period.buckets.map((bucket) =>
    zonedDateTimeToEpochMs(bucket.from, '00:00', period.timeZone),
  );
  return period.buckets.map((bucket, index) => ({
    key: bucket.key,
    start: new Date(starts[index] ?? period.startMs).toISOString(),
    end: new Date(starts[index + 1] ?? period.endMs).toISOString(),
  }));
}

/** Counts and sums come back as numbers from SQLite and as text (bigint, numeric) from PostgreSQL. */
export const asNumber = (value: unknown): number =>
  value === null || value === undefined ? 0 : Number(value);
export const asNullableNumber = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

export interface BucketReads {
  /**
   * `SELECT bucket, <columns> FROM milestone m` of `kind` within each bucket, with `where` (e.g.
   * `m.wait_ms IS NOT NULL`), grouped by bucket (and `groupBy`) when asked.
   */
  select<Row extends Record<string, unknown>>(options: {
    kind: string;
    columns: RawBuilder<unknown>;
    where?: RawBuilder<unknown>;
    groupBy?: RawBuilder<unknown> | 'bucket';
  }): Promise<(Row & { bucket: string })[]>;
  sql: Sql;
}

export function bucketReads(connection: StoreConnection, period: ReportPeriod): BucketReads {
  const { sql } = connection.kysely;
  const ranges = bucketRanges(period);
  const bucketTable = sql.join(ranges.map((range) => sql`(${range.key}, ${range.start}, ${range.end})`));
  return {
    sql,
    async select<Row extends Record<string, unknown>>(options: {
      kind: string;
      columns: RawBuilder<unknown>;
      where?: RawBuilder<unknown>;
      groupBy?: RawBuilder<unknown> | 'bucket';
    }) {
      const groupBy =
        options.groupBy === undefined
          ? sql``
          : options.groupBy === 'bucket'
            ? sql`GROUP BY bucket.bucket_key`
            : sql`GROUP BY bucket.bucket_key, ${options.groupBy}`;
      // CROSS JOIN: SQLite then keeps the buckets outside, one index range each (left to choose, it
      // scanned the kind and every bucket per row); PostgreSQL plans it as any join.
      const query = sql<
        Row & { bucket: string }
      >`WITH bucket (bucket_key, start_at, end_at) AS (VALUES ${bucketTable})
        SELECT bucket.bucket_key AS bucket, ${options.columns}
        FROM bucket
        CROSS JOIN milestone m
        WHERE m.kind = ${options.kind} AND m.at >= bucket.start_at AND m.at < bucket.end_at
        ${options.where ? sql`AND ${options.where}` : sql``}
        ${groupBy}`;
      return (await query.execute(connection.db)).rows;
    },
  };
}

/** One row per bucket of the period (empty ones too, from `empty`), and the total over the period. */
export function tableOf(
  period: ReportPeriod,
  values: (bucket: string) => ReportValues,
  total: ReportValues,
): { rows: ReportRow[]; total: ReportValues } {
  return {
    rows: period.buckets.map((bucket) => ({
      period: bucket.key,
      from: bucket.from,
      to: bucket.to,
      values: values(bucket.key),
    })),
    total,
  };
}

/** Per-bucket counts (the rows' `keys` summed by bucket) and their sums over the period. */
export function countsByBucket(rows: readonly Record<string, unknown>[], keys: readonly string[]) {
  const zero = () => Object.fromEntries(keys.map((key) => [key, 0])) as Record<string, number>;
  const byBucket = new Map<string, Record<string, number>>();
  const total = zero();
  for (const row of rows) {
    const bucket = String(row.bucket);
    let counts = byBucket.get(bucket);
    if (!counts) byBucket.set(bucket, (counts = zero()));
    for (const key of keys) {
      const value = asNumber(row[key]);
      counts[key] = (counts[key] ?? 0) + value;
      total[key] = (total[key] ?? 0) + value;
    }
  }
  const empty = zero();
  return { of: (bucket: string) => byBucket.get(bucket) ?? empty, total };
}

/** Per-bucket numbers (one per event), each list and the whole period's sorted for percentiles. */
export function numbersByBucket(rows: readonly { bucket: string; value: number }[]) {
  const byBucket = new Map<string, number[]>();
  const all: number[] = [];
  for (const { bucket, value } of rows) {
    const list = byBucket.get(bucket);
    if (list) list.push(value);
    else byBucket.set(bucket, [value]);
    all.push(value);
  }
  const ascending = (a: number, b: number) => a - b;
  for (const list of byBucket.values()) list.sort(ascending);
  all.sort(ascending);
  return { of: (bucket: string): number[] => byBucket.get(bucket) ?? [], all };
}
