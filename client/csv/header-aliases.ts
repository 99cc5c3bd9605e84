import { type Lifecycle } from '../../lifecycle/workflow-ids';

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

export const headerAliases: Record<Lifecycle, Record<string, readonly string[]>> = {
  onboarding: {
    externalID: personIdAliases,
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
    lastWorkingDay: [
      'Termination Date',
      'Last Day of Work',
      'Last Working Day',
      'Last Day',
      'Separation Date',
      'Exit Date',
      'Leaving Date',
      'End Date',
      'Contract End Date',
    ],
    retentionDays: ['Retention Days', 'Retention'],
    deleteAt: ['Delete At', 'Deletion Date'],
    reason: ['Termination Reason', 'Reason', 'Leaving Reason', 'Exit Reason', 'Separation Reason'],
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
