import { allHandlersFinished, condition, patched } from '@temporalio/workflow';
import type { OnboardingPolicy, OnboardingRequest } from '../lifecycle/onboarding-request';
import type { PriorityLane } from '../lifecycle/priority-lanes';
import type { OnboardingOutcome } from './onboarding-messages';
import { onboardingPatches } from './onboarding-patches';
import { OnboardingRun } from './onboarding-run';

export { onboardingPatches } from './onboarding-patches';

/**
 * Above this many history events the wait continues as a new run, carrying its state: Temporal's
 * own limit is 51,200 events, and short histories replay fast. A 30-day wait with hourly checks
 * writes about 8,000 events, so it spans a few runs.
 */
export const onboardingHistoryEventLimit = 2_000;

/** Where an earlier run of this onboarding (before continue-as-new) left off. */
export interface OnboardingCarryOver {
  staffbaseUserId: string;
  invitedAtMs: number;
  remindersSent: number;
  lastStatusCheckMs: number;
  settledOffboarding?: OnboardingOutcome['settledOffboarding'];
  vanishedWhileReactivating?: string[];
}

export interface OnboardingInput {
  request: OnboardingRequest;
  policy: OnboardingPolicy;
  carryOver?: OnboardingCarryOver;
  /**
   * The lane of the account's creation: `bulk` for a file of hires (a CSV import), so a single
   * onboarding HR triggers goes ahead of them. Absent (runs started before it, single starts):
   * `standard`.
   */
  lane?: OnboardingLane;
}

/** Where an onboarding's create waits when Staffbase's rate is the limit (lifecycle/priority-lanes.ts). */
export type OnboardingLane = Extract<PriorityLane, 'standard' | 'bulk'>;

/**
 * The joiner path (workflows/onboarding-run.ts): 0. settle the person's open offboarding → 1. wait
 * for the invitation time → 2. ensure exactly one Staffbase account (invitation mailed by Staffbase)
 * → 3. wait for activation, reminding on schedule → 4. activated or expired.
 *
 * Runs with the `onboarding-awaits-handlers` marker (decided once, first thing) answer their open
 * `correct` / `retry` updates before they finish or continue as new; older runs replay without.
 */
export async function onboarding(input: OnboardingInput): Promise<OnboardingOutcome> {
  const awaitsHandlers = patched(onboardingPatches.awaitsHandlers);
  const indexed = patched(onboardingPatches.personIndex);
  const run = new OnboardingRun(input, onboardingHistoryEventLimit, awaitsHandlers, indexed);
  const outcome = await run.execute();
  if (indexed) await run.indexSettled();
  if (awaitsHandlers) await condition(allHandlersFinished);
  return outcome;
}
