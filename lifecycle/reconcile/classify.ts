import type { ReconcileAccount } from './accounts';
import { fieldDifferences } from './field-differences';
import {
  type AbsentPolicy,
  type FieldDifference,
  type PlanEntry,
  type SituationCounts,
  emptyCounts,
  offboardingActions,
} from './situations';
import type { SnapshotPerson, SnapshotRow } from './snapshot-row';

/**
 * The reconciliation's classifier: HR snapshot rows, the Staffbase directory page by page and the open
 * runs → exactly one situation per person (situations.ts), as pure code (no I/O, no clock: `today` is
 * given), so an activity or a workflow can run it.
 *
 * Order of input: every snapshot row first (`addRow`), then directory pages (`addDirectoryPage`) as they
 * arrive; open runs (`addOpenRun`) at any time before `finish`. What is kept, so memory grows with the
 * snapshot and not with the directory:
 * - per snapshot person: the validated row, and once its account arrives only that account's id, status
 *   and field differences (the account itself is dropped), plus the disputes found;
 * - per snapshot email and userName: its lower-case text → the externalID (to find disputes);
 * - per account missing from the snapshot: id, externalID, status; per account without an externalID:
 *   its id;
 * - per open run: externalID, lifecycle, stage.
 *
 * Matching is on the raw externalID (compared exactly, never normalised); emails and user names
 * compare without case, as Staffbase keeps them unique.
 */

export type RunLifecycle = 'onboarding' | 'offboarding' | 'change';

/** A run that is still open for a person, as the workflow list shows it. */
export interface OpenRun {
  externalID: string;
  lifecycle: RunLifecycle;
  /** The run's stage (search attribute), for the reason. */
  stage: string;
}

export interface ReconcileOptions {
  /** Today in the policy's time zone, YYYY-MM-DD. */
  today: string;
  /** A managed account missing from the snapshot: report it (`ignore`, the default) or offboard it. */
  absent: AbsentPolicy;
}

/** What the safety verdict needs of a finished plan. */
export interface PlanSummary {
  counts: SituationCounts;
  /** Entries whose action starts an offboarding (leavers, future leavers, absent accounts as leavers). */
  offboardingsToStart: number;
  /** Accounts in the directory holding an externalID. */
  managedAccounts: number;
  /** Valid snapshot rows with status `active`. */
  activePeople: number;
}

interface MatchedAccount {
  id: string;
  status: ReconcileAccount['status'];
  differences: FieldDifference[];
}

interface PersonState {
  /** The first row claiming the externalID. */
  row: number;
  person?: SnapshotPerson;
  /** Problems of every row claiming the externalID, formatted as imports print them. */
  problems: string[];
  account?: MatchedAccount;
  disputes: string[];
}

interface AccountOnly {
  id: string;
  externalID: string | null;
  status: ReconcileAccount['status'];
}

const formatProblems = (row: number, problems: readonly { field: string; message: string }[]) =>
  problems.map((problem) => `row ${row}: ${problem.field}: ${problem.message}`);

const accountWord = (id: string, externalID: string | null) =>
  `account ${id}${externalID === null ? ' (no externalID)' : ` (externalID ${externalID})`}`;

export class Reconciliation {
  readonly #options: ReconcileOptions;
  readonly #people = new Map<string, PersonState>();
  readonly #rowsWithoutId: { row: number; problems: string[] }[] = [];
  readonly #externalIdByEmail = new Map<string, string>();
  readonly #externalIdByUserName = new Map<string, string>();
  readonly #absentAccounts: AccountOnly[] = [];
  readonly #unmanagedAccounts: string[] = [];
  readonly #openRuns = new Map<string, OpenRun[]>();
  #managedAccounts = 0;
  #directoryStarted = false;

  constructor(options: ReconcileOptions) {
    this.#options = options;
  }

  addRow(entry: SnapshotRow): void {
    if (this.#directoryStarted)
      throw new Error('snapshot rows must all come before the first directory page');
    const externalID = entry.kind === 'valid' ? entry.person.externalID : entry.externalID;
    if (externalID === undefined || externalID === '') {
      if (entry.kind === 'invalid') {
        this.#rowsWithoutId.push({ row: entry.row, problems: formatProblems(entry.row, entry.problems) });
      }
      return;
    }
    const known = this.#people.get(externalID);
    if (known !== undefined) {
      // The same person twice: HR's own data disagrees, so nothing is done for them until it is fixed.
      // A file's own row check already names the repeat; a row from elsewhere is named here.
      if (entry.kind === 'invalid') known.problems.push(...formatProblems(entry.row, entry.problems));
      else known.problems.push(`row ${entry.row}: externalID: same as row ${known.row}`);
      return;
    }
    const state: PersonState = { row: entry.row, problems: [], disputes: [] };
    if (entry.kind === 'invalid') {
      state.problems.push(...formatProblems(entry.row, entry.problems));
    } else {
      state.person = entry.person;
      if (entry.person.email !== undefined) {
        this.#externalIdByEmail.set(entry.person.email.toLowerCase(), externalID);
      }
      if (entry.person.userName !== undefined) {
        this.#externalIdByUserName.set(entry.person.userName.toLowerCase(), externalID);
      }
    }
    this.#people.set(externalID, state);
  }

  addOpenRun(run: OpenRun): void {
    const runs = this.#openRuns.get(run.externalID) ?? [];
    runs.push(run);
    this.#openRuns.set(run.externalID, runs);
  }

  /** One page of the directory: every account is looked at once and dropped. */
  addDirectoryPage(accounts: Iterable<ReconcileAccount>): void {
    this.#directoryStarted = true;
    for (const account of accounts) this.#addAccount(account);
  }

  #addAccount(account: ReconcileAccount): void {
    this.#findDisputes(account);
    if (account.externalID === null || account.externalID === '') {
      this.#unmanagedAccounts.push(account.id);
      return;
    }
    this.#managedAccounts += 1;
    const state = this.#people.get(account.externalID);
    if (state === undefined) {
      this.#absentAccounts.push({ id: account.id, externalID: account.externalID, status: account.status });
      return;
    }
    if (state.account !== undefined) {
      state.disputes.push(`externalID is held by two accounts: ${state.account.id} and ${account.id}`);
      return;
    }
    state.account = {
      id: account.id,
      status: account.status,
      differences: state.person ? fieldDifferences(state.person, account) : [],
    };
  }

  /** A snapshot person's email or userName held by an account that is not theirs. */
  #findDisputes(account: ReconcileAccount): void {
    const holders = new Map<string, string[]>();
    const note = (externalID: string | undefined, field: string) => {
      if (externalID === undefined || externalID === account.externalID) return;
      const fields = holders.get(externalID) ?? [];
      if (!fields.includes(field)) fields.push(field);
      holders.set(externalID, fields);
    };
    for (const email of account.emails) note(this.#externalIdByEmail.get(email.value.toLowerCase()), 'email');
    if (account.userName !== null) {
      note(this.#externalIdByUserName.get(account.userName.toLowerCase()), 'userName');
    }
    for (const [externalID, fields] of holders) {
      this.#people
        .get(externalID)
        ?.disputes.push(`${fields.join(' and ')} held by ${accountWord(account.id, account.externalID)}`);
    }
  }

  /** Every entry, persons of the snapshot first (in row order), then accounts the snapshot lacks. */
  *entries(): Generator<PlanEntry> {
    for (const [externalID, state] of this.#people) {
      yield this.#decidePerson(externalID, state);
    }
    for (const { row, problems } of this.#rowsWithoutId) {
      yield {
        externalID: null,
        row,
        situation: 'invalid',
        action: 'report',
        reason: `the row fails validation (${problems.length} problem${problems.length === 1 ? '' : 's'}) and names no externalID`,
        problems,
      };
    }
    for (const account of this.#absentAccounts) yield this.#decideAbsent(account);
    for (const id of this.#unmanagedAccounts) {
      yield {
        externalID: null,
        staffbaseId: id,
        situation: 'unmanaged',
        action: 'report',
        reason: 'the account has no externalID, so no HR row can claim it',
      };
    }
  }

  /** Counts and the figures of the safety verdict (walks the entries once more; nothing is stored). */
  summary(): PlanSummary {
    const counts = emptyCounts();
    let offboardingsToStart = 0;
    for (const entry of this.entries()) {
      counts[entry.situation] += 1;
      if (offboardingActions.includes(entry.action)) offboardingsToStart += 1;
    }
    let activePeople = 0;
    for (const state of this.#people.values()) if (state.person?.status === 'active') activePeople += 1;
    return { counts, offboardingsToStart, managedAccounts: this.#managedAccounts, activePeople };
  }

  #decidePerson(externalID: string, state: PersonState): PlanEntry {
    const base = {
      externalID,
      row: state.row,
      ...(state.account && { staffbaseId: state.account.id }),
    };
    if (state.problems.length > 0 || state.person === undefined) {
      return {
        ...base,
        situation: 'invalid',
        action: 'report',
        reason: `the row fails validation (${state.problems.length} problem${state.problems.length === 1 ? '' : 's'})`,
        problems: state.problems,
      };
    }
    if (state.disputes.length > 0) {
      return { ...base, situation: 'disputed', action: 'report', reason: state.disputes.join('; ') };
    }
    const person = state.person;
    const account = state.account;
    const runs = this.#openRuns.get(externalID) ?? [];
    const today = this.#options.today;
    const hasRun = (lifecycle: RunLifecycle) => runs.some((run) => run.lifecycle === lifecycle);
    const accountLive = account !== undefined && account.status !== 'deactivated';

    // Rehire and leaver come before an open run of another lifecycle: applying them settles it through
    // the lifecycles' own coordination. An open run of their own lifecycle already does the work.
    if (person.status === 'active' && account?.status === 'deactivated' && !hasRun('onboarding')) {
      const later = person.startDate !== undefined && person.startDate > today;
      return {
        ...base,
        situation: 'rehire',
        action: later ? 'schedule-onboarding' : 'start-onboarding',
        reason: `active in HR, the account is deactivated${later ? `; start date ${person.startDate}` : ''}${otherRuns(runs)}`,
      };
    }
    const lastDayPassed = person.lastWorkingDay === undefined || person.lastWorkingDay <= today;
    if (person.status === 'terminated' && lastDayPassed && accountLive && !hasRun('offboarding')) {
      return {
        ...base,
        situation: 'leaver',
        action: 'start-offboarding',
        reason: `terminated in HR (${person.lastWorkingDay === undefined ? 'no last working day' : `last working day ${person.lastWorkingDay}`}), the account is ${account.status}${otherRuns(runs)}`,
      };
    }
    if (runs.length > 0) {
      return {
        ...base,
        situation: 'in-progress',
        action: 'none',
        reason: `an open run already handles the person: ${describeRuns(runs)}`,
      };
    }
    switch (person.status) {
      case 'leave':
        return {
          ...base,
          situation: 'on-leave',
          action: 'report',
          reason:
            `on leave in HR${person.leaveFrom ? ` from ${person.leaveFrom}` : ''}` +
            `${person.leaveUntil ? ` until ${person.leaveUntil}` : ''}; reported until leave lifecycles exist`,
        };
      case 'terminated':
        if (accountLive) {
          return {
            ...base,
            situation: 'future-leaver',
            action: 'schedule-offboarding',
            reason: `terminated in HR with last working day ${person.lastWorkingDay} ahead, the account is ${account.status}`,
          };
        }
        return {
          ...base,
          situation: 'in-sync',
          action: 'none',
          reason: account ? 'terminated in HR, the account is deactivated' : 'terminated in HR, no account',
        };
      case 'active':
        if (account === undefined) {
          return person.startDate !== undefined && person.startDate > today
            ? {
                ...base,
                situation: 'future-joiner',
                action: 'schedule-onboarding',
                reason: `active in HR with start date ${person.startDate} ahead, no account`,
              }
            : {
                ...base,
                situation: 'joiner',
                action: 'start-onboarding',
                reason: 'active in HR, no account',
              };
        }
        return this.#moverOrInSync(base, account);
    }
  }

  #moverOrInSync(
    base: Pick<PlanEntry, 'externalID' | 'row' | 'staffbaseId'>,
    account: MatchedAccount,
  ): PlanEntry {
    const { differences } = account;
    if (differences.length === 0) {
      return {
        ...base,
        situation: 'in-sync',
        action: 'none',
        reason: `active in HR, the account is ${account.status} and equal`,
      };
    }
    const fieldsOf = (handling: FieldDifference['handling']) =>
      differences.filter((difference) => difference.handling === handling).map(describeDifference);
    const applied = fieldsOf('applied');
    const reported = fieldsOf('reported');
    return {
      ...base,
      situation: 'mover',
      action: applied.length > 0 ? 'start-change' : 'report',
      reason: [
        applied.length > 0 ? `differs in ${applied.join(', ')} (the change lifecycle applies these)` : '',
        reported.length > 0
          ? `differs in ${reported.join(', ')} (reported: the change lifecycle does not change these)`
          : '',
      ]
        .filter((part) => part !== '')
        .join('; '),
      differences,
    };
  }

  #decideAbsent(account: AccountOnly): PlanEntry {
    const base = { externalID: account.externalID, staffbaseId: account.id };
    const runs = this.#openRuns.get(account.externalID ?? '') ?? [];
    if (runs.length > 0) {
      return {
        ...base,
        situation: 'in-progress',
        action: 'none',
        reason: `not in the snapshot; an open run already handles the account: ${describeRuns(runs)}`,
      };
    }
    const offboard = this.#options.absent === 'leaver' && account.status !== 'deactivated';
    return {
      ...base,
      situation: 'absent',
      action: offboard ? 'start-offboarding' : 'report',
      reason: offboard
        ? `not in the snapshot, the account is ${account.status}; offboarded because absent is leaver`
        : `not in the snapshot, the account is ${account.status}; absence is not termination, so only reported`,
    };
  }
}

function describeDifference(difference: FieldDifference): string {
  if (difference.field !== 'groupIDs') return difference.field;
  const groups = difference.groupIDs ?? [];
  return `groupIDs (${difference.handling === 'applied' ? 'to add' : 'only in Staffbase'}: ${groups.join(', ')})`;
}

function describeRuns(runs: readonly OpenRun[]): string {
  return runs.map((run) => `${run.lifecycle} (stage ${run.stage})`).join(', ');
}

/** An open run of another lifecycle that applying settles, named in the reason. */
function otherRuns(runs: readonly OpenRun[]): string {
  return runs.length > 0 ? `; settles the open ${describeRuns(runs)}` : '';
}
