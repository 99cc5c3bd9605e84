import { type FieldProblem } from '../../lifecycle/validation';
import { type OnboardingPolicy } from '../../lifecycle/onboarding-request';
import { type ParsedImport, type RejectedImportRow, type ValidImportRow } from './parse-import';
import { type DirectoryAccount, type StaffbaseDirectory, statusOf } from './staffbase-directory';

/**
 * The import preflight: each valid row against the accounts Staffbase already has, before anything
 * starts. A userName or email held by an account of another person would make the run fail with a
 * 409 on the start date, days after the import; such rows are rejected now. An account with the row's
 * own externalID is what the onboarding will adopt (pending, activated) or reactivate (a rehire), and
 * the dry run says so.
 */

export type PreflightNote =
  | { kind: 'will-adopt'; status: string }
  | { kind: 'will-reactivate' }
  | { kind: 'rehire-refused' }
  | { kind: 'unmanaged-account'; status: string }
  | { kind: 'no-account' };

export interface PreflightResult {
  /** The import with conflicting rows moved from valid to rejected. */
  parsed: ParsedImport;
  /** By row number: what the run will find in Staffbase. */
  notes: Map<number, PreflightNote>;
  accountsRead: number;
}

/** One line for the dry run and the report. */
export function describePreflightNote(note: PreflightNote): string {
  switch (note.kind) {
    case 'will-adopt':
      return `will adopt the existing Staffbase account (${note.status})`;
    case 'will-reactivate':
      return 'will reactivate (rehire) the deactivated Staffbase account';
    case 'rehire-refused':
      return 'a deactivated Staffbase account exists and ONBOARDING_REHIRE_POLICY is "stop": the onboarding will stop';
    case 'unmanaged-account':
      return `the Staffbase account with this externalID has status "${note.status}", which this project does not manage: check it before the start`;
    case 'no-account':
      return 'no Staffbase account has this externalID: nothing to deactivate';
  }
}

function owner(account: DirectoryAccount): string {
  return account.externalID
    ? `externalID ${account.externalID}, ${statusOf(account)}`
    : `no externalID, id ${account.id}, ${statusOf(account)}`;
}

function onboardingConflicts(row: ValidImportRow, directory: StaffbaseDirectory): FieldProblem[] {
  if (row.input.lifecycle !== 'onboarding') return [];
  const { userName, email } = row.input.request;
  const problems: FieldProblem[] = [];
  const holders: [string, string, DirectoryAccount | undefined][] = [
    ['userName', userName, directory.byUserName(userName)],
    ['email', email, directory.byEmail(email)],
  ];
  for (const [field, value, holder] of holders) {
    if (holder && holder.externalID !== row.externalID) {
      problems.push({
        field,
        message: `"${value}" belongs to another Staffbase account (${owner(holder)})`,
      });
    }
  }
  return problems;
}

function noteFor(
  row: ValidImportRow,
  directory: StaffbaseDirectory,
  policy: Pick<OnboardingPolicy, 'rehirePolicy'>,
): PreflightNote | undefined {
  const own = directory.byExternalID(row.externalID);
  if (row.input.lifecycle !== 'onboarding') return own ? undefined : { kind: 'no-account' };
  if (!own) return undefined;
  if (own.status === 'pending' || own.status === 'activated')
    return { kind: 'will-adopt', status: own.status };
  if (own.status === 'deactivated') {
    return policy.rehirePolicy === 'stop' ? { kind: 'rehire-refused' } : { kind: 'will-reactivate' };
  }
  return { kind: 'unmanaged-account', status: statusOf(own) };
}

/** Checks every valid row against the directory; rows whose names belong to someone else are rejected. */
export function preflight(
  parsed: ParsedImport,
  directory: StaffbaseDirectory,
  policy: Pick<OnboardingPolicy, 'rehirePolicy'>,
): PreflightResult {
  const valid: ValidImportRow[] = [];
  const rejected: RejectedImportRow[] = [...parsed.rejected];
  const notes = new Map<number, PreflightNote>();
  for (const row of parsed.valid) {
    const problems = onboardingConflicts(row, directory);
    if (problems.length > 0) {
      rejected.push({ row: row.row, externalID: row.externalID, problems });
      continue;
    }
    valid.push(row);
    const note = noteFor(row, directory, policy);
    if (note) notes.set(row.row, note);
  }
  rejected.sort((a, b) => a.row - b.row);
  return { parsed: { ...parsed, valid, rejected }, notes, accountsRead: directory.accountCount };
}
