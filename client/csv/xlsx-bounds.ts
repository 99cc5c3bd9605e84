/**
 * Checks an .xlsx workbook's size before exceljs loads it. exceljs builds the whole workbook in memory
 * from what the file claims: one cell in row 1,048,576 makes it (and the reader after it) walk a
 * million rows, a merged or validated range over a whole sheet expands cell by cell, and a zip bomb
 * unpacks to gigabytes. So, reading the zip directly and cheaply:
 *
 * 1. the zip directory's declared sizes: unpacked, the workbook may be at most XLSX_MAX_EXPANSION
 *    times IMPORT_MAX_FILE_MB (413 in the HR API);
 * 2. every part is unpacked as a stream that stops as soon as it yields more than its declared size
 *    (a lying directory is refused, never believed), and nothing is kept;
 * 3. while the worksheets stream by, the rows and cells they reach — and the ranges exceljs expands
 *    (merged cells, data validations, hyperlinks, column definitions) — are held to IMPORT_MAX_ROWS and
 *    IMPORT_MAX_COLUMNS (400).
 */
import { createInflateRaw } from 'node:zlib';
import { type ImportLimits } from '../../config/import-limits';
import { ImportFileError } from './import-file-error';
import {
  IMPORT_MAX_COLUMNS,
  XLSX_MAX_EXPANSION,
  fileTooLarge,
  tooManyColumns,
  tooManyRows,
} from './import-limits';

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  flags: number;
  compressedSize: number;
  /** As the zip directory declares it. */
  uncompressedSize: number;
  localHeaderOffset: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
/** Marks a ZIP64 field: sizes beyond 4 GiB, which no import file has. */
const ZIP64_MARK = 0xffffffff;
/** Parts of one workbook: a few dozen in practice. */
const MAX_PARTS = 10_000;
/** The largest column exceljs and Excel know (XFD). */
const EXCEL_MAX_COLUMN = 16_384;

export function unreadableXlsx(reason: string): ImportFileError {
  return new ImportFileError(
    `The file is not a readable .xlsx workbook (${reason}); ` +
      'save it again as "Excel Workbook (.xlsx)" or as "CSV UTF-8"',
  );
}

/** The entries of the zip's central directory, as declared. */
export function zipEntries(content: Buffer): ZipEntry[] {
  const earliest = Math.max(0, content.length - 22 - 0xffff);
  let end = -1;
  for (let at = content.length - 22; at >= earliest; at -= 1) {
    if (content.readUInt32LE(at) === END_OF_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) throw unreadableXlsx('no zip directory found');
  const count = content.readUInt16LE(end + 10);
  const directorySize = content.readUInt32LE(end + 12);
  const directoryOffset = content.readUInt32LE(end + 16);
  if (count === 0xffff || directorySize === ZIP64_MARK || directoryOffset === ZIP64_MARK) {
    throw unreadableXlsx('a ZIP64 archive');
  }
  if (count > MAX_PARTS) throw unreadableXlsx(`more than ${MAX_PARTS} parts`);
  if (directoryOffset + directorySize > end) throw unreadableXlsx('a broken zip directory');
  const entries: ZipEntry[] = [];
  let at = directoryOffset;
  for (let index = 0; index < count; index += 1) {
    if (at + 46 > end || content.readUInt32LE(at) !== DIRECTORY_ENTRY) {
      throw unreadableXlsx('a broken zip directory');
    }
    const nameLength = content.readUInt16LE(at + 28);
    const extraLength = content.readUInt16LE(at + 30);
    const commentLength = content.readUInt16LE(at + 32);
    if (at + 46 + nameLength > end) throw unreadableXlsx('a broken zip directory');
    entries.push({
      name: content.toString('utf8', at + 46, at + 46 + nameLength),
      flags: content.readUInt16LE(at + 8),
      method: content.readUInt16LE(at + 10),
      compressedSize: content.readUInt32LE(at + 20),
      uncompressedSize: content.readUInt32LE(at + 24),
      localHeaderOffset: content.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Unpacks one part as a stream, handing on each chunk; refuses more bytes than the directory declares. */
async function streamEntry(
  content: Buffer,
  entry: ZipEntry,
  onChunk: (chunk: Buffer) => void,
): Promise<void> {
  const local = entry.localHeaderOffset;
  if (local + 30 > content.length || content.readUInt32LE(local) !== LOCAL_HEADER) {
    throw unreadableXlsx(`part ${entry.name} is missing`);
  }
  const start = local + 30 + content.readUInt16LE(local + 26) + content.readUInt16LE(local + 28);
  if (start + entry.compressedSize > content.length) throw unreadableXlsx(`part ${entry.name} is cut off`);
  const data = content.subarray(start, start + entry.compressedSize);
  const larger = () => unreadableXlsx(`part ${entry.name} is larger than the zip directory declares`);
  if (entry.method === 0) {
    if (data.length > entry.uncompressedSize) throw larger();
    onChunk(data);
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const inflate = createInflateRaw();
    let produced = 0;
    const fail = (error: unknown) => {
      inflate.destroy();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    inflate.on('data', (chunk: Buffer) => {
      produced += chunk.length;
      if (produced > entry.uncompressedSize) return fail(larger());
      try {
        onChunk(chunk);
      } catch (error) {
        fail(error);
      }
    });
    inflate.on('error', (error) =>
      fail(unreadableXlsx(`part ${entry.name} cannot be unpacked: ${error.message}`)),
    );
    inflate.on('end', () => resolve());
    inflate.end(data);
  });
}

const columnNumber = (letters: string) =>
  [...letters.toUpperCase()].reduce((number, letter) => number * 26 + letter.charCodeAt(0) - 64, 0);

/** `B7`, `$B$7` → row 7, column 2; undefined for anything else (whole rows or columns: `A:A`). */
function cellAddress(text: string): { row: number; column: number; letters: string } | undefined {
  const match = /^\$?([A-Za-z]{1,3})\$?(\d{1,9})$/.exec(text.trim());
  if (!match?.[1] || !match[2]) return undefined;
  return { row: Number(match[2]), column: columnNumber(match[1]), letters: match[1].toUpperCase() };
}

/** Elements whose attributes say how far exceljs reaches, and the attribute that says it. */
const TAG = /<(?:[A-Za-z_][\w.-]*:)?(row|c|mergeCell|dataValidation|hyperlink|col)(?=[\s/>])([^>]*)>/g;
const attributePatterns = new Map(
  ['r', 'ref', 'sqref', 'max'].map((name) => [name, new RegExp(`\\s${name}\\s*=\\s*["']([^"']*)["']`)]),
);
const attribute = (attributes: string, name: 'r' | 'ref' | 'sqref' | 'max') =>
  attributePatterns.get(name)?.exec(attributes)?.[1];
/** A tag split across chunks is kept for the next one; longer than this, the sheet is not XML we read. */
const MAX_CARRY = 1024 * 1024;

/** Follows one worksheet's XML as it streams by; throws as soon as it reaches past a limit. */
class SheetExtent {
  #carry = '';
  #row = 0;
  #column = 0;

  constructor(
    private readonly sheet: string,
    private readonly limits: ImportLimits,
  ) {}

  feed(chunk: Buffer): void {
    // Tags and their attributes are ASCII: latin1 keeps every byte and never splits a character.
    const text = this.#carry + chunk.toString('latin1');
    const open = text.lastIndexOf('<');
    const cut = open > text.lastIndexOf('>') ? open : text.length;
    this.#carry = text.slice(cut);
    if (this.#carry.length > MAX_CARRY) throw unreadableXlsx(`${this.sheet} has a tag longer than 1 MiB`);
    for (const match of text.slice(0, cut).matchAll(TAG)) this.#element(match[1] ?? '', match[2] ?? '');
  }

  #element(name: string, attributes: string): void {
    switch (name) {
      case 'row': {
        const r = attribute(attributes, 'r');
        this.#row = r !== undefined && /^\d+$/.test(r) ? Number(r) : this.#row + 1;
        this.#column = 0;
        this.#checkRow(this.#row, 'a row');
        return;
      }
      case 'c': {
        const address = cellAddress(attribute(attributes, 'r') ?? '');
        this.#column = address?.column ?? this.#column + 1;
        if (address) this.#checkRow(address.row, `cell ${address.letters}${address.row}`);
        this.#checkColumn(this.#column, address ? `cell ${address.letters}${address.row}` : 'a cell');
        return;
      }
      case 'col': {
        // Column formats (min..max) are common across the whole sheet (max 16384); exceljs makes one
        // object per column, so only a number beyond Excel's own last column is refused.
        const max = Number(attribute(attributes, 'max') ?? '0');
        if (!Number.isSafeInteger(max) || max > EXCEL_MAX_COLUMN) {
          throw unreadableXlsx(`${this.sheet} defines columns beyond Excel's last column`);
        }
        return;
      }
      default: {
        // mergeCell ref, hyperlink ref, dataValidation sqref: exceljs expands these ranges cell by cell.
        const ranges = attribute(attributes, name === 'dataValidation' ? 'sqref' : 'ref') ?? '';
        const what =
          name === 'mergeCell' ? 'merged cells' : name === 'hyperlink' ? 'a link' : 'a data validation';
        for (const part of ranges.split(/[\s:]+/)) {
          const address = cellAddress(part);
          if (!address) continue;
          this.#checkRow(address.row, `${what} at ${address.letters}${address.row}`);
          this.#checkColumn(address.column, `${what} at ${address.letters}${address.row}`);
        }
      }
    }
  }

  #checkRow(row: number, what: string): void {
    // Row 1 is the header (or a title above it); IMPORT_MAX_ROWS rows may follow.
    if (row > this.limits.maxRows + 1)
      throw tooManyRows(this.limits, `${this.sheet} reaches row ${row}: ${what}`);
  }

  #checkColumn(column: number, what: string): void {
    if (column > IMPORT_MAX_COLUMNS) throw tooManyColumns(`${this.sheet} reaches column ${column}: ${what}`);
  }
}

const isWorksheet = (name: string) => /^xl\/worksheets\/[^/]+\.xml$/i.test(name);

/** Refuses a workbook over the limits (see above) before anything builds it in memory. */
export async function checkXlsxBounds(content: Buffer, limits: ImportLimits): Promise<void> {
  const entries = zipEntries(content);
  const budget = limits.maxFileBytes * XLSX_MAX_EXPANSION;
  let declared = 0;
  for (const entry of entries) {
    if (entry.uncompressedSize === ZIP64_MARK || entry.compressedSize === ZIP64_MARK) {
      throw unreadableXlsx('a ZIP64 archive');
    }
    declared += entry.uncompressedSize;
  }
  if (declared > budget) {
    throw fileTooLarge(
      limits,
      `The workbook unpacked (${Math.ceil(declared / 1024 / 1024)} MiB, at most ${XLSX_MAX_EXPANSION} × the file limit)`,
    );
  }
  for (const entry of entries) {
    if (entry.name.endsWith('/')) continue; // a folder
    if (entry.flags & 0x1) throw unreadableXlsx('it is encrypted (password-protected)');
    if (entry.method !== 0 && entry.method !== 8)
      throw unreadableXlsx(`part ${entry.name} uses an unknown compression`);
    const sheet = isWorksheet(entry.name)
      ? new SheetExtent(entry.name.replace(/^xl\//i, ''), limits)
      : undefined;
    await streamEntry(content, entry, (chunk) => sheet?.feed(chunk));
  }
}
