/**
 * Reports over populations (issue 32), from the milestone rows the runs write (docs/store.md), never
 * from histories: the dispatcher. Each report lives in its own module (report-onboarding,
 * report-leavers, report-attention, report-drift); what they share is in report-reads and report-types.
 */
import { type StoreConnection } from './connection';
import { CODE_NOT_RECORDED, needsAttention } from './report-attention';
import { DRIFT_COLUMNS, reconciliationDrift } from './report-drift';
import { leaverTimeliness } from './report-leavers';
import { activationFunnel, timeToActivate } from './report-onboarding';
import { reportPeriod } from './report-periods';
import { bucketReads } from './report-reads';
import {
  ATTENTION_COLUMNS,
  DRIFT_NO_DATA_NOTE,
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
  return {
    async report(query) {
      const period = reportPeriod(query);
      const reads = bucketReads(connection, period);
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
            ...(await activationFunnel(reads, period)),
            note: NOTES[query.name],
          };
        case 'time-to-activate':
          return {
            ...frame,
            columns: TIME_TO_ACTIVATE_COLUMNS,
            ...(await timeToActivate(reads, period)),
            note: NOTES[query.name],
          };
        case 'leaver-timeliness':
          return {
            ...frame,
            columns: LEAVER_COLUMNS,
            ...(await leaverTimeliness(connection.db, reads, period, query.endOfWorkingDay)),
            note: NOTES[query.name],
          };
        case 'needs-attention': {
          const { codes, ...table } = await needsAttention(reads, period);
          const codeColumns: ReportColumn[] = codes.map((code) => ({
            key: `code:${code}`,
            label: code === CODE_NOT_RECORDED ? 'Code not recorded' : `Code ${code}`,
            unit: 'people',
          }));
          return {
            ...frame,
            columns: [...ATTENTION_COLUMNS, ...codeColumns],
            ...table,
            note: NOTES[query.name],
          };
        }
        case 'reconciliation-drift': {
          const { found, ...table } = await reconciliationDrift(connection.db, period);
          // Nothing to chart: the console shows the note instead of a table of empty columns.
          if (found === 0)
            return {
              ...frame,
              columns: [],
              rows: table.rows.map((row) => ({ ...row, values: {} })),
              total: {},
              note: DRIFT_NO_DATA_NOTE,
            };
          return { ...frame, columns: DRIFT_COLUMNS, ...table, note: NOTES[query.name] };
        }
      }
    },
  };
}
