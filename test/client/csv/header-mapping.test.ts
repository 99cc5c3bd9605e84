import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { headerAliases, headerKey } from '../../../client/csv/header-aliases';
import { describeMapping, mapHeader, targetName } from '../../../client/csv/header-mapping';
import { parseMapOption, parseMappingFile } from '../../../client/csv/header-overrides';
import { ImportFileError } from '../../../client/csv/import-file-error';
import { importColumns } from '../../../client/csv/columns';
import { parseImportFile } from '../../../client/csv/parse-import';

const headerProblems = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ImportFileError, String(error));
    return error.message;
  }
  assert.fail('expected an ImportFileError');
};

const targets = (header: string[], lifecycle: 'onboarding' | 'offboarding' = 'onboarding') =>
  mapHeader(header, lifecycle).map((column) => targetName(column.target));

describe('CSV import headers: aliases and mappings', () => {
  it('aliases name real import columns, and no alias names two', () => {
    for (const lifecycle of ['onboarding', 'offboarding', 'snapshot'] as const) {
      const owners = new Map<string, string>();
      for (const [field, aliases] of Object.entries(headerAliases[lifecycle])) {
        assert.ok(field in importColumns[lifecycle], `${lifecycle}: ${field}`);
        for (const alias of aliases) {
          const other = owners.get(headerKey(alias));
          assert.ok(other === undefined || other === field, `${alias}: ${other} and ${field}`);
          owners.set(headerKey(alias), field);
        }
      }
    }
  });

  it('reads HR-system headers, ignoring case, spaces and punctuation', () => {
    assert.deepEqual(
      targets(['Employee ID', 'User Name', 'First Name', 'Last Name', 'Work Email', 'Hire Date']),
      ['externalID', 'userName', 'firstName', 'lastName', 'email', 'startDate'],
    );
    assert.deepEqual(
      targets([
        'personnel_number',
        'LOGIN',
        'given-name',
        'SURNAME',
        'e-mail',
        'Start Date',
        'Locale',
        'Manager Email',
      ]),
      ['externalID', 'userName', 'firstName', 'lastName', 'email', 'startDate', 'locale', 'contactEmail'],
    );
    assert.deepEqual(
      targets(['Worker ID', 'Username', 'Preferred First Name', 'Family Name', 'Business Email', 'Language']),
      ['externalID', 'userName', 'firstName', 'lastName', 'email', 'locale'],
    );
    assert.deepEqual(targets(['Employee Number', 'Termination Date', 'Termination Reason'], 'offboarding'), [
      'externalID',
      'lastWorkingDay',
      'reason',
    ]);
    assert.deepEqual(targets(['Employee ID', 'Last Day of Work'], 'offboarding'), [
      'externalID',
      'lastWorkingDay',
    ]);
    // Field names themselves, in any spelling, and profile columns as written.
    assert.deepEqual(
      targets(['external_id', 'USERNAME', 'first name', 'LastName', 'EMAIL', 'profile.Cost-Center']),
      ['externalID', 'userName', 'firstName', 'lastName', 'email', 'profile.Cost-Center'],
    );
  });

  it('prints the mapping used, one line per column', () => {
    const columns = mapHeader(
      ['Employee ID', 'userName', 'First Name', 'Last Name', 'Work Email', 'Department'],
      'onboarding',
      {
        overrides: [parseMapOption('Department=profile.department')],
      },
    );
    assert.deepEqual(describeMapping(columns), [
      'column 1 "Employee ID" → externalID (alias)',
      'column 2 "userName" → userName (field name)',
      // "First Name" is the field name spelt with a space.
      'column 3 "First Name" → firstName (field name)',
      'column 4 "Last Name" → lastName (field name)',
      'column 5 "Work Email" → email (alias)',
      'column 6 "Department" → profile.department (--map)',
    ]);
  });

  it('reports an unknown header with the likely fields and the ways out', () => {
    const message = headerProblems(() =>
      mapHeader(['Employee ID', 'User Name', 'First Name', 'Last Name', 'Mail', 'Cost Center'], 'onboarding'),
    );
    assert.match(message, /column 5 "Mail" is not a field of an onboarding request; did you mean email/);
    assert.match(
      message,
      /--map "Mail=<field>", --map "Mail=profile.<field>", or leave it out with --ignore-unknown/,
    );
    assert.match(message, /column 6 "Cost Center" is not a field/);
    assert.match(message, /the required column "email" is missing \(also read from: Work Email/);
  });

  it('refuses two columns that read as the same field, naming both', () => {
    const message = headerProblems(() =>
      mapHeader(
        [
          'Employee ID',
          'User Name',
          'First Name',
          'Last Name',
          'Work Email',
          'Hire Date',
          'Original Hire Date',
        ],
        'onboarding',
      ),
    );
    assert.match(
      message,
      /columns 6 "Hire Date" and 7 "Original Hire Date" both read as startDate: keep one, e.g. --map "Original Hire Date=ignore"/,
    );
    // Resolved by a mapping: the column is left out and says so.
    const columns = mapHeader(
      [
        'Employee ID',
        'User Name',
        'First Name',
        'Last Name',
        'Work Email',
        'Hire Date',
        'Original Hire Date',
      ],
      'onboarding',
      { overrides: [parseMapOption('original hire date=ignore')] },
    );
    assert.equal(describeMapping(columns)[6], 'column 7 "Original Hire Date" → ignored (--map)');
  });

  it('--map wins over the mapping file, which wins over aliases; bad targets and missing columns are named', () => {
    const fromFile = parseMappingFile(
      JSON.stringify({
        'Personal Email': 'locale',
        'Work Email': 'contactEmail',
        'Not In This Export': 'locale',
      }),
      'workday.json',
    );
    const columns = mapHeader(
      ['Employee ID', 'Login', 'First Name', 'Last Name', 'Work Email', 'Personal Email'],
      'onboarding',
      {
        overrides: [...fromFile, parseMapOption('Personal Email=email')],
      },
    );
    assert.deepEqual(
      columns.map((column) => [targetName(column.target), column.matchedBy]),
      [
        ['externalID', 'alias'],
        ['userName', 'alias'],
        ['firstName', 'field name'],
        ['lastName', 'field name'],
        ['contactEmail', '--mapping'],
        ['email', '--map'],
      ],
    );
    const problems = headerProblems(() =>
      mapHeader(['Employee ID', 'Login', 'First Name', 'Last Name', 'Work Email'], 'onboarding', {
        overrides: [parseMapOption('Login=nickname'), parseMapOption('Badge=ignore')],
      }),
    );
    assert.match(problems, /--map "Login=nickname": "nickname" is not a field of an onboarding request/);
    assert.match(problems, /--map "Badge=ignore": the file has no column "Badge"/);
    assert.match(
      headerProblems(() =>
        mapHeader(['Employee ID', 'Dept'], 'offboarding', {
          overrides: [parseMapOption('Dept=profile.dept')],
        }),
      ),
      /offboarding files take no profile fields/,
    );
    assert.throws(() => parseMapOption('Hire Date'), /must look like "Header=field"/);
    assert.throws(() => parseMappingFile('["a"]', 'm.json'), /must be one JSON object from header to field/);
    assert.throws(() => parseMappingFile('{', 'm.json'), /--mapping m.json is not JSON/);
  });

  it('leaves unknown columns out with --ignore-unknown, and imports the rest', () => {
    const parsed = parseImportFile(
      [
        'Employee ID,User Name,First Name,Last Name,Work Email,Department,Badge Color',
        'e-1,ada,Ada,Lovelace,ada@example.test,R&D,blue',
      ].join('\n'),
      'onboarding',
      { ignoreUnknown: true, overrides: [parseMapOption('Department=profile.department')] },
    );
    assert.deepEqual(parsed.rejected, []);
    assert.deepEqual(parsed.valid[0]?.input.request, {
      externalID: 'e-1',
      userName: 'ada',
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.test',
      profile: { department: 'R&D' },
    });
    assert.deepEqual(parsed.columns, [
      'externalID',
      'userName',
      'firstName',
      'lastName',
      'email',
      'profile.department',
      'ignored',
    ]);
  });
});
