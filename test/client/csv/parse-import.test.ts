import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  acceptsProfileColumns,
  importColumns,
  profileColumnPrefix,
  schemaFields,
} from '../../../client/csv/columns';
import {
  ImportFileError,
  detectDelimiter,
  formatRejectedRow,
  parseImportFile,
} from '../../../client/csv/parse-import';
import { csvCell, reportAsCsv, reportFormatOf } from '../../../client/csv/report';
import { runImport, summaryLine } from '../../../client/csv/run-import';
import { defaultOffboardingPolicy } from '../../../lifecycle/offboarding-request';
import { defaultOnboardingPolicy } from '../../../lifecycle/onboarding-request';

const policies = { onboarding: defaultOnboardingPolicy, offboarding: defaultOffboardingPolicy };
const header = 'externalID,userName,firstName,lastName,email';

describe('CSV import files (parser and validation, no Temporal)', () => {
  it('has a column for every field of both request schemas', () => {
    for (const lifecycle of ['onboarding', 'offboarding', 'leave', 'snapshot'] as const) {
      const columns = Object.keys(importColumns[lifecycle]);
      for (const field of schemaFields[lifecycle]) {
        const covered =
          columns.some((column) => column === field || column.startsWith(`${field}.`)) ||
          (field === 'profile' && acceptsProfileColumns[lifecycle]);
        assert.ok(covered, `${lifecycle}: no column for ${field}`);
      }
      for (const column of columns) {
        assert.ok(schemaFields[lifecycle].includes(column.split('.')[0] ?? ''), `${lifecycle}: ${column}`);
      }
    }
    assert.equal(profileColumnPrefix, 'profile.');
  });

  it('reads good rows into requests: lists, profile columns, numbers, empty cells absent', () => {
    const parsed = parseImportFile(
      [
        `${header},startDate,groupIDs,profile.department,profile.cost-center,reminderPolicy.remindAfterDays,reminderPolicy.expireAfterDays,locale`,
        'emp-1,ada,Ada,Lovelace,ada@example.test,2027-01-15,sales|berlin,Sales,,2;5,9,de_DE',
        'emp-2, bob ,Bob,Builder,bob@example.test,,,,,,,',
      ].join('\n'),
      'onboarding',
    );
    assert.deepEqual(parsed.rejected, []);
    assert.equal(parsed.rowCount, 2);
    assert.deepEqual(parsed.valid[0], {
      row: 2,
      externalID: 'emp-1',
      input: {
        lifecycle: 'onboarding',
        request: {
          externalID: 'emp-1',
          userName: 'ada',
          firstName: 'Ada',
          lastName: 'Lovelace',
          email: 'ada@example.test',
          startDate: '2027-01-15',
          groupIDs: ['sales', 'berlin'],
          profile: { department: 'Sales' },
          reminderPolicy: { remindAfterDays: [2, 5], expireAfterDays: 9 },
          locale: 'de_DE',
        },
      },
    });
    assert.deepEqual(parsed.valid[1]?.input.request, {
      externalID: 'emp-2',
      userName: 'bob',
      firstName: 'Bob',
      lastName: 'Builder',
      email: 'bob@example.test',
    });
  });

  it('accepts a BOM, semicolons, CRLF, quoted cells with delimiters, quotes and line breaks', () => {
    const text =
      '\uFEFFExternalID;userName;firstName;lastName;email;profile.department;profile.note\r\n' +
      'emp-1;ada;"Lovelace; Ada";Lovelace;ada@example.test;"Sales; EMEA";"says ""hi"""\r\n' +
      'emp-2;bob;Bob;Builder;bob@example.test;;"Multi\r\nLine"\r\n' +
      '\r\n' +
      ';;;;;;\r\n' +
      'emp-3;cy;Cy;Young;not-an-email;;\r\n';
    const parsed = parseImportFile(Buffer.from(text, 'utf8'), 'onboarding');
    assert.equal(parsed.delimiter, ';');
    assert.equal(parsed.columns[0], 'externalID');
    assert.equal(parsed.valid[0]?.input.request.externalID, 'emp-1');
    const first = parsed.valid[0]?.input;
    assert.ok(first?.lifecycle === 'onboarding');
    assert.equal(first.request.firstName, 'Lovelace; Ada');
    assert.deepEqual(first.request.profile, { department: 'Sales; EMEA', note: 'says "hi"' });
    // Row numbers are spreadsheet rows: a line break inside a cell does not start a row; blank rows count.
    assert.deepEqual(
      parsed.valid.map((row) => row.row),
      [2, 3],
    );
    assert.deepEqual(parsed.rejected, [
      { row: 6, externalID: 'emp-3', problems: [{ field: 'email', message: 'must be an email address' }] },
    ]);
    assert.equal(parsed.rowCount, 3);
  });

  it('rejects each bad row with its row number and every field problem', () => {
    const parsed = parseImportFile(
      [
        `${header},startDate,reminderPolicy.expireAfterDays`,
        'emp-1,,Ada,Lovelace,ada@,2027-13-40,soon',
        ',x,X,Y,x@example.test,,',
        'emp-3,c,C,D,c@example.test,,,surplus',
      ].join('\n'),
      'onboarding',
    );
    assert.equal(parsed.valid.length, 0);
    const [first, second, third] = parsed.rejected;
    assert.equal(first?.row, 2);
    assert.deepEqual(
      first?.problems.map((problem) => problem.field).sort(),
      ['email', 'reminderPolicy.expireAfterDays', 'startDate', 'userName'].sort(),
    );
    assert.equal(
      first?.problems.find((problem) => problem.field === 'reminderPolicy.expireAfterDays')?.message,
      'must be a whole number',
    );
    assert.deepEqual(second, { row: 3, problems: [{ field: 'externalID', message: 'is required' }] });
    assert.equal(third?.problems[0]?.field, '(row)');
    assert.match(third?.problems[0]?.message ?? '', /8 cells but the header has 7 columns/);
    assert.match(formatRejectedRow(first ?? { row: 0, problems: [] }), /^row 2 \(emp-1\): /);
  });

  it('rejects externalIDs with invisible, bidi or C1 characters or not in NFC, as written (never rewritten)', () => {
    const parsed = parseImportFile(
      [
        header,
        'emp-ok,ok,O,K,ok@example.test',
        'emp\u200b-2,b,B,B,b@example.test',
        '\ufeffemp-3,c,C,C,c@example.test',
        'emp-4\u202e,d,D,D,d@example.test',
        'emp\u0085-5,e,E,E,e@example.test',
        'Jose\u0301,f,F,F,f@example.test',
      ].join('\n'),
      'onboarding',
    );
    assert.deepEqual(
      parsed.valid.map((row) => row.externalID),
      ['emp-ok'],
    );
    assert.deepEqual(
      parsed.rejected.map((row) => [row.row, row.problems.map((problem) => problem.field)]),
      [
        [3, ['externalID']],
        [4, ['externalID']],
        [5, ['externalID']],
        [6, ['externalID']],
        [7, ['externalID']],
      ],
    );
    const messages = parsed.rejected.map((row) => row.problems[0]?.message ?? '');
    assert.match(messages[0] ?? '', /U\+200B/);
    assert.match(messages[1] ?? '', /U\+FEFF/);
    assert.match(messages[2] ?? '', /U\+202E/);
    assert.match(messages[3] ?? '', /U\+0085/);
    assert.match(messages[4] ?? '', /NFC/);
  });

  it('rejects a repeated externalID, except its first row', () => {
    const parsed = parseImportFile(
      [
        header,
        'emp-1,a,A,A,a@example.test',
        'emp-2,b,B,B,b@example.test',
        ' emp-1 ,c,C,C,c@example.test',
      ].join('\n'),
      'onboarding',
    );
    assert.deepEqual(
      parsed.valid.map((row) => row.externalID),
      ['emp-1', 'emp-2'],
    );
    assert.deepEqual(parsed.rejected, [
      {
        row: 4,
        externalID: 'emp-1',
        problems: [
          {
            field: 'externalID',
            message: 'duplicate of row 2 (only the first row of an externalID is imported)',
          },
        ],
      },
    ]);
  });

  it('rejects a repeated userName or email (without case), naming the row of the first', () => {
    const parsed = parseImportFile(
      [
        header,
        'emp-1,ada,A,A,ada@example.test',
        'emp-2,bob,B,B,bob@example.test',
        'emp-3,ADA,C,C,cy@example.test',
        'emp-4,dee,D,D,Bob@Example.TEST',
        'emp-5,ada,E,E,not-an-email',
      ].join('\n'),
      'onboarding',
    );
    assert.deepEqual(
      parsed.valid.map((row) => row.externalID),
      ['emp-1', 'emp-2'],
    );
    assert.deepEqual(
      parsed.rejected.map((row) => [row.row, row.problems]),
      [
        [
          4,
          [
            {
              field: 'userName',
              message: 'same as row 2 (user names are unique in Staffbase, whatever their case)',
            },
          ],
        ],
        [
          5,
          [
            {
              field: 'email',
              message: 'same as row 3 (email addresses are unique in Staffbase, whatever their case)',
            },
          ],
        ],
        [
          6,
          [
            {
              field: 'userName',
              message: 'same as row 2 (user names are unique in Staffbase, whatever their case)',
            },
            { field: 'email', message: 'must be an email address' },
          ],
        ],
      ],
    );
    assert.match(
      formatRejectedRow(parsed.rejected[0] ?? { row: 0, problems: [] }),
      /^row 4 \(emp-3\): userName: same as row 2/,
    );
  });

  it('reads offboarding files with the offboarding schema, cross-field rules included', () => {
    const parsed = parseImportFile(
      [
        'externalID,lastWorkingDay,retentionDays,deleteAt,reason',
        'emp-1,2027-03-31,30,,"moved on, with thanks"',
        'emp-2,,7,2027-04-01T00:00:00Z,',
        'emp-3,,-1,,',
      ].join('\r\n'),
      'offboarding',
    );
    assert.deepEqual(parsed.valid[0]?.input, {
      lifecycle: 'offboarding',
      request: {
        externalID: 'emp-1',
        lastWorkingDay: '2027-03-31',
        retentionDays: 30,
        reason: 'moved on, with thanks',
      },
    });
    assert.deepEqual(
      parsed.rejected.map((row) => [row.row, row.problems]),
      [
        [3, [{ field: 'deleteAt', message: 'give retentionDays or deleteAt, not both' }]],
        [4, [{ field: 'retentionDays', message: 'must be 0 or more' }]],
      ],
    );
  });

  it('refuses an unusable file as a whole: unknown or missing columns, not UTF-8, empty, broken quotes', () => {
    const fileError = (content: string | Buffer, lifecycle: 'onboarding' | 'offboarding' = 'onboarding') => {
      try {
        parseImportFile(content, lifecycle);
      } catch (error) {
        assert.ok(error instanceof ImportFileError, String(error));
        return error.message;
      }
      assert.fail('expected an ImportFileError');
    };
    const unknown = fileError(`${header},mail,`);
    assert.match(unknown, /column 6 "mail" is not a field of an onboarding request/);
    assert.match(unknown, /column 7 has no name/);
    assert.match(fileError('externalID,email'), /the required column "userName" is missing/);
    assert.match(
      fileError(`${header},profile.x`, 'offboarding'),
      /"userName" is not a field of an offboarding/,
    );
    assert.match(fileError(`${header},email`), /"email" appears twice/);
    assert.match(fileError(Buffer.from([0x65, 0x78, 0xe4, 0x0a])), /not UTF-8/);
    assert.match(fileError('\uFEFF \n'), /empty/);
    assert.match(fileError(`${header}\nemp-1,"a,A,A,a@example.test\n`), /not valid CSV: Quote Not Closed/);
  });

  it('detects the delimiter from the header line only, ignoring quoted ones', () => {
    assert.equal(detectDelimiter('a,b,c\n1;2;3;4;5'), ',');
    assert.equal(detectDelimiter('"a,b";c;d\n'), ';');
    assert.equal(detectDelimiter('a\tb\tc'), '\t');
    assert.equal(detectDelimiter('externalID\nemp-1'), ',');
  });

  it('runs nothing in strict mode when a row is rejected, and summarises', async () => {
    const parsed = parseImportFile(
      [header, 'emp-1,a,A,A,a@example.test', 'emp-2,b,B,B,nope'].join('\n'),
      'onboarding',
    );
    const outcome = await runImport(undefined, parsed, policies, { strict: true });
    assert.deepEqual(
      outcome.rows.map((row) => [row.row, row.result]),
      [
        [2, 'skipped'],
        [3, 'rejected'],
      ],
    );
    assert.equal(
      summaryLine(outcome),
      'started 0, already running 0, already completed 0, rejected 1, not started 1 (--strict)',
    );
  });

  it('writes CSV reports that spreadsheets read safely', () => {
    assert.equal(reportFormatOf('out/Report.JSON'), 'json');
    assert.equal(reportFormatOf('report.csv'), 'csv');
    assert.equal(reportFormatOf('report.txt'), undefined);
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvCell(7), '7');
    const csv = reportAsCsv({
      lifecycle: 'onboarding',
      dryRun: false,
      strict: false,
      rerun: false,
      summary: {
        started: 1,
        alreadyRunning: 0,
        alreadyCompleted: 0,
        wouldStart: 0,
        rejected: 1,
        skipped: 0,
        refused: 0,
        failed: 0,
      },
      rows: [
        { row: 2, externalID: 'emp-1', result: 'started', workflowId: 'onboarding-emp-1', runId: 'r1' },
        {
          row: 3,
          externalID: 'emp-2',
          result: 'rejected',
          problems: [{ field: 'email', message: 'bad; really' }],
        },
      ],
    });
    assert.equal(
      csv,
      'row,externalID,result,workflowId,runId,detail\r\n' +
        '2,emp-1,started,onboarding-emp-1,r1,\r\n' +
        '3,emp-2,rejected,,,"email: bad; really"\r\n',
    );
  });
});
