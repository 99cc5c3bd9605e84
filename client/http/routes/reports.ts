/**
 * `GET /v1/reports/{name}`: reports over populations (issue 32, docs/reports.md) from the store's
 * milestone rows, by ISO week or month in the policy time zone, as JSON or as a CSV download
 * (`format=csv` or `Accept: text/csv`). Counts and durations only: no names, no externalIDs.
 */
import { z } from 'zod';
import { calendarDateSchema } from '../../../lifecycle/field-rules';
import { REPORT_NAMES, type Report, StoreInputError } from '../../../store';
import { csvCell } from '../../csv/report';
import { ApiError } from '../errors';
import { type ApiRoute, parseRequest } from '../route-spec';

export const reportNameSchema = z.enum(REPORT_NAMES, `must be one of ${REPORT_NAMES.join(', ')}`);

export const reportQuerySchema = z.strictObject({
  /** First day of the period (inclusive), in LIFECYCLE_TIME_ZONE. */
  from: calendarDateSchema,
  /** Last day of the period (inclusive). */
  to: calendarDateSchema,
  by: z.enum(['week', 'month'], 'must be week or month').default('week'),
  /** `csv`: a download; `json` (default) unless `Accept` asks for text/csv. */
  format: z.enum(['json', 'csv'], 'must be json or csv').optional(),
});

/** One line per period and a last `total` line: the figures as the JSON's rows and total. */
export function reportAsCsv(report: Report): string {
  const keys = report.columns.map((column) => column.key);
  const line = (cells: (string | number | null | undefined)[]) =>
    cells.map((cell) => csvCell(cell ?? undefined)).join(',');
  return [
    line(['period', 'from', 'to', ...keys]),
    ...report.rows.map((row) => line([row.period, row.from, row.to, ...keys.map((key) => row.values[key])])),
    line(['total', report.from, report.to, ...keys.map((key) => report.total[key])]),
  ]
    .map((text) => `${text}\r\n`)
    .join('');
}

const wantsCsv = (format: 'json' | 'csv' | undefined, accept: string | undefined): boolean =>
  format === 'csv' || (format === undefined && /\btext\/csv\b/i.test(accept ?? ''));

export const reportRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/v1/reports/{name}',
    operationId: 'getReport',
    tag: 'people',
    summary: 'A report over a period, by ISO week or month: activation, leaver timeliness, attention, drift',
    description:
      'From the service’s own store (the milestones the runs write at each stage change, never the run ' +
      'histories), grouped by ISO week (`2027-W03`) or month (`2027-01`) in LIFECYCLE_TIME_ZONE; `from` and ' +
      '`to` are inclusive days in that zone (at most 5 years apart). Every period of the range is a row, ' +
      'empty ones too; `total` is over the whole range (its medians and percentiles are of all values, not ' +
      'of the rows). `columns` names each figure with its unit; `note` says what it counts. Reports: ' +
      '`activation-funnel`, `time-to-activate`, `leaver-timeliness` (hours from the end of the last working ' +
      'day, OFFBOARDING_END_OF_WORKING_DAY, to the deactivation), `needs-attention`, `reconciliation-drift` ' +
      '(empty until reconciliations are recorded). `format=csv` or `Accept: text/csv`: the same figures as ' +
      'a CSV download, one line per period and a `total` line. Counts and durations only, never a name.',
    query: reportQuerySchema,
    responses: {
      200: { description: 'The report (or its CSV).', schema: 'Report', csv: true },
    },
    async handle(context) {
      // The path's name and the query, checked together: one 400 names every bad field.
      const { query } = parseRequest({
        query: [
          reportQuerySchema.extend({ name: reportNameSchema }),
          { ...(context.query as object), name: context.params.name },
        ],
      });
      const { offboarding } = context.deps.policies;
      let report: Report;
      try {
        report = await context.deps.store.reports.report({
          name: query.name,
          from: query.from,
          to: query.to,
          by: query.by,
          timeZone: offboarding.timeZone,
          endOfWorkingDay: offboarding.endOfWorkingDay,
        });
      } catch (error) {
        if (error instanceof StoreInputError)
          throw ApiError.invalid([{ field: error.field, message: error.problem }]);
        throw error;
      }
      if (!wantsCsv(query.format, context.accept)) return { statusCode: 200, body: report };
      return {
        statusCode: 200,
        body: reportAsCsv(report),
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${report.name}-${report.from}-${report.to}-by-${report.by}.csv"`,
        },
      };
    },
  },
];
