/** An offboarding's writes to the person index (patch `offboarding-person-index`, workflows/person-index.ts). */
import { patched } from '@temporalio/workflow';
import type { OffboardingRequest } from '../lifecycle/offboarding-request';
import type { OffboardingStatus } from './offboarding-messages';
import { offboardingPatches } from './offboarding-patches';
import { type PersonFields, PersonIndexWriter } from './person-index';

/** Milestones a stage change of an offboarding means (the outcome's own is added as the run finishes). */
function offboardingMilestones(stage: string, previous: string | undefined): string[] {
  if (stage === 'deactivating') return ['logged-out'];
  if (stage === 'on-hold') return ['held'];
  if (stage === 'retention' && previous === 'on-hold') return ['hold-released'];
  return [];
}

export type OffboardingIndex = PersonIndexWriter;

/** Decided first thing in a run: whether it writes the index (runs before the patch replay without). */
export function offboardingIndex(): PersonIndexWriter {
  return new PersonIndexWriter({
    lifecycle: 'offboarding',
    enabled: patched(offboardingPatches.personIndex),
    quietStages: ['cancelling-onboarding'],
    milestonesOnEnter: offboardingMilestones,
  });
}

/** The index's row from the run's status (its request carries no names: the index keeps the onboarding's). */
export function offboardingFields(status: OffboardingStatus, request: OffboardingRequest): PersonFields {
  return {
    externalID: status.externalID,
    stage: status.stage,
    lastWorkingDay: request.lastWorkingDay,
    attentionCode: status.attention?.code,
    outcome: status.outcome?.result,
  };
}
