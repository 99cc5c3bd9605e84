/**
 * The Reconciliation pages' words: the situations in the API's order (their names are an interface,
 * shown as they are), what each means, and plan statuses in HR's words.
 */
import { type ReconciliationEntry, type ReconciliationPlan } from './types';

export type Situation = ReconciliationEntry['situation'];

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
] as const satisfies readonly Situation[];

// A situation the API adds and this list lacks fails the console's typecheck here.
type Missing = Exclude<Situation, (typeof situations)[number]>;
const everySituationListed: Missing extends never ? true : Missing = true;
void everySituationListed;

export const isSituation = (value: string | null): value is Situation =>
  value !== null && (situations as readonly string[]).includes(value);

export const statusLabels: Record<ReconciliationPlan['status'], string> = {
  planning: 'Planning',
  'dry-run': 'Dry run (nothing started)',
  'held-for-approval': 'Held for approval',
  approved: 'Approved',
  applying: 'Applying',
  applied: 'Applied',
  discarded: 'Discarded',
};

/** Statuses the service moves on from by itself: the page looks again a little later. */
export const movingStatuses: readonly ReconciliationPlan['status'][] = ['planning', 'approved', 'applying'];

/** "2 joiner, 1 leaver": the situations with anyone in them. */
export function countsLine(counts: ReconciliationPlan['counts']): string {
  const parts = situations
    .filter((situation) => (counts[situation] ?? 0) > 0)
    .map((situation) => `${(counts[situation] ?? 0).toLocaleString('en')} ${situation}`);
  return parts.length > 0 ? parts.join(', ') : '—';
}

/** The safety verdict in a few words: held with its reasons, passed, or not made yet. */
export function safetyLine(plan: ReconciliationPlan): string {
  if (plan.safetyReasons.length > 0) return `Held: ${plan.safetyReasons.join('; ')}`;
  return plan.status === 'planning' ? 'Not checked yet' : 'Passed';
}
