import { ApplicationFailure } from '@temporalio/workflow';
import type { OnboardingCorrection } from '../lifecycle/attention';
import type { OnboardingRequest } from '../lifecycle/onboarding-request';

/** The correction's fields that are set: an absent field keeps the request's value. */
export function definedFieldsOf(correction: OnboardingCorrection): Partial<OnboardingRequest> {
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
export function assertCorrectionShape(correction: unknown): void {
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
