/**
 * Small crafted .xlsx files for the import-limit tests: a real workbook from exceljs, then one thing
 * changed at the zip level (a declared size, a sheet's XML), as a broken or hostile generator would.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { zipEntries } from '../../client/csv/xlsx-bounds';

/** An offboarding sheet (header and one leaver), plus whatever `fill` adds. */
export async function leaversWorkbook(fill: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Leavers');
  sheet.addRow(['externalID', 'lastWorkingDay']);
  sheet.addRow(['emp-1', '2027-06-30']);
  fill(sheet);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Rewrites the uncompressed size one part declares in the zip's central directory. */
export function declareSize(zip: Buffer, part: string, size: number): Buffer {
  const copy = Buffer.from(zip);
  for (let at = 0; at + 46 <= copy.length; at += 1) {
    if (copy.readUInt32LE(at) !== 0x02014b50) continue;
    const nameLength = copy.readUInt16LE(at + 28);
    if (copy.toString('utf8', at + 46, at + 46 + nameLength) === part) {
      copy.writeUInt32LE(size, at + 24);
      return copy;
    }
  }
  throw new Error(`no part ${part}`);
}

/** A zip of the given parts, each deflated, each declaring its true size. */
export function zipOf(parts: [name: string, data: Buffer][]): Buffer {
  const locals: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of parts) {
    const compressed = deflateRawSync(data);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(compressed.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(nameBytes.length, 28);
    entry.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, compressed);
    directory.push(entry, nameBytes);
    offset += local.length + nameBytes.length + compressed.length;
  }
  const directoryBytes = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directoryBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directoryBytes, end]);
}

export const isSheet = (name: string) => /^xl\/worksheets\/sheet\d+\.xml$/.test(name);

/** The same workbook with its first sheet's XML edited: what a generator could have written. */
export function withSheetXml(zip: Buffer, edit: (xml: string) => string): Buffer {
  const parts = zipEntries(zip)
    .filter((entry) => !entry.name.endsWith('/'))
    .map((entry): [string, Buffer] => {
      const local = entry.localHeaderOffset;
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const raw = zip.subarray(start, start + entry.compressedSize);
      const data = entry.method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
      return [entry.name, isSheet(entry.name) ? Buffer.from(edit(data.toString('utf8'))) : data];
    });
  return zipOf(parts);
}
