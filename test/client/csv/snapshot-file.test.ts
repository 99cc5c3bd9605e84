/**
 * HR snapshot files (client/csv/snapshot-file.ts): CSV, .xlsx and JSON read with the imports' aliases,
 * mappings, date formats and limits; every row validated, an invalid row kept with its problems and
 * its raw externalID.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { ImportLimitError } from '../../../client/csv/import-limits';
import { ImportFileError } from '../../../client/csv/parse-import';
import { readSnapshotFile } from '../../../client/csv/snapshot-file';
import { importLimits } from '../../../config/import-limits';
import { Reconciliation } from '../../../lifecycle/reconcile/classify';
import type { SnapshotRow } from '../../../lifecycle/reconcile/snapshot-row';

async function rowsOf(content: string | Buffer, options: Parameters<typeof readSnapshotFile>[1] = {}) {
  const file = await readSnapshotFile(typeof content === 'string' ? Buffer.from(content) : content, options);
  return { file, rows: [...file.rows()] };
}

const invalid = (rows: SnapshotRow[]) =>
  rows.flatMap((row) =>
    row.kind === 'invalid'
      ? [
          {
            row: row.row,
            externalID: row.externalID,
            problems: row.problems.map((p) => `${p.field}: ${p.message}`),
          },
        ]
      : [],
  );

async function refusal(
  content: string | Buffer,
  options: Parameters<typeof readSnapshotFile>[1],
): Promise<Error> {
  try {
    await rowsOf(content, options);
  } catch (error) {
    assert.ok(error instanceof ImportFileError, `expected an ImportFileError, got ${String(error)}`);
    return error;
  }
  assert.fail('the file was read');
}

describe('HR snapshot files', () => {
  it('reads a CSV export with HR headers, status words in any case, dates and a --map', async () => {
    const csv = [
      'Employee ID;Employment Status;User Name;First Name;Last Name;Work Email;Hire Date;Termination Date;Leave Start Date;Return Date;Cost Center;Groups',
      '1001;Active;ada;Ada;Lovelace;ada@example.test;15.01.2027;;;;CC-1;sales|berlin',
      '1002;WITHDRAWN;;;;;;31.03.2027;;;;',
      '1003;on_leave;cy;Cy;Young;cy@example.test;;;01.03.2027;30.09.2027;;',
    ].join('\r\n');
    const { file, rows } = await rowsOf(csv, {
      dateFormat: 'DD.MM.YYYY',
      overrides: [{ header: 'Cost Center', target: 'profile.costCenter', source: '--map' }],
    });
    assert.equal(file.format, 'csv');
    assert.equal(file.delimiter, ';');
    assert.deepEqual(file.columns, [
      'externalID',
      'status',
      'userName',
      'firstName',
      'lastName',
      'email',
      'startDate',
      'lastWorkingDay',
      'leaveFrom',
      'leaveUntil',
      'profile.costCenter',
      'groupIDs',
    ]);
    assert.deepEqual(rows, [
      {
        kind: 'valid',
        row: 2,
        person: {
          externalID: '1001',
          status: 'active',
          userName: 'ada',
          firstName: 'Ada',
          lastName: 'Lovelace',
          email: 'ada@example.test',
          startDate: '2027-01-15',
          profile: { costCenter: 'CC-1' },
          groupIDs: ['sales', 'berlin'],
        },
      },
      {
        kind: 'valid',
        row: 3,
        person: { externalID: '1002', status: 'terminated', lastWorkingDay: '2027-03-31' },
      },
      {
        kind: 'valid',
        row: 4,
        person: {
          externalID: '1003',
          status: 'leave',
          userName: 'cy',
          firstName: 'Cy',
          lastName: 'Young',
          email: 'cy@example.test',
          leaveFrom: '2027-03-01',
          leaveUntil: '2027-09-30',
        },
      },
    ]);
  });

  it('keeps an invalid row with every problem by field and row, and its raw externalID', async () => {
    const zeroWidth = 'E5\u200b';
    const csv = [
      'externalID,status,userName,firstName,lastName,email,startDate,lastWorkingDay',
      'E1,active,ann,Ann,Lee,ann@example.test,,',
      'E2,Inactive,,,,,,',
      'E3,active,bea,Bea,,not-an-email,2027-02-30,',
      'E1,terminated,,,,,,',
      ',terminated,,,,,,2027-01-01',
      `${zeroWidth},terminated,,,,,,`,
      'E6,active,ANN,Ann,Other,x@example.test,,',
      'E7,leave,,,,,,',
    ].join('\n');
    const { rows } = await rowsOf(csv);
    assert.deepEqual(invalid(rows), [
      {
        row: 3,
        externalID: 'E2',
        problems: [
          'status: must be active, terminated or leave (also read: employed, separated, withdrawn, left, on leave, leave of absence, loa)',
        ],
      },
      {
        row: 4,
        externalID: 'E3',
        problems: [
          'lastName: is required for an active person',
          'email: must be an email address',
          'startDate: must be a date in the form YYYY-MM-DD',
        ],
      },
      {
        row: 5,
        externalID: 'E1',
        problems: ['externalID: duplicate of row 2 (only the first row of an externalID is imported)'],
      },
      { row: 6, externalID: undefined, problems: ['externalID: is required'] },
      {
        row: 7,
        externalID: zeroWidth,
        problems: [
          'externalID: must not contain zero-width or invisible characters (U+200B); fix the id in the HR system',
        ],
      },
      {
        row: 8,
        externalID: 'E6',
        problems: ['userName: same as row 2 (user names are unique in Staffbase, whatever their case)'],
      },
    ]);
    assert.deepEqual(
      rows.filter((row) => row.kind === 'valid').map((row) => row.row),
      [2, 9],
    );
  });

  it('an invalid row claims its account: it is never reported absent', async () => {
    const { rows } = await rowsOf('Employee ID,Worker Status\nE2,fired\n');
    const reconciliation = new Reconciliation({ today: '2027-03-15', absent: 'leaver' });
    for (const row of rows) reconciliation.addRow(row);
    reconciliation.addDirectoryPage([
      {
        id: '77',
        externalID: 'E2',
        status: 'activated',
        userName: null,
        firstName: null,
        lastName: null,
        emails: [],
        locale: null,
        groupIDs: null,
        profile: null,
      },
    ]);
    const entries = [...reconciliation.entries()];
    assert.deepEqual(
      entries.map((entry) => [entry.externalID, entry.situation, entry.action, entry.staffbaseId]),
      [['E2', 'invalid', 'report', '77']],
    );
  });

  it('refuses a header without status or externalID, naming the aliases it reads', async () => {
    const error = await refusal('Employee Number,Name\n1,Ann\n', {});
    assert.match(error.message, /header row \(row 1\) of this snapshot file has problems/);
    const details = (error as ImportFileError).problems.join('\n');
    assert.match(details, /column 2 "Name" is not a field of a snapshot row/);
    assert.match(
      details,
      /the required column "status" is missing \(also read from: Employment Status, Worker Status/,
    );
  });

  it('reads an .xlsx export: typed dates, numbers as IDs', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Everyone');
    sheet.addRow([
      'Worker ID',
      'Worker Status',
      'Last Day of Work',
      'Username',
      'Given Name',
      'Surname',
      'E-mail',
      'Start Date',
    ]);
    sheet.addRow([2001, 'Terminated', new Date(Date.UTC(2027, 2, 31)), null, null, null, null, null]);
    sheet.addRow([
      2002,
      'Active',
      null,
      'dee',
      'Dee',
      'Dunn',
      'dee@example.test',
      new Date(Date.UTC(2027, 5, 1)),
    ]);
    const { file, rows } = await rowsOf(Buffer.from(await workbook.xlsx.writeBuffer()));
    assert.equal(file.format, 'xlsx');
    assert.equal(file.sheet, 'Everyone');
    assert.deepEqual(rows, [
      {
        kind: 'valid',
        row: 2,
        person: { externalID: '2001', status: 'terminated', lastWorkingDay: '2027-03-31' },
      },
      {
        kind: 'valid',
        row: 3,
        person: {
          externalID: '2002',
          status: 'active',
          userName: 'dee',
          firstName: 'Dee',
          lastName: 'Dunn',
          email: 'dee@example.test',
          startDate: '2027-06-01',
        },
      },
    ]);
  });

  it('reads a JSON array of objects with the same field names and aliases; a nested profile and lists', async () => {
    const json = JSON.stringify([
      {
        'Employee ID': 3001,
        'Employment Status': 'active',
        userName: 'eve',
        firstName: 'Eve',
        lastName: 'Evans',
        email: 'eve@example.test',
        groupIDs: ['g1', 'g2'],
        profile: { department: 'Ops' },
        'Hire Date': '2027-01-01',
      },
      { 'Employee ID': '3002', 'Employment Status': 'Terminated', 'End Date': '2027-02-28', userName: null },
      { 'Employee ID': '3003', 'Employment Status': 'active', email: 'nope' },
    ]);
    const { file, rows } = await rowsOf(`\ufeff  ${json}`);
    assert.equal(file.format, 'json');
    assert.deepEqual(rows.slice(0, 2), [
      {
        kind: 'valid',
        row: 1,
        person: {
          externalID: '3001',
          status: 'active',
          userName: 'eve',
          firstName: 'Eve',
          lastName: 'Evans',
          email: 'eve@example.test',
          groupIDs: ['g1', 'g2'],
          profile: { department: 'Ops' },
          startDate: '2027-01-01',
        },
      },
      {
        kind: 'valid',
        row: 2,
        person: { externalID: '3002', status: 'terminated', lastWorkingDay: '2027-02-28' },
      },
    ]);
    assert.deepEqual(invalid(rows), [
      {
        row: 3,
        externalID: '3003',
        // In column order: the keys as they first appear in the array.
        problems: [
          'userName: is required for an active person',
          'firstName: is required for an active person',
          'lastName: is required for an active person',
          'email: must be an email address',
        ],
      },
    ]);
  });

  it('maps JSON keys with a mapping file and reads its dates in the --date-format', async () => {
    const json = JSON.stringify([
      { id: 'J1', state: 'terminated', 'Letzter Tag': '28.02.2027', Abteilung: 'Ops' },
    ]);
    const { rows } = await rowsOf(json, {
      dateFormat: 'DD.MM.YYYY',
      overrides: [
        { header: 'id', target: 'externalID', source: '--mapping' },
        { header: 'state', target: 'status', source: '--mapping' },
        { header: 'Letzter Tag', target: 'lastWorkingDay', source: '--mapping' },
        { header: 'Abteilung', target: 'profile.department', source: '--map' },
      ],
    });
    assert.deepEqual(rows, [
      {
        kind: 'valid',
        row: 1,
        person: {
          externalID: 'J1',
          status: 'terminated',
          lastWorkingDay: '2027-02-28',
          profile: { department: 'Ops' },
        },
      },
    ]);
  });

  it('refuses JSON that is not an array of objects, and names an unknown key', async () => {
    assert.match(
      (await refusal('[1, {"externalID": "x", "status": "active"}]', {})).message,
      /one array of objects/,
    );
    assert.match((await refusal('[{"externalID": "x", "status": "active"', {})).message, /not valid JSON/);
    assert.match((await refusal(' [ ] ', {})).message, /JSON snapshot is empty/);
    const unknown = await refusal('[{"externalID": "x", "status": "active", "shoeSize": 44}]', {});
    assert.match(unknown.message, /^The keys of this JSON snapshot have problems/);
    assert.match((unknown as ImportFileError).problems.join(), /"shoeSize" is not a field of a snapshot row/);
    const { rows } = await rowsOf('[{"externalID": "x", "status": "leave", "shoeSize": 44}]', {
      ignoreUnknown: true,
    });
    assert.equal(rows[0]?.kind, 'valid');
  });

  it('holds CSV and JSON to IMPORT_MAX_ROWS and IMPORT_MAX_FILE_MB', async () => {
    const limits = importLimits(2, 1);
    const csv = 'externalID,status\na,leave\nb,leave\nc,leave\n';
    const rowsError = await refusal(csv, { limits });
    assert.ok(rowsError instanceof ImportLimitError);
    assert.equal(rowsError.limit, 'IMPORT_MAX_ROWS');
    const json = JSON.stringify(['a', 'b', 'c'].map((externalID) => ({ externalID, status: 'leave' })));
    const jsonError = await refusal(json, { limits });
    assert.ok(jsonError instanceof ImportLimitError);
    assert.equal(jsonError.limit, 'IMPORT_MAX_ROWS');
    const big = `externalID,status\n${'a,leave\n'.repeat(140_000)}`;
    const sizeError = await refusal(big, { limits: importLimits(1_000_000, 1) });
    assert.ok(sizeError instanceof ImportLimitError);
    assert.equal(sizeError.limit, 'IMPORT_MAX_FILE_MB');
    // Exactly at the row limit is fine.
    assert.equal((await rowsOf('externalID,status\na,leave\nb,leave\n', { limits })).rows.length, 2);
  });

  it('reads a 100,000-person snapshot within the default limits, one row at a time', async () => {
    const lines = ['Employee ID,Employment Status,Username,First Name,Last Name,Work Email,Termination Date'];
    for (let i = 0; i < 100_000; i += 1) {
      lines.push(
        i % 10 === 0
          ? `P${i},terminated,,,,,2027-01-31`
          : `P${i},active,u${i},First,Last,u${i}@example.test,`,
      );
    }
    const file = await readSnapshotFile(Buffer.from(lines.join('\n')));
    const reconciliation = new Reconciliation({ today: '2027-03-15', absent: 'ignore' });
    let count = 0;
    for (const row of file.rows()) {
      assert.equal(row.kind, 'valid');
      reconciliation.addRow(row);
      count += 1;
    }
    assert.equal(count, 100_000);
    const { counts, activePeople } = reconciliation.summary();
    assert.equal(activePeople, 90_000);
    assert.equal(counts.joiner, 90_000);
    assert.equal(counts['in-sync'], 10_000);
  });
});
