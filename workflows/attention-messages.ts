import { defineUpdate } from '@temporalio/workflow';
import type { AttentionAnswer, OnboardingCorrection } from '../lifecycle/attention';

/**
 * Messages of a run waiting in `needs-attention` (onboarding and offboarding), exported for the
 * client (CLI, HTTP API, console) and the tests. Both are refused (`NotNeedingAttention`) unless the
 * run waits; both answer once the retried step has answered.
 */

/** HR corrects the onboarding's request (validated by onboardingCorrectionSchema) and retries. */
export const correctOnboardingUpdate = defineUpdate<AttentionAnswer, [OnboardingCorrection]>('correct');

/** An operator retries the waiting step unchanged (e.g. after the API token was replaced). */
export const retryStepUpdate = defineUpdate<AttentionAnswer, []>('retry');
