import { CsvError, parse } from 'csv-parse/sync';
import { type OffboardingRequest, offboardingRequestSchema } from '../../lifecycle/offboarding-request';
import { type OnboardingRequest, onboardingRequestSchema } from '../../lifecycle/onboarding-request';
import { type FieldProblem, validate } from '../../lifecycle/validation';
import { type Lifecycle } from '../../lifecycle/workflow-ids';
import { type ColumnSpec, acceptsProfileColumns, importColumns, profileColumnPrefix } from './columns';

/**
 * Reads an onboarding or offboarding import file: a header row, then one person per row. Every row is
 * checked by the request schemas before anything starts; each problem names the row and the field.
 *
 * - UTF-8, with or without BOM; comma, semicolon or tab delimiters (detected from the header line);
 *   quoted cells ("a, b" or "say ""hi""") with delimiters and line breaks inside; LF or CRLF.
 * - Rows are spreadsheet rows: the header is row 1, the first person row 2. Blank rows (also rows of
 *   delimiters only, as spreadsheets export them) are skipped but keep their number.
 * - Empty cells are absent fields. `groupIDs` and `reminderPolicy.remindAfterDays` hold several
 *   values separated by `|` or `;`. `profile.<field>` columns fill the custom profile fields.
 * - Only the first row of an externalID is imported; later rows with it are rejected as duplicates.
 */

export type ImportRequest =
  | { lifecycle: 'onboarding'; request: OnboardingRequest }
  | { lifecycle: 'offboarding'; request: OffboardingRequest };

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
  lifecycle: Lifecycle;
  delimiter: string;
  columns: string[];
  /** Person rows seen (blank rows not counted). */
  rowCount: number;
  valid: ValidImportRow[];
  rejected: RejectedImportRow[];
}

/** The file as a whole cannot be imported (not UTF-8, no header, unknown columns, broken quoting). */
export class ImportFileError extends Error {
  override readonly name = 'ImportFileError';
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(problems.length > 0 ? `${message}:\n  - ${problems.join('\n  - ')}` : message);
  }
}

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

interface HeaderColumn {
  /** The canonical name: a column of the table, or `profile.<field>`. */
  name: string;
  spec: ColumnSpec;
  /** For `profile.<field>` columns. */
  profileField?: string;
}

const profileSpec: ColumnSpec = { kind: 'text', required: false, description: 'custom profile field' };

function readHeader(cells: string[], lifecycle: Lifecycle): HeaderColumn[] {
  const table = importColumns[lifecycle];
  const byLowerCase = new Map(Object.keys(table).map((name) => [name.toLowerCase(), name]));
  const problems: string[] = [];
  const seen = new Set<string>();
  const columns = cells.map((cell, index): HeaderColumn => {
    const text = cell.trim();
    const position = `column ${index + 1}`;
    let column: HeaderColumn;
    const known = byLowerCase.get(text.toLowerCase());
    if (known) {
      column = { name: known, spec: table[known] as ColumnSpec };
    } else if (
      acceptsProfileColumns[lifecycle] &&
      text.toLowerCase().startsWith(profileColumnPrefix) &&
      text.length > profileColumnPrefix.length
    ) {
      const profileField = text.slice(profileColumnPrefix.length);
      column = { name: `${profileColumnPrefix}${profileField}`, spec: profileSpec, profileField };
    } else {
      problems.push(
        text === ''
          ? `${position} has no name`
          : `${position} "${text}" is not a field of an ${lifecycle} request (columns: ${columnList(lifecycle)})`,
      );
      column = { name: text, spec: profileSpec };
    }
    if (seen.has(column.name)) problems.push(`${position} "${text}" appears twice`);
    seen.add(column.name);
    return column;
  });
  for (const [name, spec] of Object.entries(table)) {
    if (spec.required && !seen.has(name)) problems.push(`the required column "${name}" is missing`);
  }
  if (problems.length > 0)
    throw new ImportFileError(`The header row (row 1) of this ${lifecycle} file has problems`, problems);
  return columns;
}

export function columnList(lifecycle: Lifecycle): string {
  const names = Object.keys(importColumns[lifecycle]);
  return [...names, ...(acceptsProfileColumns[lifecycle] ? ['profile.<field>'] : [])].join(', ');
}

const listSeparator = /[|;]/;

/** One cell → a field value, or a problem. */
function readCell(text: string, spec: ColumnSpec): { value: unknown } | { problem: string } {
  switch (spec.kind) {
    case 'text':
      return { value: text };
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

function rowToRequest(
  lifecycle: Lifecycle,
  columns: HeaderColumn[],
  cells: string[],
): { input?: ImportRequest; problems: FieldProblem[] } {
  const object: Record<string, unknown> = {};
  const problems: FieldProblem[] = [];
  if (cells.length > columns.length && cells.slice(columns.length).some((cell) => cell.trim() !== '')) {
    problems.push({
      field: '(row)',
      message: `has ${cells.length} cells but the header has ${columns.length} columns (an unquoted delimiter inside a cell?)`,
    });
  }
  columns.forEach((column, index) => {
    const text = (cells[index] ?? '').trim();
    if (text === '') return; // empty cell: absent field
    const read = readCell(text, column.spec);
    if ('problem' in read) {
      problems.push({ field: column.name, message: read.problem });
    } else if (column.profileField !== undefined) {
      const profile = (object.profile ??= {}) as Record<string, unknown>;
      profile[column.profileField] = read.value;
    } else {
      setPath(object, column.name, read.value);
    }
  });

  const checked = checkRequest(lifecycle, object);
  if (!checked.ok) {
    // A cell that could not be read is reported once, not again as the schema's "expected number".
    const unreadable = new Set(problems.map((problem) => problem.field));
    problems.push(...checked.problems.filter((problem) => !unreadable.has(problem.field)));
    return { problems: inColumnOrder(problems, columns) };
  }
  return problems.length > 0
    ? { problems: inColumnOrder(problems, columns) }
    : { input: checked.input, problems };
}

/** Problems in the order of the columns they name (left to right, as HR reads the row). */
function inColumnOrder(problems: FieldProblem[], columns: HeaderColumn[]): FieldProblem[] {
  const position = (field: string) => {
    const index = columns.findIndex((column) => field === column.name || field.startsWith(`${column.name}.`));
    return index === -1 ? (field === '(row)' ? -1 : columns.length) : index;
  };
  return problems
    .map((problem, order) => ({ problem, order }))
    .sort((a, b) => position(a.problem.field) - position(b.problem.field) || a.order - b.order)
    .map(({ problem }) => problem);
}

function checkRequest(
  lifecycle: Lifecycle,
  object: Record<string, unknown>,
): { ok: true; input: ImportRequest } | { ok: false; problems: FieldProblem[] } {
  if (lifecycle === 'onboarding') {
    const result = validate(onboardingRequestSchema, object);
    return result.ok ? { ok: true, input: { lifecycle, request: result.value } } : result;
  }
  const result = validate(offboardingRequestSchema, object);
  return result.ok ? { ok: true, input: { lifecycle, request: result.value } } : result;
}

/** Parses and validates a whole import file; throws {@link ImportFileError} when the file is unusable. */
export function parseImportFile(content: Buffer | string, lifecycle: Lifecycle): ParsedImport {
  const text = decodeUtf8(content).replace(/^\uFEFF/, '');
  if (text.trim() === '')
    throw new ImportFileError('The file is empty: it needs a header row and one row per person');
  const delimiter = detectDelimiter(text);
  let records: string[][];
  try {
    records = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: false });
  } catch (error) {
    if (error instanceof CsvError) {
      throw new ImportFileError(`The file is not valid CSV: ${error.message}`);
    }
    throw error;
  }
  const [header = [], ...rows] = records;
  const columns = readHeader(header, lifecycle);
  const externalIdIndex = columns.findIndex((column) => column.name === 'externalID');

  const parsed: ParsedImport = {
    lifecycle,
    delimiter,
    columns: columns.map((column) => column.name),
    rowCount: 0,
    valid: [],
    rejected: [],
  };
  const firstRowOf = new Map<string, number>();
  rows.forEach((cells, index) => {
    const row = index + 2; // spreadsheet numbering: the header is row 1
    if (cells.every((cell) => cell.trim() === '')) return;
    parsed.rowCount += 1;
    const externalID = (cells[externalIdIndex] ?? '').trim() || undefined;
    const { input, problems } = rowToRequest(lifecycle, columns, cells);
    if (externalID !== undefined) {
      const first = firstRowOf.get(externalID);
      if (first === undefined) firstRowOf.set(externalID, row);
      else
        problems.unshift({
          field: 'externalID',
          message: `duplicate of row ${first} (only the first row of an externalID is imported)`,
        });
    }
    if (input && problems.length === 0) {
      parsed.valid.push({ row, externalID: input.request.externalID, input });
    } else {
      parsed.rejected.push({ row, ...(externalID !== undefined && { externalID }), problems });
    }
  });
  return parsed;
}

/** `row 4: email: must be an email address; userName: is required` */
export function formatRejectedRow(rejected: RejectedImportRow): string {
  const who = rejected.externalID !== undefined ? ` (${rejected.externalID})` : '';
  return `row ${rejected.row}${who}: ${rejected.problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`;
}
