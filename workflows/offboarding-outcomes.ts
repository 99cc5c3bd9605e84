/** How an offboarding ends when its account went missing, and the settling of runs recorded long ago. */
import { getExternalWorkflowHandle, log } from '@temporalio/workflow';
import { lifecycleWorkflowId } from '../lifecycle/workflow-ids';
import type { OffboardingOutcome } from './offboarding-messages';
import { cancelOnboardingSignal } from './onboarding-messages';

export const userNotFound = {
  result: 'user-not-found',
  reason: 'No Staffbase account has this externalID (never existed or already deleted).',
} as const;

/** The resolved account disappeared, or stopped being this person's, before a step could act on it. */
export function accountLost(
  why: 'user-not-found' | 'account-replaced',
): Omit<OffboardingOutcome, 'externalID'> {
  return why === 'user-not-found'
    ? { result: 'user-not-found', reason: 'The account disappeared before the offboarding could finish.' }
    : {
        result: 'kept',
        keptBecause: 'account-replaced',
        reason: 'The account no longer carries this externalID; the offboarding left it alone.',
      };
}

/**
 * Runs recorded before `awaited-onboarding-stop`: signals an open onboarding of the same person to
 * stop; false when none is open.
 */
export async function cancelOpenOnboarding(externalID: string): Promise<boolean> {
  const onboardingRun = getExternalWorkflowHandle(lifecycleWorkflowId('onboarding', externalID));
  try {
    await onboardingRun.signal(cancelOnboardingSignal, { reason: 'Offboarding started' });
    return true;
  } catch (error) {
    log.info('No open onboarding to cancel', { error: String(error) });
    return false;
  }
}
