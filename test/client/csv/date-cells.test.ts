import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dateFormats, isDateFormat, readDateCell } from '../../../client/csv/date-cells';
import { parseImportFile } from '../../../client/csv/parse-import';

describe('CSV import dates', () => {
  it('reads each --date-format, with or without leading zeros, and ISO always', () => {
    const cases = {
      'DD.MM.YYYY': ['31.12.2026', '1.2.2027'],
      'MM/DD/YYYY': ['12/31/2026', '2/1/2027'],
      'DD/MM/YYYY': ['31/12/2026', '01/02/2027'],
      'YYYY/MM/DD': ['2026/12/31', '2027/2/1'],
    } as const;
    assert.deepEqual(Object.keys(cases), [...dateFormats]);
    for (const format of dateFormats) {
      assert.deepEqual(readDateCell(cases[format][0], format), { value: '2026-12-31' }, format);
      assert.deepEqual(readDateCell(cases[format][1], format), { value: '2027-02-01' }, format);
      assert.deepEqual(readDateCell('2027-03-04', format), { value: '2027-03-04' }, format);
    }
    assert.deepEqual(readDateCell('2027-03-04', undefined), { value: '2027-03-04' });
    assert.ok(isDateFormat('DD.MM.YYYY'));
    assert.ok(!isDateFormat('D.M.YY'));
  });

  it('rejects a cell in neither form, naming the expected one; impossible days; Excel serial numbers', () => {
    assert.deepEqual(readDateCell('12/31/2026', 'DD.MM.YYYY'), {
      problem:
        'must be a date in the form YYYY-MM-DD or DD.MM.YYYY (the file looks like MM/DD/YYYY: see --date-format)',
    });
    assert.deepEqual(readDateCell('31.12.2026', undefined), {
      problem: 'must be a date in the form YYYY-MM-DD (the file looks like DD.MM.YYYY: see --date-format)',
    });
    assert.deepEqual(readDateCell('next monday', 'MM/DD/YYYY'), {
      problem: 'must be a date in the form YYYY-MM-DD or MM/DD/YYYY',
    });
    assert.deepEqual(readDateCell('31.02.2027', 'DD.MM.YYYY'), {
      problem: '"31.02.2027" is not a day of the calendar (read as DD.MM.YYYY)',
    });
    // 13/01/2027 is no month 13: read as MM/DD/YYYY it is refused, not swapped.
    assert.deepEqual(readDateCell('13/01/2027', 'MM/DD/YYYY'), {
      problem: '"13/01/2027" is not a day of the calendar (read as MM/DD/YYYY)',
    });
    const serial = readDateCell('46387', 'DD.MM.YYYY');
    assert.ok('problem' in serial);
    assert.match(
      serial.problem,
      /^must be a date in the form YYYY-MM-DD or DD.MM.YYYY, not the number 46387: Excel wrote/,
    );
    assert.match(serial.problem, /format the column as a date/);
  });

  it('applies the date form to date columns of both lifecycles only', () => {
    const onboarding = parseImportFile(
      [
        'externalID,userName,firstName,lastName,email,startDate,profile.birthday',
        'e-1,a,A,A,a@example.test,03/04/2027,03/04/1990',
      ].join('\n'),
      'onboarding',
      { dateFormat: 'DD/MM/YYYY' },
    );
    const request = onboarding.valid[0]?.input.request;
    assert.ok(request && 'startDate' in request);
    assert.equal(request.startDate, '2027-04-03');
    // Profile fields are the tenant's own text: left as written.
    assert.deepEqual(request.profile, { birthday: '03/04/1990' });

    const offboarding = parseImportFile(
      [
        'Employee ID;Termination Date',
        'e-1;31.03.2027',
        'e-2;2027-03-31',
        'e-3;03/31/2027',
        'e-4;45747',
      ].join('\r\n'),
      'offboarding',
      { dateFormat: 'DD.MM.YYYY' },
    );
    assert.deepEqual(
      offboarding.valid.map((row) => row.input.request),
      [
        { externalID: 'e-1', lastWorkingDay: '2027-03-31' },
        { externalID: 'e-2', lastWorkingDay: '2027-03-31' },
      ],
    );
    assert.deepEqual(
      offboarding.rejected.map((row) => [row.row, row.problems[0]?.field]),
      [
        [4, 'lastWorkingDay'],
        [5, 'lastWorkingDay'],
      ],
    );
  });
});
