import { type PersonalDataPattern } from '../../tooling/log-check';
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

/**
 * The test people's personal data as `npm test`'s log check (tooling/log-check.ts) looks for it in
 * every line the suite logs: their names (whole words, as written), userNames, and any address at the
 * test domains. A test that needs a logged value to be found uses these people; an operator's
 * identity (`X-Requested-By`) in tests is a login such as `grace.support`, not a person's address.
 */
export const testPersonalData: readonly PersonalDataPattern[] = [
  { kind: 'name', pattern: /\b(?:Ada|Lovelace|Grace|Hopper|Turing|Byron)\b/ },
  { kind: 'userName', pattern: /\b(?:ada\.lovelace|grace\.hopper)/i },
  { kind: 'email', pattern: /[\w.+-]+@(?:[\w-]+\.)*example\.(?:test|com)\b/i },
];
