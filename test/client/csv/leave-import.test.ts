/**
 * Leave import files (`import --kind leave`): the same reading as the other kinds — aliases, --map,
 * date forms, repeats, limits — with the leave request's own rules, each problem naming its field.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ImportFileError, ImportLimitError, parseImportFile } from '../../../client/csv/parse-import';
import { importLimits } from '../../../config/import-limits';

const fileError = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ImportFileError, String(error));
    return error.message;
  }
  assert.fail('expected an ImportFileError');
};

describe('leave import files (parser and validation, no Temporal)', () => {
  it('reads HR headers into leave requests; an empty until is an open-ended leave', () => {
    const parsed = parseImportFile(
      [
        'Employee ID;Leave Start Date;Return Date;Leave Type',
        'emp-1;2027-03-01;2027-09-01;parental',
        'emp-2;2027-04-01;;',
      ].join('\r\n'),
      'leave',
    );
    assert.equal(parsed.lifecycle, 'leave');
    assert.deepEqual(
      parsed.mapping.map((column) => [column.header, column.target, column.matchedBy]),
      [
        ['Employee ID', { kind: 'field', field: 'externalID' }, 'alias'],
        ['Leave Start Date', { kind: 'field', field: 'from' }, 'alias'],
        ['Return Date', { kind: 'field', field: 'until' }, 'alias'],
        ['Leave Type', { kind: 'field', field: 'reason' }, 'alias'],
      ],
    );
    assert.deepEqual(
      parsed.valid.map((row) => [row.row, row.input]),
      [
        [
          2,
          {
            lifecycle: 'leave',
            request: { externalID: 'emp-1', from: '2027-03-01', until: '2027-09-01', reason: 'parental' },
          },
        ],
        [3, { lifecycle: 'leave', request: { externalID: 'emp-2', from: '2027-04-01' } }],
      ],
    );
    assert.deepEqual(parsed.rejected, []);
  });

  it('rejects each bad row naming the field: until not after from, no from, a bad date, a repeat', () => {
    const parsed = parseImportFile(
      [
        'externalID,from,until,reason',
        'emp-1,2027-03-01,2027-03-01,',
        'emp-2,,2027-05-01,',
        'emp-3,2027-02-30,,',
        'emp-4,2027-03-01,2027-04-01,',
        'emp-4,2027-06-01,,',
        `emp-5,2027-03-01,,${'x'.repeat(501)}`,
      ].join('\n'),
      'leave',
    );
    assert.deepEqual(
      parsed.valid.map((row) => row.externalID),
      ['emp-4'],
    );
    assert.deepEqual(
      parsed.rejected.map((row) => [row.row, row.externalID, row.problems.map((problem) => problem.field)]),
      [
        [2, 'emp-1', ['until']],
        [3, 'emp-2', ['from']],
        [4, 'emp-3', ['from']],
        [6, 'emp-4', ['externalID']],
        [7, 'emp-5', ['reason']],
      ],
    );
    assert.match(parsed.rejected[0]?.problems[0]?.message ?? '', /must be a day after from/);
    assert.match(parsed.rejected[3]?.problems[0]?.message ?? '', /duplicate of row 5/);
  });

  it('reads regional dates with the date format given, as the other kinds do', () => {
    const parsed = parseImportFile('externalID,from,until\nemp-1,01.03.2027,01.09.2027\n', 'leave', {
      dateFormat: 'DD.MM.YYYY',
    });
    assert.deepEqual(parsed.valid[0]?.input.request, {
      externalID: 'emp-1',
      from: '2027-03-01',
      until: '2027-09-01',
    });
  });

  it('does not read "Leave End Date" (the last day of leave) as until; --map says what a column means', () => {
    const header = 'Employee ID,Leave Start Date,Leave End Date';
    const unknown = fileError(() => parseImportFile(`${header}\nemp-1,2027-03-01,2027-08-31\n`, 'leave'));
    assert.match(unknown, /column 3 "Leave End Date" is not a field of a leave request/);
    assert.match(unknown, /fields: externalID, from, until, reason, ignore/);

    const mapped = parseImportFile(`${header}\nemp-1,2027-03-01,2027-09-01\n`, 'leave', {
      overrides: [{ header: 'Leave End Date', target: 'until', source: '--map' }],
    });
    assert.deepEqual(mapped.valid[0]?.input.request, {
      externalID: 'emp-1',
      from: '2027-03-01',
      until: '2027-09-01',
    });
    assert.match(
      fileError(() =>
        parseImportFile(`${header}\n`, 'leave', {
          overrides: [{ header: 'Leave End Date', target: 'profile.x', source: '--map' }],
        }),
      ),
      /leave files take no profile fields/,
    );
    assert.match(
      fileError(() => parseImportFile('externalID,until\nemp-1,2027-09-01\n', 'leave')),
      /the required column "from" is missing/,
    );
  });

  it('refuses a file over IMPORT_MAX_ROWS as a whole, naming the limit', () => {
    const content = 'externalID,from\nemp-1,2027-03-01\nemp-2,2027-03-01\nemp-3,2027-03-01\n';
    try {
      parseImportFile(content, 'leave', { limits: importLimits(2, 1) });
      assert.fail('expected an ImportLimitError');
    } catch (error) {
      assert.ok(error instanceof ImportLimitError, String(error));
      assert.equal(error.limit, 'IMPORT_MAX_ROWS');
    }
  });
});
