import type { OnboardingPolicy, OnboardingRequest } from '../../lifecycle/onboarding-request';
import { defaultOnboardingPolicy } from '../../lifecycle/onboarding-request';

let counter = 0;

/** A new hire with a unique externalID, userName and email per call. */
export function newHire(overrides: Partial<OnboardingRequest> = {}): OnboardingRequest {
  counter += 1;
  const id = `${process.pid}-${counter}`;
  return {
    externalID: `emp-${id}`,
    userName: `ada.lovelace.${id}`,
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: `ada.${id}@example.test`,
    ...overrides,
  };
}

export function onboardingPolicy(overrides: Partial<OnboardingPolicy> = {}): OnboardingPolicy {
  return { ...defaultOnboardingPolicy, ...overrides };
}
