/**
 * The same change as unguarded.ts, done right: behind `patched()`. Runs recorded before the change
 * take the old path on replay (patched → false); new runs take the new one. Old histories replay.
 */
import { patched, sleep } from '@temporalio/workflow';
import { onboarding as currentOnboarding, type OnboardingInput } from '../../../workflows/onboarding';

export async function onboarding(input: OnboardingInput) {
  if (patched('onboarding-initial-pause')) await sleep('1 minute');
  return currentOnboarding(input);
}
