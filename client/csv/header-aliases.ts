import { type ImportKind } from './columns';

/**
 * Headers as HR systems export them (Workday, SAP SuccessFactors, BambooHR, Personio, HiBob, ADP …),
 * for each import column. Matching ignores case, spaces and punctuation (see `headerKey`), so one entry
 * covers "Work Email", "work_email" and "WORK-EMAIL". An alias names one column only; a file with two
 * columns that read as the same field is refused as ambiguous rather than guessed.
 */
/** The person's ID in the HR system: the same column in joiner and leaver files. */
const personIdAliases = [
  'Employee ID',
  'Employee Number',
  'Employee No',
  'Employee #',
  'Emp ID',
  'Personnel Number',
  'Personnel No',
  'Worker ID',
  'Staff ID',
  'Person ID',
  'HR ID',
  'External ID',
] as const;

/** The person fields a joiner file and a snapshot share. */
const personFieldAliases = {
  userName: ['Username', 'User Name', 'Login', 'Login Name', 'Network ID'],
  firstName: ['First Name', 'Given Name', 'Preferred First Name', 'Forename', 'Legal First Name'],
  lastName: ['Last Name', 'Surname', 'Family Name', 'Preferred Last Name', 'Legal Last Name'],
  email: [
    'Work Email',
    'Work Email Address',
    'Email Address',
    'E-mail',
    'Business Email',
    'Company Email',
    'Primary Work Email',
  ],
  startDate: [
    'Hire Date',
    'Start Date',
    'Original Hire Date',
    'Date of Hire',
    'Joining Date',
    'Date of Joining',
    'Entry Date',
    'First Day',
  ],
  locale: ['Language', 'Locale', 'Preferred Language'],
  groupIDs: ['Groups', 'Group IDs', 'Staffbase Groups'],
} as const;

/** The leaver's last day, in a leaver file and a snapshot alike. */
const lastWorkingDayAliases = [
  'Termination Date',
  'Last Day of Work',
  'Last Working Day',
  'Last Day',
  'Separation Date',
  'Exit Date',
  'Leaving Date',
  'End Date',
  'Contract End Date',
] as const;

export const headerAliases: Record<ImportKind, Record<string, readonly string[]>> = {
  onboarding: {
    externalID: personIdAliases,
    ...personFieldAliases,
    contactEmail: [
      'Manager Email',
      'Manager Work Email',
      'Supervisor Email',
      'Line Manager Email',
      'HR Contact Email',
    ],
  },
  offboarding: {
    externalID: personIdAliases,
    lastWorkingDay: lastWorkingDayAliases,
    retentionDays: ['Retention Days', 'Retention'],
    deleteAt: ['Delete At', 'Deletion Date'],
    reason: ['Termination Reason', 'Reason', 'Leaving Reason', 'Exit Reason', 'Separation Reason'],
  },
  // `until` is the first day back: "Leave End Date" (the last day of leave, a day earlier) is no alias
  // of it, so a file that has only that column must say so with --map and mean it.
  leave: {
    externalID: personIdAliases,
    from: ['Leave Start Date', 'Leave Start', 'Leave From', 'Leave Begin Date', 'Absence Start Date'],
    until: ['Return Date', 'Expected Return Date', 'Return to Work Date', 'First Day Back'],
    reason: ['Leave Reason', 'Leave Type', 'Absence Type', 'Reason'],
  },
  snapshot: {
    externalID: personIdAliases,
    status: ['Employment Status', 'Worker Status', 'Employee Status', 'Employment State', 'Status'],
    ...personFieldAliases,
    lastWorkingDay: lastWorkingDayAliases,
    leaveFrom: ['Leave Start Date', 'Leave Start', 'Leave From', 'Leave Begin Date', 'Absence Start Date'],
    leaveUntil: [
      'Leave End Date',
      'Leave End',
      'Leave Until',
      'Expected Return Date',
      'Return Date',
      'Absence End Date',
    ],
  },
};

/**
 * What two headers have in common when they mean the same: letters and digits, lower case.
 * "Work E-Mail " and "work_email" are both `workemail`.
 */
export function headerKey(header: string): string {
  return header
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}
