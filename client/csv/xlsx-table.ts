import type ExcelJS from 'exceljs';
import { ImportFileError } from './import-file-error';
import { type ImportTable, type TableRow } from './import-table';

/**
 * Reads one sheet of an Excel workbook (.xlsx) as an import table, so an HR export can be imported as
 * downloaded. Cells become the text a CSV export would hold: dates as YYYY-MM-DD (as typed cells, not
 * as the sheet displays them, so no regional form needs guessing), formulas as their result.
 */

/** Zip files (every .xlsx) start with these bytes. */
export function looksLikeXlsx(content: Buffer): boolean {
  return content.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
}

/** The old binary Excel format (.xls, Compound File) is not read: say how to get a readable file. */
export function looksLikeLegacyExcel(content: Buffer): boolean {
  return content.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]));
}

const isMidnight = (date: Date) =>
  date.getUTCHours() === 0 &&
  date.getUTCMinutes() === 0 &&
  date.getUTCSeconds() === 0 &&
  date.getUTCMilliseconds() === 0;

/** One cell's value as import text. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    // Excel dates carry no zone; exceljs hands them over as that wall-clock time in UTC.
    return isMidnight(value) ? value.toISOString().slice(0, 10) : value.toISOString();
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('hyperlink' in value) return value.text;
  if ('error' in value) return value.error;
  if ('result' in value) return cellText(value.result);
  return '';
}

function chooseSheet(workbook: ExcelJS.Workbook, sheet: string | undefined): ExcelJS.Worksheet {
  const names = workbook.worksheets.map((worksheet) => `"${worksheet.name}"`).join(', ');
  if (sheet === undefined) {
    const first = workbook.worksheets[0];
    if (!first) throw new ImportFileError('The workbook has no sheet');
    return first;
  }
  // By name (any case), or by position from 1 as the tabs are counted.
  const byName = workbook.worksheets.find(
    (worksheet) => worksheet.name.toLowerCase() === sheet.trim().toLowerCase(),
  );
  const byPosition = /^\d+$/.test(sheet.trim()) ? workbook.worksheets[Number(sheet) - 1] : undefined;
  const chosen = byName ?? byPosition;
  if (!chosen)
    throw new ImportFileError(`--sheet ${sheet}: the workbook has no such sheet (sheets: ${names})`);
  return chosen;
}

export async function readXlsxTable(content: Buffer, sheet?: string): Promise<ImportTable> {
  // Loaded on the first .xlsx, not with this module: exceljs takes about half a second to load, which
  // every CLI start would pay (a fast `--help`) and a CSV import never needs.
  const { default: excel } = await import('exceljs');
  const workbook = new excel.Workbook();
  try {
    // exceljs declares its own Buffer type; a Node Buffer is what it reads.
    await workbook.xlsx.load(content as unknown as Parameters<ExcelJS.Xlsx['load']>[0]);
  } catch (error) {
    throw new ImportFileError(
      `The file is not a readable .xlsx workbook (${error instanceof Error ? error.message : String(error)}); ` +
        'save it again as "Excel Workbook (.xlsx)" or as "CSV UTF-8"',
    );
  }
  const worksheet = chooseSheet(workbook, sheet);
  const rows: TableRow[] = [];
  let header: TableRow | undefined;
  for (let number = 1; number <= worksheet.rowCount; number += 1) {
    const values = worksheet.getRow(number).values;
    // `values` is 1-based (index 0 unused) and sparse where cells are empty.
    const cells = Array.isArray(values)
      ? Array.from({ length: Math.max(values.length - 1, 0) }, (_, i) => cellText(values[i + 1]))
      : [];
    if (!header) {
      if (cells.some((cell) => cell.trim() !== '')) header = { row: number, cells };
      continue;
    }
    rows.push({ row: number, cells });
  }
  if (!header)
    throw new ImportFileError(
      `The sheet "${worksheet.name}" is empty: it needs a header row and one row per person`,
    );
  return {
    headerRow: header.row,
    header: header.cells,
    rows,
    source: { format: 'xlsx', sheet: worksheet.name },
  };
}
