/**
 * The reconciliation's decisions: one situation per person, by the precedence of situations.ts, from
 * what the classifier (classify.ts) kept of the person's row, account and open runs. Pure code.
 */
import type { ReconcileAccount } from './accounts';
import type { AbsentPolicy, FieldDifference, PlanEntry, SituationCounts } from './situations';
import type { SnapshotPerson } from './snapshot-row';

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

export interface MatchedAccount {
  id: string;
  status: ReconcileAccount['status'];
  differences: FieldDifference[];
}

export interface PersonState {
  /** The first row claiming the externalID. */
  row: number;
  person?: SnapshotPerson;
  /** Problems of every row claiming the externalID, formatted as imports print them. */
  problems: string[];
  account?: MatchedAccount;
  disputes: string[];
}

export interface AccountOnly {
  id: string;
  externalID: string | null;
  status: ReconcileAccount['status'];
}

export function decidePerson(
  externalID: string,
  state: PersonState,
  runs: readonly OpenRun[],
  options: ReconcileOptions,
): PlanEntry {
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
  const today = options.today;
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
      return moverOrInSync(base, account);
  }
}

function moverOrInSync(
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

export function decideAbsent(
  account: AccountOnly,
  runs: readonly OpenRun[],
  options: ReconcileOptions,
): PlanEntry {
  const base = { externalID: account.externalID, staffbaseId: account.id };
  if (runs.length > 0) {
    return {
      ...base,
      situation: 'in-progress',
      action: 'none',
      reason: `not in the snapshot; an open run already handles the account: ${describeRuns(runs)}`,
    };
  }
  const offboard = options.absent === 'leaver' && account.status !== 'deactivated';
  return {
    ...base,
    situation: 'absent',
    action: offboard ? 'start-offboarding' : 'report',
    reason: offboard
      ? `not in the snapshot, the account is ${account.status}; offboarded because absent is leaver`
      : `not in the snapshot, the account is ${account.status}; absence is not termination, so only reported`,
  };
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
