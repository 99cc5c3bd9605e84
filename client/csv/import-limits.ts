/**
 * The size limits of an import file, checked before the file is parsed: its bytes (IMPORT_MAX_FILE_MB),
 * its rows (IMPORT_MAX_ROWS) and its columns. A file over a limit is refused as a whole, naming the
 * limit; the HR API answers 413 for a file too large and 400 for too many rows or columns.
 */
import { type ImportLimits } from '../../config/import-limits';
import { ImportFileError } from './import-file-error';

export { type ImportLimits, defaultImportLimits } from '../../config/import-limits';

/** Columns of one import file: an HR export has tens; a cell in column XFD is a broken file. */
export const IMPORT_MAX_COLUMNS = 1_000;

/**
 * How much an .xlsx may unpack to, as a multiple of IMPORT_MAX_FILE_MB: sheets of text compress about
 * 5 to 10 times; a zip bomb, thousands of times.
 */
export const XLSX_MAX_EXPANSION = 10;

export type ImportLimitKind = 'file-too-large' | 'too-many-rows' | 'too-many-columns';

/** An import file over one of the limits: `limit` names it (the variable, or `columns`). */
export class ImportLimitError extends ImportFileError {
  constructor(
    readonly kind: ImportLimitKind,
    readonly limit: 'IMPORT_MAX_FILE_MB' | 'IMPORT_MAX_ROWS' | 'columns',
    readonly maximum: number,
    message: string,
  ) {
    super(message);
  }
}

export function fileTooLarge(limits: ImportLimits, what = 'The file'): ImportLimitError {
  return new ImportLimitError(
    'file-too-large',
    'IMPORT_MAX_FILE_MB',
    limits.maxFileMb,
    `${what} is larger than IMPORT_MAX_FILE_MB (${limits.maxFileMb} MiB): split it into smaller files`,
  );
}

export function tooManyRows(limits: ImportLimits, found: string): ImportLimitError {
  return new ImportLimitError(
    'too-many-rows',
    'IMPORT_MAX_ROWS',
    limits.maxRows,
    `The file has more than IMPORT_MAX_ROWS (${limits.maxRows}) rows below its header (${found}): split it into smaller files`,
  );
}

export function tooManyColumns(found: string): ImportLimitError {
  return new ImportLimitError(
    'too-many-columns',
    'columns',
    IMPORT_MAX_COLUMNS,
    `The file has more than ${IMPORT_MAX_COLUMNS} columns (${found}): leave out the columns the import does not need`,
  );
}

export function checkFileSize(bytes: number, limits: ImportLimits): void {
  if (bytes > limits.maxFileBytes) throw fileTooLarge(limits);
}
