import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { ImportFileError, readImportFile } from '../../../client/csv/parse-import';

/** A workbook as HR downloads it: typed cells (numbers, dates, formulas, rich text), several sheets. */
async function hrWorkbook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const cover = workbook.addWorksheet('Read me');
  cover.addRow(['Exported from the HR system']);
  const hires = workbook.addWorksheet('New Hires');
  hires.addRow([
    'Employee ID',
    'User Name',
    'First Name',
    'Last Name',
    'Work Email',
    'Hire Date',
    'Department',
  ]);
  hires.addRow([10042, 'ada', 'Ada', 'Lovelace', 'ada@example.test', new Date(Date.UTC(2027, 0, 15)), 'R&D']);
  hires.addRow([
    10043,
    'bob',
    { richText: [{ text: 'Bo' }, { text: 'b', font: { bold: true } }] },
    'Builder',
    { text: 'bob@example.test', hyperlink: 'mailto:bob@example.test' },
    // A date column that lost its date format: Excel's serial number.
    46387,
    { formula: '"Op"&"s"', result: 'Ops' },
  ]);
  // Rows 4 and 5 stay blank.
  hires.getRow(6).values = [10044, 'cy', 'Cy', 'Young', 'cy@example.test', '31.12.2026', ''];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('Excel (.xlsx) import files', () => {
  it('reads a sheet with the same mapping and checks as CSV; typed cells become import text', async () => {
    const workbook = await hrWorkbook();
    const parsed = await readImportFile(workbook, 'onboarding', {
      sheet: 'new hires',
      dateFormat: 'DD.MM.YYYY',
      overrides: [{ header: 'Department', target: 'profile.department', source: '--map' }],
    });
    assert.equal(parsed.sheet, 'New Hires');
    assert.equal(parsed.delimiter, undefined);
    assert.equal(parsed.rowCount, 3);
    assert.deepEqual(parsed.valid[0], {
      row: 2,
      externalID: '10042',
      input: {
        lifecycle: 'onboarding',
        request: {
          externalID: '10042',
          userName: 'ada',
          firstName: 'Ada',
          lastName: 'Lovelace',
          email: 'ada@example.test',
          startDate: '2027-01-15',
          profile: { department: 'R&D' },
        },
      },
    });
    // Blank rows keep their numbers: the next person is row 6, as the sheet shows.
    assert.deepEqual(
      parsed.valid.map((row) => [row.row, row.input.request.externalID]),
      [
        [2, '10042'],
        [6, '10044'],
      ],
    );
    const last = parsed.valid[1]?.input.request;
    assert.ok(last && 'startDate' in last);
    assert.equal(last.startDate, '2026-12-31');
    assert.equal(parsed.rejected.length, 1);
    assert.equal(parsed.rejected[0]?.row, 3);
    assert.equal(parsed.rejected[0]?.problems[0]?.field, 'startDate');
    assert.match(
      parsed.rejected[0]?.problems[0]?.message ?? '',
      /not the number 46387: Excel wrote the date/,
    );
  });

  it('reads the first sheet by default, a sheet by number, and names the sheets when one is missing', async () => {
    const workbook = await hrWorkbook();
    const firstSheet = (async () => {
      try {
        await readImportFile(workbook, 'onboarding');
      } catch (error) {
        assert.ok(error instanceof ImportFileError);
        return error.message;
      }
      return 'no error';
    })();
    assert.match(await firstSheet, /column 1 "Exported from the HR system" is not a field/);
    const second = await readImportFile(workbook, 'onboarding', { sheet: '2', ignoreUnknown: true });
    assert.equal(second.sheet, 'New Hires');
    await assert.rejects(
      readImportFile(workbook, 'onboarding', { sheet: 'Leavers' }),
      /--sheet Leavers: the workbook has no such sheet \(sheets: "Read me", "New Hires"\)/,
    );
  });

  it('refuses old .xls workbooks and broken .xlsx files with what to do, and --sheet for CSV', async () => {
    await assert.rejects(
      readImportFile(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'onboarding'),
      /old Excel workbook \(\.xls\): save it as \.xlsx/,
    );
    await assert.rejects(
      readImportFile(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0]), 'onboarding'),
      /not a readable \.xlsx workbook/,
    );
    await assert.rejects(
      readImportFile(Buffer.from('externalID\ne-1\n'), 'offboarding', { sheet: '1' }),
      /--sheet applies to \.xlsx/,
    );
  });
});
