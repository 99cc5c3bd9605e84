/**
 * Why a clean-up leaves a person's account alone: another lifecycle of the person still owns it. A
 * clean-up deletes by status and date only; an offboarding under a legal hold, an offboarding still
 * keeping the account for its retention period, or an open onboarding decide about the account
 * themselves. Pure decisions (no I/O, no Node built-ins): the activity finds the open runs, the
 * workflow and the tests use the same answer.
 */
import { externalIdSearchAttribute } from './search-attributes';

/** `on-leave`: an open leave (workflows/leave.ts) reactivates the account itself on the first day back. */
export const cleanupSkipReasons = ['legal-hold', 'in-retention', 'onboarding-open', 'on-leave'] as const;
export type CleanupSkipReason = (typeof cleanupSkipReasons)[number];

/** An open run of the person as visibility (or a describe) shows it. */
export interface OpenPersonRun {
  workflowType: string;
  workflowId: string;
  /** The `LegalHold` search attribute: true while an offboarding is under a legal hold. */
  legalHold: boolean;
}

/** Why the person's account is skipped, and the run that holds it. */
export interface PersonHold {
  reason: CleanupSkipReason;
  workflowId: string;
}

/** The workflow types whose open runs hold an account, and what each is called as a reason. */
const reasonOfOpen: Record<string, CleanupSkipReason> = {
  offboarding: 'in-retention',
  onboarding: 'onboarding-open',
  leave: 'on-leave',
};

/** The strongest first: a legal hold outranks everything, then the leaver's retention. */
const rank: Record<CleanupSkipReason, number> = {
  'legal-hold': 0,
  'in-retention': 1,
  'onboarding-open': 2,
  'on-leave': 3,
};

/**
 * The reason to skip the person's account, or undefined when no open run of theirs holds it. Any
 * open offboarding counts as `in-retention`: until it closes it deletes the account itself, on its
 * own deadline (and a hold, a cancel or a rehire may still keep the account). Runs of other types
 * (support runs, sweeps) hold nothing.
 */
export function cleanupSkipOf(openRuns: readonly OpenPersonRun[]): PersonHold | undefined {
  let strongest: PersonHold | undefined;
  for (const run of openRuns) {
    const reason: CleanupSkipReason | undefined =
      run.legalHold && run.workflowType === 'offboarding' ? 'legal-hold' : reasonOfOpen[run.workflowType];
    if (reason === undefined) continue;
    if (!strongest || rank[reason] < rank[strongest.reason])
      strongest = { reason, workflowId: run.workflowId };
  }
  return strongest;
}

/** An account a clean-up left alone, as its result and dry-run samples list it. */
export interface SkippedAccount {
  staffbaseUserId: string;
  externalID: string;
  reason: CleanupSkipReason;
}

/**
 * The skipped accounts a clean-up lists: the first this many, so that a window full of leavers in
 * retention keeps the history and the result small; `skippedFor` counts them all.
 */
export const keptSkippedAccounts = 100;

/** How many accounts were skipped for each reason. */
export type SkippedCounts = Partial<Record<CleanupSkipReason, number>>;

/** The visibility query of a person's open runs (the externalID quoted for the query language). */
export function openRunsOfPersonQuery(externalID: string): string {
  const quoted = `'${externalID.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return `${externalIdSearchAttribute.name} = ${quoted} AND ExecutionStatus = 'Running'`;
}
