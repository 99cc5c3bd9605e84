/** Shared pieces of the onboarding unit tests (stubbed activities; see stubbed-workers.ts). */
import type { AccountSnapshot } from '../../../lifecycle/account-guards';
import type { OnboardingPolicy, OnboardingRequest } from '../../../lifecycle/onboarding-request';
import type { OnboardingOutcome } from '../../../workflows/onboarding-messages';
import { newHire, onboardingPolicy } from '../../helpers/people';
import type { Stubs, StubbedRun, UnitTestBed } from './stubbed-workers';

export type { OnboardingOutcome };

export const account = (status: AccountSnapshot['status'], overrides: Partial<AccountSnapshot> = {}) => ({
  staffbaseUserId: 'sb-1',
  externalID: 'E1',
  status,
  ...overrides,
});

/** No open offboarding of the person, and the create makes a pending account. */
export const newAccountStubs: Stubs = {
  settleBeforeOnboarding: () => 'no-open-offboarding',
  createAccount: () => ({ result: 'created', account: account('pending') }),
};

export function startOnboarding(
  bed: UnitTestBed,
  stubs: Stubs,
  policy: Partial<OnboardingPolicy> = {},
  request: Partial<OnboardingRequest> = {},
): Promise<StubbedRun<OnboardingOutcome>> {
  return bed.start<OnboardingOutcome>(
    'onboarding',
    [{ request: newHire({ externalID: 'E1', ...request }), policy: onboardingPolicy(policy) }],
    stubs,
  );
}
