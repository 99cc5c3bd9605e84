import type { ReconcileAccount } from './accounts';
import { fieldDifferences } from './field-differences';
import { type PlanEntry, emptyCounts, offboardingActions } from './situations';
import type { SnapshotRow } from './snapshot-row';
import {
  type AccountOnly,
  type OpenRun,
  type PersonState,
  type PlanSummary,
  type ReconcileOptions,
  decideAbsent,
  decidePerson,
} from './decide';

export type { OpenRun, PlanSummary, ReconcileOptions, RunLifecycle } from './decide';

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
      yield decidePerson(externalID, state, this.#openRuns.get(externalID) ?? [], this.#options);
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
    for (const account of this.#absentAccounts) {
      yield decideAbsent(account, this.#openRuns.get(account.externalID ?? '') ?? [], this.#options);
    }
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
}
