/**
 * RETIRED activities: kept only because histories recorded before a patch schedule them by name
 * (`one-request-steps` of onboarding, offboarding and the support workflows, `cleanup-one-request-steps`
 * of the clean-up). New runs never schedule them. They stay registered on the Staffbase worker
 * (activities/index.ts) under exactly these names until `staffbase-lifecycle patches` shows no open
 * run lacking those patches; then the patch is deprecated (CONTRIBUTING.md, "Retiring a patch") and,
 * a release later, the workflows' old branches and these factories go together.
 *
 * Fenced by ESLint (eslint.config.mjs): only this folder and the registration import from here.
 * Current code never does; what it shares with the retired activities lives in current modules
 * (activities/account-outcomes.ts, activities/account-step-activities.ts).
 */
import type { StaffbaseClient } from '../../staffbase/client';
import { createAccountActivities } from './account-activities';
import { createGuardedAccountActivities } from './guarded-account-activities';
import { createLegacySupportActivities } from './support-activities';

export function createRetiredActivities(staffbase: StaffbaseClient) {
  return {
    ...createAccountActivities(staffbase),
    ...createGuardedAccountActivities(staffbase),
    ...createLegacySupportActivities(staffbase),
  };
}

/** What the workflows' old branches schedule (by name) on the `staffbase-api` queue. */
export type RetiredActivities = ReturnType<typeof createRetiredActivities>;
