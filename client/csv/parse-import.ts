import { externalIdHygieneProblem } from '../../lifecycle/field-rules';
import { type LeaveRequest, leaveRequestSchema } from '../../lifecycle/leave-request';
import { type OffboardingRequest, offboardingRequestSchema } from '../../lifecycle/offboarding-request';
import { type OnboardingRequest, onboardingRequestSchema } from '../../lifecycle/onboarding-request';
import { type FieldProblem, validate } from '../../lifecycle/validation';
import {
  type ColumnSpec,
  type ImportKind,
  type ImportLifecycle,
  acceptsProfileColumns,
  importColumns,
} from './columns';
import { readCsvTable } from './csv-table';
import { type DateFormat, readDateCell } from './date-cells';
import { type HeaderMappingOptions, type MappedColumn, mapHeader, targetName } from './header-mapping';
import { type ImportLimits, checkFileSize, defaultImportLimits } from './import-limits';
import { type ImportTable } from './import-table';
import { RowUniqueness } from './row-uniqueness';
import { workbookTableOrText } from './workbook-first';

/**
 * Reads an onboarding, offboarding or leave import file: a header row, then one person per row. Every row is
 * checked by the request schemas before anything starts; each problem names the row and the field.
 *
 * - CSV (`csv-table.ts`) or an Excel workbook (`xlsx-table.ts`); headers are field names or HR-system
 *   aliases, or mapped by hand (`header-mapping.ts`).
 * - Rows are spreadsheet rows: the header is row 1, the first person row 2. Blank rows (also rows of
 *   delimiters only, as spreadsheets export them) are skipped but keep their number.
 * - Empty cells are absent fields. `groupIDs` and `reminderPolicy.remindAfterDays` hold several
 *   values separated by `|` or `;`. `profile.<field>` columns fill the custom profile fields. Dates
 *   are YYYY-MM-DD or the `dateFormat` given (`date-cells.ts`).
 * - Only the first row of an externalID, userName or email is imported; later rows repeating one are
 *   rejected naming the first (`row-uniqueness.ts`).
 */

export { ImportFileError } from './import-file-error';
export { ImportLimitError } from './import-limits';
export { decodeUtf8, detectDelimiter } from './csv-table';

export type ImportRequest =
  | { lifecycle: 'onboarding'; request: OnboardingRequest }
  | { lifecycle: 'offboarding'; request: OffboardingRequest }
  | { lifecycle: 'leave'; request: LeaveRequest };

export interface ValidImportRow {
  row: number;
  externalID: string;
  input: ImportRequest;
}

export interface RejectedImportRow {
  row: number;
  /** The row's externalID cell, when it has one. */
  externalID?: string;
  problems: FieldProblem[];
}

export interface ParsedImport {
  lifecycle: ImportLifecycle;
  /** For CSV files. */
  delimiter?: string;
  /** For Excel files: the sheet read. */
  sheet?: string;
  /** What each column fills, in file order (`ignored` for a column left out). */
  columns: string[];
  /** How each header was read, for the dry run. */
  mapping: MappedColumn[];
  /** Person rows seen (blank rows not counted). */
  rowCount: number;
  valid: ValidImportRow[];
  rejected: RejectedImportRow[];
}

export interface ImportOptions extends HeaderMappingOptions {
  /** The regional date form the file uses besides YYYY-MM-DD. */
  dateFormat?: DateFormat;
  /** IMPORT_MAX_ROWS, IMPORT_MAX_FILE_MB; the defaults when absent. */
  limits?: ImportLimits;
}

export interface ReadImportOptions extends ImportOptions {
  /** The workbook sheet to read (name or position from 1); the first by default. */
  sheet?: string;
}

export function columnList(lifecycle: ImportKind): string {
  const names = Object.keys(importColumns[lifecycle]);
  return [...names, ...(acceptsProfileColumns[lifecycle] ? ['profile.<field>'] : [])].join(', ');
}

const listSeparator = /[|;]/;

/** One cell → a field value, or a problem. */
function readCell(
  text: string,
  spec: ColumnSpec,
  dateFormat: DateFormat | undefined,
): { value: unknown } | { problem: string } {
  switch (spec.kind) {
    case 'text':
      return { value: text };
    case 'date':
      return readDateCell(text, dateFormat);
    case 'number':
      return /^[+-]?\d+$/.test(text) ? { value: Number(text) } : { problem: 'must be a whole number' };
    case 'list':
      return { value: splitList(text) };
    case 'number-list': {
      const parts = splitList(text);
      return parts.every((part) => /^\d+$/.test(part))
        ? { value: parts.map(Number) }
        : { problem: 'must be whole numbers separated by | or ;, e.g. 3|7|14' };
    }
  }
}

const splitList = (text: string) =>
  text
    .split(listSeparator)
    .map((part) => part.trim())
    .filter((part) => part !== '');

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1) as string] = value;
}

/**
 * One row's cells → the object its columns fill (`profile.<field>` and dotted fields nested), and the
 * cells that could not be read. Shared by imports and snapshots (snapshot-file.ts); the schema of the
 * file's kind judges the object.
 */
export function readRowFields(
  kind: ImportKind,
  columns: MappedColumn[],
  cells: string[],
  dateFormat: DateFormat | undefined,
): { object: Record<string, unknown>; problems: FieldProblem[] } {
  const table = importColumns[kind];
  const object: Record<string, unknown> = {};
  const problems: FieldProblem[] = [];
  if (cells.length > columns.length && cells.slice(columns.length).some((cell) => cell.trim() !== '')) {
    problems.push({
      field: '(row)',
      message: `has ${cells.length} cells but the header has ${columns.length} columns (an unquoted delimiter inside a cell?)`,
    });
  }
  for (const column of columns) {
    const raw = cells[column.index] ?? '';
    const text = raw.trim();
    if (text === '' || column.target.kind === 'ignored') continue; // empty cell: absent field
    // Judged as written, before the trim: a U+FEFF at the cell's edge is refused, not dropped.
    const hygiene =
      column.target.kind === 'field' && column.target.field === 'externalID'
        ? externalIdHygieneProblem(raw)
        : undefined;
    if (hygiene !== undefined) {
      problems.push({ field: 'externalID', message: hygiene });
      continue;
    }
    if (column.target.kind === 'profile') {
      const profile = (object.profile ??= {}) as Record<string, unknown>;
      profile[column.target.profileField] = text;
      continue;
    }
    const field = column.target.field;
    const read = readCell(text, table[field] as ColumnSpec, dateFormat);
    if ('problem' in read) problems.push({ field, message: read.problem });
    else setPath(object, field, read.value);
  }
  return { object, problems };
}

/** The schema's problems after the cells' own: a cell that could not be read is reported once. */
export function withSchemaProblems(
  cellProblems: FieldProblem[],
  schemaProblems: FieldProblem[],
): FieldProblem[] {
  // Not again as the schema's "expected number" for a cell already reported.
  const unreadable = new Set(cellProblems.map((problem) => problem.field));
  return [...cellProblems, ...schemaProblems.filter((problem) => !unreadable.has(problem.field))];
}

function rowToRequest(
  lifecycle: ImportLifecycle,
  columns: MappedColumn[],
  cells: string[],
  dateFormat: DateFormat | undefined,
): { input?: ImportRequest; problems: FieldProblem[] } {
  const { object, problems } = readRowFields(lifecycle, columns, cells, dateFormat);
  const checked = checkRequest(lifecycle, object);
  if (!checked.ok) return { problems: withSchemaProblems(problems, checked.problems) };
  return problems.length > 0 ? { problems } : { input: checked.input, problems };
}

/** Problems in the order of the columns they name (left to right, as HR reads the row). */
export function inColumnOrder(problems: FieldProblem[], columns: MappedColumn[]): FieldProblem[] {
  const names = columns.map((column) => targetName(column.target));
  const position = (field: string) => {
    const index = names.findIndex((name) => field === name || field.startsWith(`${name}.`));
    return index === -1 ? (field === '(row)' ? -1 : columns.length) : index;
  };
  return problems
    .map((problem, order) => ({ problem, order }))
    .sort((a, b) => position(a.problem.field) - position(b.problem.field) || a.order - b.order)
    .map(({ problem }) => problem);
}

function checkRequest(
  lifecycle: ImportLifecycle,
  object: Record<string, unknown>,
): { ok: true; input: ImportRequest } | { ok: false; problems: FieldProblem[] } {
  if (lifecycle === 'onboarding') {
    const result = validate(onboardingRequestSchema, object);
    return result.ok ? { ok: true, input: { lifecycle, request: result.value } } : result;
  }
  if (lifecycle === 'leave') {
    const result = validate(leaveRequestSchema, object);
    return result.ok ? { ok: true, input: { lifecycle, request: result.value } } : result;
  }
  const result = validate(offboardingRequestSchema, object);
  return result.ok ? { ok: true, input: { lifecycle, request: result.value } } : result;
}

/** The trimmed cells of the fields that must be unique across rows. */
export function cellsByField(columns: MappedColumn[], cells: string[]): Map<string, string> {
  const byField = new Map<string, string>();
  for (const column of columns) {
    if (column.target.kind === 'field') byField.set(column.target.field, (cells[column.index] ?? '').trim());
  }
  return byField;
}

/** Validates every row of a table; throws {@link ImportFileError} when its header is unusable. */
export function parseImportTable(
  table: ImportTable,
  lifecycle: ImportLifecycle,
  options: ImportOptions = {},
): ParsedImport {
  const columns = mapHeader(table.header, lifecycle, options, table.headerRow);
  const parsed: ParsedImport = {
    lifecycle,
    ...(table.source.format === 'csv' && { delimiter: table.source.delimiter }),
    ...(table.source.format === 'xlsx' && { sheet: table.source.sheet }),
    columns: columns.map((column) => targetName(column.target)),
    mapping: columns,
    rowCount: 0,
    valid: [],
    rejected: [],
  };
  const uniqueness = new RowUniqueness();
  for (const { row, cells } of table.rows) {
    if (cells.every((cell) => cell.trim() === '')) continue;
    parsed.rowCount += 1;
    const byField = cellsByField(columns, cells);
    const externalID = byField.get('externalID') || undefined;
    const { input, problems } = rowToRequest(lifecycle, columns, cells, options.dateFormat);
    const repeated = uniqueness.check(row, byField);
    if (input && problems.length === 0 && repeated.length === 0) {
      parsed.valid.push({ row, externalID: input.request.externalID, input });
    } else {
      // A repeat is named first: it is why the row is left out even when it is otherwise fine.
      const ordered = [
        ...repeated,
        ...inColumnOrder(problems, columns).filter((p) => !repeated.some((r) => r.field === p.field)),
      ];
      parsed.rejected.push({ row, ...(externalID !== undefined && { externalID }), problems: ordered });
    }
  }
  return parsed;
}

/** Parses and validates a whole CSV import file; throws {@link ImportFileError} when the file is unusable. */
export function parseImportFile(
  content: Buffer | string,
  lifecycle: ImportLifecycle,
  options: ImportOptions = {},
): ParsedImport {
  const limits = options.limits ?? defaultImportLimits;
  checkFileSize(typeof content === 'string' ? Buffer.byteLength(content) : content.length, limits);
  return parseImportTable(readCsvTable(content, limits), lifecycle, options);
}

/** A CSV or .xlsx import file (told apart by its first bytes, so `-` for stdin works too). */
export async function readImportFile(
  content: Buffer,
  lifecycle: ImportLifecycle,
  options: ReadImportOptions = {},
): Promise<ParsedImport> {
  const limits = options.limits ?? defaultImportLimits;
  const workbook = await workbookTableOrText(content, limits, options.sheet);
  if (workbook) return parseImportTable(workbook, lifecycle, options);
  return parseImportFile(content, lifecycle, options);
}

/** `row 4: email: must be an email address; userName: is required` */
export function formatRejectedRow(rejected: RejectedImportRow): string {
  const who = rejected.externalID !== undefined ? ` (${rejected.externalID})` : '';
  return `row ${rejected.row}${who}: ${rejected.problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`;
}
