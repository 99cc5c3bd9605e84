import { type SnapshotRow, snapshotRowSchema } from '../../lifecycle/reconcile/snapshot-row';
import { validate } from '../../lifecycle/validation';
import { readCsvTable, decodeUtf8 } from './csv-table';
import { type MappedColumn, mapHeader, targetName } from './header-mapping';
import { ImportFileError } from './import-file-error';
import {
  IMPORT_MAX_COLUMNS,
  defaultImportLimits,
  tooManyColumns,
  tooManyRows,
  type ImportLimits,
} from './import-limits';
import { type ImportTable, type TableRow } from './import-table';
import {
  type ReadImportOptions,
  cellsByField,
  inColumnOrder,
  readRowFields,
  withSchemaProblems,
} from './parse-import';
import { RowUniqueness } from './row-uniqueness';
import { workbookTableOrText } from './workbook-first';

/**
 * Reads an HR snapshot (every person HR knows, docs/reconciliation.md) with the import machinery: the
 * same header aliases, `--map`/`--mapping` overrides, date formats and limits (IMPORT_MAX_ROWS,
 * IMPORT_MAX_FILE_MB) as imports, for CSV, .xlsx and JSON (an array of objects whose keys are field
 * names or aliases; a nested `profile` object fills `profile.<field>`, an array a list column).
 *
 * Unlike an import, an invalid row does not fail the snapshot: it becomes an `invalid` row with its
 * problems and still claims its externalID, so the reconciliation never reports that person's account
 * as absent. Rows are validated one at a time as `rows()` is iterated and are not collected: only the
 * table of cells (the file's rows) and the values that must be unique are held.
 */

export interface SnapshotFile {
  format: 'csv' | 'xlsx' | 'json';
  /** For CSV files. */
  delimiter?: string;
  /** For Excel files: the sheet read. */
  sheet?: string;
  /** What each column fills, in file order (`ignored` for a column left out). */
  columns: string[];
  /** How each header was read. */
  mapping: MappedColumn[];
  /** Each person row validated, in file order; blank rows skipped. Every call reads afresh. */
  rows: () => Generator<SnapshotRow>;
}

/** A snapshot file, told apart by its first bytes: a zip is .xlsx, `[` is JSON, anything else CSV. */
export async function readSnapshotFile(
  content: Buffer,
  options: ReadImportOptions = {},
): Promise<SnapshotFile> {
  const limits = options.limits ?? defaultImportLimits;
  const workbook = await workbookTableOrText(content, limits, options.sheet);
  if (workbook) return snapshotOf(workbook, options);
  const text = decodeUtf8(content).replace(/^\uFEFF/, '');
  if (text.trimStart().startsWith('[')) return snapshotOf(jsonTable(text, limits), options);
  return snapshotOf(readCsvTable(text, limits), options);
}

function snapshotOf(table: ImportTable, options: ReadImportOptions): SnapshotFile {
  const columns = headerOf(table, options);
  return {
    format: table.source.format,
    ...(table.source.format === 'csv' && { delimiter: table.source.delimiter }),
    ...(table.source.format === 'xlsx' && { sheet: table.source.sheet }),
    columns: columns.map((column) => targetName(column.target)),
    mapping: columns,
    rows: () => validatedRows(table.rows, columns, options),
  };
}

/** The header's columns; a JSON snapshot's keys are its header, so its problems say so. */
function headerOf(table: ImportTable, options: ReadImportOptions): MappedColumn[] {
  try {
    return mapHeader(table.header, 'snapshot', options, table.headerRow);
  } catch (error) {
    if (table.source.format !== 'json' || !(error instanceof ImportFileError)) throw error;
    throw new ImportFileError('The keys of this JSON snapshot have problems', error.problems);
  }
}

function* validatedRows(
  rows: Iterable<TableRow>,
  columns: MappedColumn[],
  options: ReadImportOptions,
): Generator<SnapshotRow> {
  const uniqueness = new RowUniqueness();
  for (const { row, cells } of rows) {
    if (cells.every((cell) => cell.trim() === '')) continue;
    const byField = cellsByField(columns, cells);
    // The cell as written, trimmed as every cell is: never normalised, so it matches only the same ID.
    const externalID = byField.get('externalID') || undefined;
    const read = readRowFields('snapshot', columns, cells, options.dateFormat);
    const checked = validate(snapshotRowSchema, read.object);
    const problems = checked.ok ? read.problems : withSchemaProblems(read.problems, checked.problems);
    const repeated = uniqueness.check(row, byField);
    if (checked.ok && problems.length === 0 && repeated.length === 0) {
      yield { kind: 'valid', row, person: checked.value };
      continue;
    }
    yield {
      kind: 'invalid',
      row,
      ...(externalID !== undefined && { externalID }),
      problems: [
        ...repeated,
        ...inColumnOrder(problems, columns).filter((p) => !repeated.some((r) => r.field === p.field)),
      ],
    };
  }
}

/**
 * A JSON snapshot as a table: the keys in order of first appearance are the header (`profile.<key>` for
 * a nested object's), each object a row numbered from 1 in array order. Values become the text a CSV
 * cell would hold, so aliases, dates and validation are the same.
 */
function jsonTable(text: string, limits: ImportLimits): ImportTable {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ImportFileError(
      `The file is not valid JSON (${error instanceof Error ? error.message : String(error)}): ` +
        'a JSON snapshot is one array of objects, one per person',
    );
  }
  if (!Array.isArray(json))
    throw new ImportFileError('A JSON snapshot must be one array of objects, one per person');
  if (json.length > limits.maxRows) throw tooManyRows(limits, `the array has ${json.length} objects`);
  if (json.length === 0)
    throw new ImportFileError('The JSON snapshot is empty: it needs one object per person');
  const problems: string[] = [];
  const header: string[] = [];
  const position = new Map<string, number>();
  json.forEach((item: unknown, index) => {
    if (!isPlainObject(item)) {
      problems.push(`item ${index + 1} is not an object`);
      return;
    }
    for (const key of flatKeys(item)) {
      if (position.has(key)) continue;
      position.set(key, header.length);
      header.push(key);
    }
  });
  if (problems.length > 0) {
    throw new ImportFileError(
      'A JSON snapshot must be one array of objects, one per person',
      problems.slice(0, 10),
    );
  }
  if (header.length > IMPORT_MAX_COLUMNS)
    throw tooManyColumns(`the objects have ${header.length} different keys`);
  const items = json as Record<string, unknown>[];
  return {
    headerRow: 0,
    header,
    // Cells are made as the rows are read, so the table holds the parsed objects only once.
    rows: {
      *[Symbol.iterator]() {
        for (const [index, item] of items.entries()) {
          const cells = Array.from({ length: header.length }, () => '');
          for (const [key, value] of flatEntries(item)) cells[position.get(key) ?? 0] = cellOf(value);
          yield { row: index + 1, cells };
        }
      },
    },
    source: { format: 'json' },
  };
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `{profile: {department: 'x'}}` → `profile.department`; one level, as the columns are. */
function* flatEntries(item: Record<string, unknown>): Generator<[string, unknown]> {
  for (const [key, value] of Object.entries(item)) {
    if (isPlainObject(value)) {
      for (const [inner, innerValue] of Object.entries(value)) yield [`${key}.${inner}`, innerValue];
    } else yield [key, value];
  }
}

function* flatKeys(item: Record<string, unknown>): Generator<string> {
  for (const [key] of flatEntries(item)) yield key;
}

/** A JSON value as cell text: lists joined with `|` as a list column reads them; null is an empty cell. */
function cellOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(cellOf).join('|');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
