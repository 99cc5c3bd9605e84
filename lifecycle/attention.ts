import { z } from 'zod';
import { onboardingRequestSchema } from './onboarding-request';

/**
 * `needs-attention`: Staffbase refused a step for a reason a person can fix, so the run waits for
 * the fix (a correction by HR, or an operator's retry) instead of failing.
 * - `conflict`: a userName or email belongs to another account (409);
 * - `validation`: Staffbase refused a field (400: unknown group, bad locale, bad profile field);
 * - `not-found`: something the request names does not exist (404 for a group);
 * - `auth`: the API token was refused (401/403, e.g. rotated);
 * - `not-permitted`: a DELETE answered 404 while the account still exists (Staffbase's newer endpoints
 *   answer 404 to an action not permitted): nothing was deleted; fix the permission and retry.
 */
export const attentionCodes = ['conflict', 'validation', 'not-found', 'auth', 'not-permitted'] as const;
export type AttentionCode = (typeof attentionCodes)[number];
export const attentionCodeSchema = z.enum(attentionCodes);

/** Why a run waits, as its status query shows it. */
export interface AttentionReason {
  code: AttentionCode;
  /** The request field Staffbase named (e.g. `userName`, `email`, `groupIDs`), when it named one. */
  field?: string;
  /** Staffbase's own words, redacted as every error text is. */
  message: string;
  /** When the run started waiting (ISO date-time). */
  since: string;
  /** The step that was refused, e.g. `create-account`, `deactivate`. */
  step: string;
}

/**
 * What a correction or a retry led to, once the retried step answered:
 * `resolved` — the step went through and the run goes on; `still-needs-attention` — refused again
 * (the new reason is in `attention`); `run-ended` — the run stopped waiting for another reason
 * meanwhile (cancelled, expired) and did not retry.
 */
export interface AttentionAnswer {
  result: 'resolved' | 'still-needs-attention' | 'run-ended';
  attention?: AttentionReason;
  /** The run's stage after the retry. */
  stage: string;
}

/**
 * The fields HR may correct on a waiting onboarding: the same rules as the start request; at least
 * one field. The run's request keeps every field not named here.
 */
export const onboardingCorrectionSchema = onboardingRequestSchema
  .pick({
    userName: true,
    email: true,
    firstName: true,
    lastName: true,
    locale: true,
    groupIDs: true,
    profile: true,
  })
  .partial()
  .strict()
  .refine((correction) => Object.values(correction).some((value) => value !== undefined), {
    message:
      'name at least one field to correct (userName, email, firstName, lastName, locale, groupIDs, profile)',
  });
export type OnboardingCorrection = z.infer<typeof onboardingCorrectionSchema>;
