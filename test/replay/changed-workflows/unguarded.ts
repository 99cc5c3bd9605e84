/**
 * A deliberately incompatible change to the onboarding workflow, for the replay guard's own test:
 * a timer inserted before everything else, without `patched()`. Histories recorded by the current
 * code must fail to replay against this (DeterminismViolationError).
 */
import { sleep } from '@temporalio/workflow';
import { onboarding as currentOnboarding, type OnboardingInput } from '../../../workflows/onboarding';

export async function onboarding(input: OnboardingInput) {
  await sleep('1 minute');
  return currentOnboarding(input);
}
