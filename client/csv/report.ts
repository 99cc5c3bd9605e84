import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type ImportOutcome, type RowResult } from './run-import';

/**
 * The import report: every person row with its result, as JSON (`.json`) or CSV (`.csv`), chosen by
 * the file's extension. The CSV report opens in a spreadsheet next to the imported file.
 */
export type ReportFormat = 'json' | 'csv';

export function reportFormatOf(file: string): ReportFormat | undefined {
  const extension = path.extname(file).toLowerCase();
  return extension === '.json' ? 'json' : extension === '.csv' ? 'csv' : undefined;
}

export const reportCsvColumns = ['row', 'externalID', 'result', 'workflowId', 'runId', 'detail'] as const;

/**
 * Problems, an error, or how an earlier run closed — when it failed, with its innermost cause's
 * message (e.g. Staffbase's own words), not only "FAILED": one readable cell.
 */
export function rowDetail(row: RowResult): string {
  if (row.problems) return row.problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ');
  if (row.error) return row.error;
  if (row.failure) return `earlier run ${row.closedStatus ?? 'FAILED'}: ${row.failure}`;
  if (row.closedStatus) return `earlier run ${row.closedStatus}`;
  return row.staffbase ?? '';
}

/**
 * One CSV cell: quoted when it holds a delimiter, quote or line break. Text that a spreadsheet would run
 * as a formula (=, +, -, @ at the start) is prefixed with `'` (OWASP "CSV injection").
 */
export function csvCell(value: string | number | undefined): string {
  let text = value === undefined ? '' : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function reportAsCsv(outcome: ImportOutcome): string {
  const lines = [reportCsvColumns.join(',')];
  for (const row of outcome.rows) {
    lines.push(
      [row.row, row.externalID, row.result, row.workflowId, row.runId, rowDetail(row)].map(csvCell).join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function reportAsJson(outcome: ImportOutcome, sourceFile: string): string {
  return `${JSON.stringify({ file: sourceFile, ...outcome }, null, 2)}\n`;
}

export async function writeReport(file: string, outcome: ImportOutcome, sourceFile: string): Promise<void> {
  const format = reportFormatOf(file);
  if (!format) throw new Error(`The report file must end in .json or .csv: ${file}`);
  await writeFile(file, format === 'json' ? reportAsJson(outcome, sourceFile) : reportAsCsv(outcome), 'utf8');
}
