/** What HR may change on an open onboarding: a correction of a refused request, a new start date. */
import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import type { OnboardingCorrection } from '../lifecycle/attention';
import { zonedDateTimeToEpochMs } from '../lifecycle/calendar';
import type { OnboardingPolicy, OnboardingRequest } from '../lifecycle/onboarding-request';
import { correctOnboardingUpdate, retryStepUpdate } from './attention-messages';
import type { AttentionDesk } from './needs-attention';
import type { OnboardingStage } from './onboarding-messages';

/**
 * The `retry` and `correct` updates of a waiting onboarding. A correction applies only while the
 * account is not created yet (the request's fields are what the create sends).
 */
export function handleAttentionUpdates(
  desk: AttentionDesk<OnboardingStage>,
  applyCorrection: (fields: Partial<OnboardingRequest>) => void,
): void {
  setHandler(retryStepUpdate, () => desk.retry(), { validator: () => desk.assertWaiting() });
  setHandler(
    correctOnboardingUpdate,
    (correction: OnboardingCorrection) => {
      applyCorrection(definedFieldsOf(correction));
      return desk.retry();
    },
    {
      validator: (correction: OnboardingCorrection) => {
        desk.assertWaiting();
        if (desk.reason?.step !== 'create-account') {
          throw ApplicationFailure.create({
            type: 'NothingToCorrect',
            message: `The account exists already; the refused step (${desk.reason?.step}) takes no correction. Retry it instead.`,
            nonRetryable: true,
          });
        }
        assertCorrectionShape(correction);
      },
    },
  );
}

/**
 * The edges validate, but a raw signal (e.g. from the Temporal CLI) does not: a bad date must not
 * become a timer of NaN that fails every workflow task.
 */
export function isStartDate(value: unknown, policy: OnboardingPolicy): value is string {
  return (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}$/.test(value) &&
    Number.isFinite(zonedDateTimeToEpochMs(value, policy.inviteTimeOfDay, policy.timeZone))
  );
}

/** The correction's fields that are set: an absent field keeps the request's value. */
function definedFieldsOf(correction: OnboardingCorrection): Partial<OnboardingRequest> {
  return Object.fromEntries(Object.entries(correction).filter(([, value]) => value !== undefined));
}

const correctableFields = new Set([
  'userName',
  'email',
  'firstName',
  'lastName',
  'locale',
  'groupIDs',
  'profile',
]);

/**
 * The edges validate corrections with onboardingCorrectionSchema; a raw update (e.g. from the
 * Temporal CLI) still must not put an unknown field or a non-string name into the request.
 */
function assertCorrectionShape(correction: unknown): void {
  const refuse = (message: string) =>
    ApplicationFailure.create({ type: 'InvalidArgument', message, nonRetryable: true });
  if (correction === null || typeof correction !== 'object')
    throw refuse('A correction is an object of fields.');
  const entries = Object.entries(correction).filter(([, value]) => value !== undefined);
  if (entries.length === 0) throw refuse('Name at least one field to correct.');
  for (const [field, value] of entries) {
    if (!correctableFields.has(field)) throw refuse(`${field} cannot be corrected.`);
    const stringField = field !== 'groupIDs' && field !== 'profile';
    if (stringField && (typeof value !== 'string' || value.trim() === '')) {
      throw refuse(`${field} must be a non-empty text.`);
    }
    if (field === 'groupIDs' && !(Array.isArray(value) && value.every((id) => typeof id === 'string'))) {
      throw refuse('groupIDs must be a list of group ids.');
    }
  }
}
