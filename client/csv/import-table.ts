/**
 * An import file as a table of text cells, whatever it was saved as (CSV or Excel): the header row,
 * then the person rows with their spreadsheet row numbers (header = row 1; blank rows keep their number).
 */
export interface ImportTable {
  /** Row 1 in CSV; in a sheet, the first row with a cell (title-less exports start lower sometimes). */
  headerRow: number;
  header: string[];
  /** An array for CSV and xlsx; JSON snapshots make each row's cells as it is read. */
  rows: Iterable<TableRow>;
  /**
   * How the file was read, for the result: `csv` with its delimiter, `xlsx` with the sheet's name, or
   * `json` (snapshots: an array of objects, its keys as the header).
   */
  source: { format: 'csv'; delimiter: string } | { format: 'xlsx'; sheet: string } | { format: 'json' };
}

export interface TableRow {
  row: number;
  cells: string[];
}
