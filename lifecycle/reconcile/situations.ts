/**
 * The situations of a reconciliation (issue 30): every person HR or Staffbase knows gets exactly one,
 * with the action it leads to on the existing lifecycles and a reason. The names are an interface
 * (CLI `--json`, HTTP, console): HR systems and scripts rely on them.
 */

export const situations = [
  'joiner',
  'future-joiner',
  'leaver',
  'future-leaver',
  'absent',
  'mover',
  'rehire',
  'in-sync',
  'in-progress',
  'disputed',
  'unmanaged',
  'invalid',
  'on-leave',
] as const;
export type Situation = (typeof situations)[number];

export const reconcileActions = [
  /** An onboarding now (its own lead time still decides when the invitation goes out). */
  'start-onboarding',
  /** An onboarding for a start date ahead. */
  'schedule-onboarding',
  /** An offboarding now (last working day today or past). */
  'start-offboarding',
  /** An offboarding for a last working day ahead. */
  'schedule-offboarding',
  /** A change (mover) run with the differences it can apply. */
  'start-change',
  /** Nothing to do. */
  'none',
  /** Nothing is started: a person to look at. */
  'report',
] as const;
export type ReconcileAction = (typeof reconcileActions)[number];

/** The actions that start an offboarding: what the safety verdict counts. */
export const offboardingActions: readonly ReconcileAction[] = ['start-offboarding', 'schedule-offboarding'];

/** What `--absent` says about a managed account missing from the snapshot. */
export type AbsentPolicy = 'ignore' | 'leaver';

/** A field of a mover that differs: `applied` by the change lifecycle, or only `reported`. */
export interface FieldDifference {
  /** `firstName`, `locale`, `profile.department`, `groupIDs` … */
  field: string;
  /** What the difference leads to: the change lifecycle applies it, or it is only reported. */
  handling: 'applied' | 'reported';
  /** For `groupIDs`: the group IDs HR adds (applied) or that only Staffbase has (reported). */
  groupIDs?: string[];
}

export interface PlanEntry {
  /** The raw externalID; null for an account without one or an invalid row without one. */
  externalID: string | null;
  situation: Situation;
  action: ReconcileAction;
  /** One sentence for people; names fields and account ids, never a person's name or address. */
  reason: string;
  /** The Staffbase account, when there is one. */
  staffbaseId?: string;
  /** The snapshot row (spreadsheet numbering), when the person has one. */
  row?: number;
  /** `mover`: each differing field. */
  differences?: FieldDifference[];
  /** `invalid`: every problem, as in imports (`row 4: email: must be an email address`). */
  problems?: string[];
}

export type SituationCounts = Record<Situation, number>;

export function emptyCounts(): SituationCounts {
  return Object.fromEntries(situations.map((situation) => [situation, 0])) as SituationCounts;
}

export function countSituations(entries: Iterable<PlanEntry>): SituationCounts {
  const counts = emptyCounts();
  for (const entry of entries) counts[entry.situation] += 1;
  return counts;
}
