/**
 * Runs waiting in `needs-attention` (issue #14), for the queue and the person page: the reason in
 * HR's words, the inline correction of an onboarding (checked by the same correction schema as the
 * API, bundled in, before anything is sent) and the retry of a person's waiting step. Both answer
 * once the retried step answered: resolved, or what is still wrong.
 */
import { onboardingCorrectionSchema } from '../../../lifecycle/attention';
import { validate } from '../../../lifecycle/validation';
import { post, segment } from './api';
import { stageLabel } from './labels';
import { type ActionField, type ActionSpec } from './pages/action-form';
import {
  type AttentionActionResult,
  type AttentionAnswer,
  type AttentionReason,
  type PersonRetryResult,
} from './types';

export const attentionCodeLabels: Record<string, string> = {
  conflict: 'Taken by another account',
  validation: 'Refused by Staffbase',
  'not-found': 'Does not exist in Staffbase',
  auth: 'Staffbase token refused',
  'not-permitted': 'Deletion not permitted by Staffbase',
};

const fieldLabels: Record<string, string> = {
  userName: 'User name',
  email: 'Email',
  firstName: 'First name',
  lastName: 'Last name',
  groupIDs: 'Groups',
  locale: 'Locale',
  profile: 'Profile',
};

/** "User name: Taken by another account — <Staffbase's words> (step create-account)". */
export function reasonText(reason: AttentionReason): string {
  const field = reason.field ? `${fieldLabels[reason.field] ?? reason.field}: ` : '';
  return `${field}${attentionCodeLabels[reason.code] ?? reason.code} — ${reason.message} (step ${reason.step})`;
}

export function answerText(what: string, answer: AttentionAnswer): string {
  if (answer.result === 'resolved')
    return `${what}: resolved, the run goes on (now ${stageLabel(answer.stage)}).`;
  if (answer.result === 'run-ended') {
    return `${what}: the run had stopped waiting meanwhile (now ${stageLabel(answer.stage)}); nothing was retried.`;
  }
  return `${what}: still needs attention${answer.attention ? ` — ${reasonText(answer.attention)}` : '.'}`;
}

const groupList = (text: string) =>
  text
    .split(/[,|]/)
    .map((part) => part.trim())
    .filter(Boolean);

/** The correctable fields, the one Staffbase named first (an auth problem has nothing to correct). */
function correctionFields(reason: AttentionReason | undefined): ActionField[] {
  const fields: ActionField[] = [
    { name: 'userName', label: 'New user name' },
    { name: 'email', label: 'New email' },
    { name: 'firstName', label: 'New first name' },
    { name: 'lastName', label: 'New last name' },
    {
      name: 'groupIDs',
      label: 'New groups',
      help: 'Group IDs, comma-separated; they replace the groups asked for.',
    },
    { name: 'locale', label: 'New locale', help: 'e.g. de_DE or en' },
  ];
  const named = reason?.field;
  const first = fields.filter((field) => field.name === named);
  return [...first, ...fields.filter((field) => field.name !== named)].map((field) =>
    field.name === named
      ? { ...field, help: `${field.help ?? ''} The field Staffbase refused.`.trim() }
      : field,
  );
}

/** Correct the waiting onboarding's request and retry at once. */
export function correctionAction(
  externalID: string,
  reason: AttentionReason | undefined,
  id = 'correct',
): ActionSpec {
  return {
    id,
    title: 'Correct and retry',
    button: 'Correct and retry',
    fields: correctionFields(reason),
    run: async (values) => {
      const correction = Object.fromEntries(
        Object.entries(values)
          .filter(([, value]) => value !== '')
          .map(([name, value]) => [name, name === 'groupIDs' ? groupList(value) : value]),
      );
      const checked = validate(onboardingCorrectionSchema, correction);
      if (!checked.ok) {
        throw new Error(
          `Not sent: ${checked.problems
            .map((problem) =>
              problem.field === '(input)'
                ? 'give at least one field'
                : `${fieldLabels[problem.field.split('.')[0] ?? ''] ?? problem.field}: ${problem.message}`,
            )
            .join('; ')}`,
        );
      }
      const answer = await post<AttentionActionResult>(
        `/v1/onboardings/${segment(externalID)}/correction`,
        checked.value,
      );
      return answerText('Corrected', answer.body);
    },
  };
}

/** Retry the person's waiting step(s) unchanged (e.g. after the Staffbase token was replaced). */
export function retryAction(externalID: string, id = 'retry'): ActionSpec {
  return {
    id,
    title: 'Retry unchanged',
    button: 'Retry',
    run: async () => {
      const answer = await post<PersonRetryResult>(`/v1/people/${segment(externalID)}/retry`, {});
      return answer.body.retried.map((run) => answerText(`Retried the ${run.lifecycle}`, run)).join(' ');
    },
  };
}
