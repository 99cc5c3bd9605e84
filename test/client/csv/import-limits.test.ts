/**
 * Import files over the limits are refused as a whole, naming the limit, before they are parsed:
 * IMPORT_MAX_FILE_MB, IMPORT_MAX_ROWS, the column cap, and for .xlsx the zip's declared and real
 * sizes and the rows, cells and ranges its sheets reach (checked before exceljs loads anything).
 * The crafted workbooks are made here: small, each with one thing wrong.
 */
import assert from 'node:assert/strict';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { importLimits, importLimitsFromEnv } from '../../../config/import-limits';
import { ConfigError } from '../../../config/config-error';
import { IMPORT_MAX_COLUMNS, ImportLimitError } from '../../../client/csv/import-limits';
import { ImportFileError, parseImportFile, readImportFile } from '../../../client/csv/parse-import';
import { checkXlsxBounds, zipEntries } from '../../../client/csv/xlsx-bounds';

const header = 'externalID,lastWorkingDay';

async function workbook(fill: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Leavers');
  sheet.addRow(['externalID', 'lastWorkingDay']);
  sheet.addRow(['emp-1', '2027-06-30']);
  fill(sheet);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Rewrites the uncompressed size one part declares in the zip's central directory. */
function declareSize(zip: Buffer, part: string, size: number): Buffer {
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
function zipOf(parts: [name: string, data: Buffer][]): Buffer {
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

const isSheet = (name: string) => /^xl\/worksheets\/sheet\d+\.xml$/.test(name);

/** The same workbook with its first sheet's XML edited: what a generator could have written. */
function withSheetXml(zip: Buffer, edit: (xml: string) => string): Buffer {
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

async function refusal(content: Buffer, limits = importLimits(100_000, 20)): Promise<ImportLimitError> {
  let caught: unknown;
  await readImportFile(content, 'offboarding', { limits }).catch((error: unknown) => (caught = error));
  assert.ok(caught instanceof ImportLimitError, `expected an ImportLimitError, got ${String(caught)}`);
  return caught;
}

describe('import limits', () => {
  it('reads IMPORT_MAX_ROWS (default 100,000) and IMPORT_MAX_FILE_MB (default 20) from the environment', () => {
    assert.deepEqual(importLimitsFromEnv({}), {
      maxRows: 100_000,
      maxFileMb: 20,
      maxFileBytes: 20 * 1024 * 1024,
    });
    assert.deepEqual(
      importLimitsFromEnv({ IMPORT_MAX_ROWS: '500', IMPORT_MAX_FILE_MB: '2' }),
      importLimits(500, 2),
    );
    assert.throws(
      () => importLimitsFromEnv({ IMPORT_MAX_ROWS: '0', IMPORT_MAX_FILE_MB: 'lots' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /IMPORT_MAX_ROWS/.test(error.message) &&
        /IMPORT_MAX_FILE_MB/.test(error.message),
    );
  });

  describe('CSV', () => {
    it('refuses a file larger than IMPORT_MAX_FILE_MB, naming it', () => {
      const big = `${header}\n${'emp-1,2027-06-30\n'.repeat(70_000)}`; // about 1.1 MiB
      assert.throws(
        () => parseImportFile(big, 'offboarding', { limits: importLimits(100_000, 1) }),
        (error: unknown) =>
          error instanceof ImportLimitError &&
          error.kind === 'file-too-large' &&
          error.limit === 'IMPORT_MAX_FILE_MB' &&
          /IMPORT_MAX_FILE_MB \(1 MiB\)/.test(error.message),
      );
    });

    it('reads exactly IMPORT_MAX_ROWS rows, refuses one more (blank rows count: they keep their number)', () => {
      const rows = (count: number) => Array.from({ length: count }, (_, i) => `emp-${i},2027-06-30`);
      const limits = importLimits(5, 20);
      assert.equal(
        parseImportFile([header, ...rows(5)].join('\n'), 'offboarding', { limits }).valid.length,
        5,
      );
      for (const file of [
        [header, ...rows(6)],
        [header, ...rows(4), '', '', 'emp-9,2027-06-30'],
      ]) {
        assert.throws(
          () => parseImportFile(file.join('\n'), 'offboarding', { limits }),
          (error: unknown) =>
            error instanceof ImportLimitError &&
            error.kind === 'too-many-rows' &&
            /IMPORT_MAX_ROWS \(5\)/.test(error.message),
        );
      }
    });

    it(`refuses a row of more than ${IMPORT_MAX_COLUMNS} cells`, () => {
      assert.throws(
        () =>
          parseImportFile(`${header}\nemp-1,2027-06-30${','.repeat(IMPORT_MAX_COLUMNS)}\n`, 'offboarding'),
        (error: unknown) =>
          error instanceof ImportLimitError &&
          error.kind === 'too-many-columns' &&
          /row 2/.test(error.message),
      );
    });
  });

  describe('.xlsx, before exceljs loads it', () => {
    it('refuses a small workbook with one cell in row 1,048,576 (too many rows)', async () => {
      const far = await workbook((sheet) => (sheet.getCell('A1048576').value = 'x'));
      assert.ok(far.length < 20_000, `the crafted file is small (${far.length} bytes)`);
      const error = await refusal(far);
      assert.equal(error.kind, 'too-many-rows');
      assert.equal(error.limit, 'IMPORT_MAX_ROWS');
      assert.match(error.message, /row 1048576/);
      // The check alone (no exceljs) refuses it.
      await assert.rejects(checkXlsxBounds(far, importLimits(100_000, 20)), ImportLimitError);
    });

    it(`refuses a cell beyond column ${IMPORT_MAX_COLUMNS}, and ranges exceljs would expand cell by cell`, async () => {
      const wide = await refusal(await workbook((sheet) => (sheet.getCell('BZZ1').value = 'x')));
      assert.equal(wide.kind, 'too-many-columns');
      const plain = await workbook(() => undefined);
      const merged = await refusal(
        withSheetXml(plain, (xml) =>
          xml.replace(
            '</sheetData>',
            '</sheetData><mergeCells count="1"><mergeCell ref="C3:D1048000"/></mergeCells>',
          ),
        ),
      );
      assert.equal(merged.kind, 'too-many-rows');
      assert.match(merged.message, /merged cells/);
      // A list validation over a whole column, as templates have: exceljs expands it cell by cell.
      const validated = await refusal(
        withSheetXml(plain, (xml) =>
          xml.replace(
            '</sheetData>',
            '</sheetData><dataValidations count="1"><dataValidation type="list" sqref="B2:B1048576">' +
              '<formula1>"a,b"</formula1></dataValidation></dataValidations>',
          ),
        ),
      );
      assert.equal(validated.kind, 'too-many-rows');
      assert.match(validated.message, /data validation/);
    });

    it('refuses a zip whose directory declares a huge unpacked size (413 material: IMPORT_MAX_FILE_MB)', async () => {
      const honest = await workbook(() => undefined);
      const sheetPart = zipEntries(honest).find((entry) => isSheet(entry.name))?.name;
      assert.ok(sheetPart);
      const error = await refusal(declareSize(honest, sheetPart, 0xf0000000));
      assert.equal(error.kind, 'file-too-large');
      assert.equal(error.limit, 'IMPORT_MAX_FILE_MB');
      assert.match(error.message, /unpacked \(3841 MiB/);
    });

    it('refuses a zip bomb that declares its true size: 11 MiB of zeros in a few KiB, limit 1 MiB', async () => {
      const bomb = zipOf([['xl/worksheets/sheet1.xml', Buffer.alloc(11 * 1024 * 1024)]]);
      assert.ok(bomb.length < 64 * 1024, `${bomb.length} bytes`);
      const error = await refusal(bomb, importLimits(100_000, 1));
      assert.equal(error.kind, 'file-too-large');
    });

    it('refuses a part that unpacks to more than its directory declares, without believing it', async () => {
      const honest = await workbook(() => undefined);
      const sheetPart = zipEntries(honest).find((entry) => isSheet(entry.name))?.name;
      assert.ok(sheetPart);
      await assert.rejects(
        readImportFile(declareSize(honest, sheetPart, 10), 'offboarding'),
        (error: unknown) =>
          error instanceof ImportFileError &&
          !(error instanceof ImportLimitError) &&
          /larger than the zip directory declares/.test(error.message),
      );
    });

    it('reads a workbook within the limits as before, and exactly IMPORT_MAX_ROWS rows', async () => {
      const fine = await workbook((sheet) => {
        sheet.addRow(['emp-2', '2027-07-01']);
        sheet.getColumn(3).width = 30;
      });
      const parsed = await readImportFile(fine, 'offboarding', { limits: importLimits(2, 20) });
      assert.deepEqual(
        parsed.valid.map((row) => row.externalID),
        ['emp-1', 'emp-2'],
      );
      const error = await refusal(fine, importLimits(1, 20));
      assert.equal(error.kind, 'too-many-rows');
    });
  });
});
