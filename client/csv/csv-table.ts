import { CsvError, parse } from 'csv-parse/sync';
import { ImportFileError } from './import-file-error';
import {
  IMPORT_MAX_COLUMNS,
  type ImportLimits,
  defaultImportLimits,
  tooManyColumns,
  tooManyRows,
} from './import-limits';
import { type ImportTable } from './import-table';

/**
 * Reads a CSV import file as a table: UTF-8 with or without BOM; comma, semicolon or tab (detected from
 * the header line); quoted cells with delimiters, quotes ("") and line breaks inside; LF or CRLF.
 */

const candidateDelimiters = [',', ';', '\t'] as const;

/** The delimiter used most often in the header line, outside quotes; comma when there is none. */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>(candidateDelimiters.map((d) => [d, 0]));
  let inQuote = false;
  for (const char of text) {
    if (char === '"') inQuote = !inQuote;
    else if (!inQuote && (char === '\n' || char === '\r')) break;
    else if (!inQuote && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best = ',';
  for (const [delimiter, count] of counts) if (count > (counts.get(best) ?? 0)) best = delimiter;
  return best;
}

export function decodeUtf8(content: Buffer | string): string {
  if (typeof content === 'string') return content;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw new ImportFileError(
      'The file is not UTF-8 text: save it as "CSV UTF-8" (Excel) or UTF-8 CSV (other spreadsheets)',
    );
  }
}

export function readCsvTable(
  content: Buffer | string,
  limits: ImportLimits = defaultImportLimits,
): ImportTable {
  const text = decodeUtf8(content).replace(/^\uFEFF/, '');
  if (text.trim() === '')
    throw new ImportFileError('The file is empty: it needs a header row and one row per person');
  const delimiter = detectDelimiter(text);
  let records: string[][];
  try {
    // One record past the limit is enough to know the file is over it: parsing stops there.
    records = parse(text, {
      delimiter,
      relax_column_count: true,
      skip_empty_lines: false,
      to: limits.maxRows + 2,
    });
  } catch (error) {
    if (error instanceof CsvError) {
      throw new ImportFileError(`The file is not valid CSV: ${error.message}`);
    }
    throw error;
  }
  if (records.length > limits.maxRows + 1) {
    throw tooManyRows(limits, `row ${limits.maxRows + 2} is not the last`);
  }
  const wide = records.findIndex((record) => record.length > IMPORT_MAX_COLUMNS);
  if (wide !== -1) throw tooManyColumns(`row ${wide + 1} has ${records[wide]?.length} cells`);
  const [header = [], ...rows] = records;
  return {
    headerRow: 1,
    header,
    // Spreadsheet numbering: the header is row 1.
    rows: rows.map((cells, index) => ({ row: index + 2, cells })),
    source: { format: 'csv', delimiter },
  };
}
