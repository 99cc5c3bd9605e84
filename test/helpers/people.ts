import { defaultOffboardingPolicy, type OffboardingPolicy } from '../../lifecycle/offboarding-request';
import {
  defaultOnboardingPolicy,
  type OnboardingPolicy,
  type OnboardingRequest,
} from '../../lifecycle/onboarding-request';

let counter = 0;

/** A distinct suffix per call, so people never collide across tests and test processes. */
export function uniqueSuffix(): string {
  counter += 1;
  return `${process.pid}-${counter}`;
}

/** A new hire with a unique externalID, userName and email per call. */
export function newHire(overrides: Partial<OnboardingRequest> = {}): OnboardingRequest {
  const id = uniqueSuffix();
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

export function offboardingPolicy(overrides: Partial<OffboardingPolicy> = {}): OffboardingPolicy {
  return { ...defaultOffboardingPolicy, ...overrides };
}
