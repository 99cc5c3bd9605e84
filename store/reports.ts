/**
 * Reports over populations (issue 32), from the milestone rows the runs write (docs/store.md), never
 * from histories: the dispatcher. Each report lives in its own module (report-onboarding,
 * report-leavers, report-attention); what they share is in report-reads and report-types.
 */
import { type StoreConnection } from './connection';
import { needsAttention } from './report-attention';
import { leaverTimeliness } from './report-leavers';
import { activationFunnel, timeToActivate } from './report-onboarding';
import { bucketKey, localDates, reportPeriod } from './report-periods';
import { milestoneReads } from './report-reads';
import {
  ATTENTION_COLUMNS,
  FUNNEL_COLUMNS,
  LEAVER_COLUMNS,
  NOTES,
  type Report,
  type ReportColumn,
  type ReportQuery,
  TIME_TO_ACTIVATE_COLUMNS,
} from './report-types';

export { REPORT_NAMES } from './report-types';
export type { Report, ReportColumn, ReportName, ReportQuery, ReportRow, ReportValues } from './report-types';

export interface ReportQueries {
  report(query: ReportQuery): Promise<Report>;
}

export function reportQueries(connection: StoreConnection): ReportQueries {
  const { db } = connection;
  const reads = milestoneReads(db);

  return {
    async report(query) {
      const period = reportPeriod(query);
      const dateOf = localDates(period.timeZone);
      // Many milestones share a local date; the ISO week's arithmetic once per date.
      const bucketByDate = new Map<string, string>();
      const bucketOf = (ms: number) => {
        const date = dateOf(ms);
        let bucket = bucketByDate.get(date);
        if (bucket === undefined) {
          bucket = bucketKey(date, period.by);
          bucketByDate.set(date, bucket);
        }
        return bucket;
      };
      const frame = {
        name: query.name,
        from: period.from,
        to: period.to,
        by: period.by,
        timeZone: period.timeZone,
      };
      switch (query.name) {
        case 'activation-funnel':
          return {
            ...frame,
            columns: FUNNEL_COLUMNS,
            ...(await activationFunnel(reads, period, bucketOf)),
            note: NOTES[query.name],
          };
        case 'time-to-activate':
          return {
            ...frame,
            columns: TIME_TO_ACTIVATE_COLUMNS,
            ...(await timeToActivate(reads, period, bucketOf)),
            note: NOTES[query.name],
          };
        case 'leaver-timeliness':
          return {
            ...frame,
            columns: LEAVER_COLUMNS,
            ...(await leaverTimeliness(db, reads, period, bucketOf, query.endOfWorkingDay)),
            note: NOTES[query.name],
          };
        case 'needs-attention': {
          const { codes, ...table } = await needsAttention(db, reads, period, bucketOf);
          const codeColumns: ReportColumn[] = codes.map((code) => ({
            key: `code:${code}`,
            label: code === 'not-recorded' ? 'Code not recorded (resolved waits)' : `Parked now: ${code}`,
            unit: 'people',
          }));
          return {
            ...frame,
            columns: [...ATTENTION_COLUMNS, ...codeColumns],
            ...table,
            note: NOTES[query.name],
          };
        }
        case 'reconciliation-drift':
          return {
            ...frame,
            columns: [],
            rows: period.buckets.map((bucket) => ({
              period: bucket.key,
              from: bucket.from,
              to: bucket.to,
              values: {},
            })),
            total: {},
            note: NOTES[query.name],
          };
      }
    },
  };
}
