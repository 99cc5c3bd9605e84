/**
 * Import files over the limits are refused as a whole, naming the limit, before they are parsed:
 * IMPORT_MAX_FILE_MB, IMPORT_MAX_ROWS, the column cap, and for .xlsx the zip's declared and real
 * sizes and the rows, cells and ranges its sheets reach (checked before exceljs loads anything).
 * The crafted workbooks are made here: small, each with one thing wrong.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importLimits, importLimitsFromEnv } from '../../../config/import-limits';
import { ConfigError } from '../../../config/config-error';
import { IMPORT_MAX_COLUMNS, ImportLimitError } from '../../../client/csv/import-limits';
import { ImportFileError, parseImportFile, readImportFile } from '../../../client/csv/parse-import';
import { checkXlsxBounds, zipEntries } from '../../../client/csv/xlsx-bounds';
import {
  declareSize,
  isSheet,
  leaversWorkbook as workbook,
  withSheetXml,
  zipOf,
} from '../../helpers/crafted-xlsx';

const header = 'externalID,lastWorkingDay';

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
