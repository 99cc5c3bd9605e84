/**
 * The first steps of reading any uploaded file, an import or a snapshot alike: its size, an old .xls
 * refused, an .xlsx workbook (told apart by its first bytes) read as a table within its bounds.
 */
import { ImportFileError } from './import-file-error';
import { type ImportLimits, checkFileSize } from './import-limits';
import { type ImportTable } from './import-table';
import { checkXlsxBounds } from './xlsx-bounds';
import { looksLikeLegacyExcel, looksLikeXlsx, readXlsxTable } from './xlsx-table';

/** The workbook's table; undefined for a text file, which each reader parses its own way. */
export async function workbookTableOrText(
  content: Buffer,
  limits: ImportLimits,
  sheet: string | undefined,
): Promise<ImportTable | undefined> {
  checkFileSize(content.length, limits);
  if (looksLikeLegacyExcel(content)) {
    throw new ImportFileError('The file is an old Excel workbook (.xls): save it as .xlsx or as "CSV UTF-8"');
  }
  if (looksLikeXlsx(content)) {
    // Before exceljs builds anything: the zip's declared and real sizes, the rows and columns it reaches.
    await checkXlsxBounds(content, limits);
    return readXlsxTable(content, sheet);
  }
  if (sheet !== undefined) throw new ImportFileError('--sheet applies to .xlsx workbooks only');
  return undefined;
}
