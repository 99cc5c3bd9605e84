/**
 * The organisation's onboarding and offboarding rules, from environment variables. Unset variables
 * keep the defaults of `defaultOnboardingPolicy` / `defaultOffboardingPolicy`; the result is checked by
 * the same schemas the workflows' inputs use, and every bad variable is named at once.
 */
import { type z } from 'zod';
import { ConfigError, type ConfigProblem, pickEnv } from './config-error';
import {
  type OffboardingPolicy,
  defaultOffboardingPolicy,
  offboardingPolicySchema,
} from '../lifecycle/offboarding-request';
import {
  type OnboardingPolicy,
  defaultOnboardingPolicy,
  onboardingPolicySchema,
} from '../lifecycle/onboarding-request';

/** The variable behind each policy field (dotted path in the policy object). */
const onboardingFields = {
  inviteLeadTimeDays: 'ONBOARDING_INVITE_LEAD_TIME_DAYS',
  inviteTimeOfDay: 'ONBOARDING_INVITE_TIME_OF_DAY',
  'reminderPolicy.remindAfterDays': 'ONBOARDING_REMINDER_DAYS',
  'reminderPolicy.expireAfterDays': 'ONBOARDING_EXPIRE_AFTER_DAYS',
  statusCheckIntervalMinutes: 'ONBOARDING_STATUS_CHECK_INTERVAL_MINUTES',
  rehirePolicy: 'ONBOARDING_REHIRE_POLICY',
  expiredAction: 'ONBOARDING_EXPIRED_ACTION',
  cancelAction: 'ONBOARDING_CANCEL_ACTION',
  timeZone: 'LIFECYCLE_TIME_ZONE',
} as const;

const offboardingFields = {
  retentionDays: 'OFFBOARDING_RETENTION_DAYS',
  endOfWorkingDay: 'OFFBOARDING_END_OF_WORKING_DAY',
  timeZone: 'LIFECYCLE_TIME_ZONE',
} as const;

export const POLICY_ENV_VARS = [
  ...new Set([...Object.values(onboardingFields), ...Object.values(offboardingFields)]),
] as const;

export interface LifecyclePolicies {
  onboarding: OnboardingPolicy;
  offboarding: OffboardingPolicy;
}

/** Text → value, or a problem message. */
type Reader<T> = (text: string) => { value: T } | { problem: string };

const wholeDays: Reader<number> = (text) =>
  /^\s*\d+\s*$/.test(text) ? { value: Number(text) } : { problem: 'must be a whole number' };

const dayList: Reader<number[]> = (text) => {
  if (/^\s*none\s*$/i.test(text)) return { value: [] };
  const parts = text.split(',').map((part) => part.trim());
  if (parts.every((part) => /^\d+$/.test(part))) return { value: parts.map(Number) };
  return { problem: 'must be a comma-separated list of whole days, e.g. "3,7,14" (or "none")' };
};

const word: Reader<string> = (text) => ({ value: text.trim() });

const readers: Record<(typeof POLICY_ENV_VARS)[number], Reader<unknown>> = {
  ONBOARDING_INVITE_LEAD_TIME_DAYS: wholeDays,
  ONBOARDING_INVITE_TIME_OF_DAY: word,
  ONBOARDING_REMINDER_DAYS: dayList,
  ONBOARDING_EXPIRE_AFTER_DAYS: wholeDays,
  ONBOARDING_STATUS_CHECK_INTERVAL_MINUTES: wholeDays,
  ONBOARDING_REHIRE_POLICY: word,
  ONBOARDING_EXPIRED_ACTION: word,
  ONBOARDING_CANCEL_ACTION: word,
  OFFBOARDING_RETENTION_DAYS: wholeDays,
  OFFBOARDING_END_OF_WORKING_DAY: word,
  LIFECYCLE_TIME_ZONE: word,
};

/** Copies `base`, replacing the fields whose variable was read (paths like `reminderPolicy.expireAfterDays`). */
function overlay<T>(base: T, fields: Record<string, string>, values: Map<string, unknown>): T {
  const result = structuredClone(base) as Record<string, unknown>;
  for (const [path, variable] of Object.entries(fields)) {
    if (!values.has(variable)) continue;
    const keys = path.split('.');
    let target = result;
    for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
    target[keys.at(-1) as string] = values.get(variable);
  }
  return result as T;
}

/** A schema issue, named by the variable behind its field; undefined when that variable already failed. */
function problemOf(
  issue: z.core.$ZodIssue,
  fields: Record<string, string>,
  failed: Set<string>,
): ConfigProblem | undefined {
  const path = issue.path.map(String);
  const field = Object.keys(fields)
    .filter((candidate) => path.join('.').startsWith(candidate))
    .sort((a, b) => b.length - a.length)[0];
  const variable = field === undefined ? '(policy)' : fields[field];
  if (variable === undefined || failed.has(variable)) return undefined;
  if (field === 'reminderPolicy.expireAfterDays' && issue.code === 'custom') {
    // The "after the last reminder" rule spans two variables: name the other one in the message.
    if (failed.has('ONBOARDING_REMINDER_DAYS')) return undefined;
    return { variable, message: 'must be greater than the last day in ONBOARDING_REMINDER_DAYS' };
  }
  return { variable, message: issue.message };
}

/** Reads both policies; throws a {@link ConfigError} naming every bad variable. */
export function policiesFromEnv(env: NodeJS.ProcessEnv): LifecyclePolicies {
  const raw = pickEnv(env, POLICY_ENV_VARS);
  const problems: ConfigProblem[] = [];
  const failed = new Set<string>();
  const values = new Map<string, unknown>();
  for (const [variable, text] of Object.entries(raw)) {
    const read = readers[variable as keyof typeof readers](text);
    if ('problem' in read) {
      problems.push({ variable, message: read.problem });
      failed.add(variable);
    } else {
      values.set(variable, read.value);
    }
  }

  const onboarding = onboardingPolicySchema.safeParse(
    overlay(defaultOnboardingPolicy, onboardingFields, values),
  );
  const offboarding = offboardingPolicySchema.safeParse(
    overlay(defaultOffboardingPolicy, offboardingFields, values),
  );
  const reported = new Set(problems.map((problem) => `${problem.variable} ${problem.message}`));
  for (const [result, fields] of [
    [onboarding, onboardingFields],
    [offboarding, offboardingFields],
  ] as const) {
    for (const issue of result.error?.issues ?? []) {
      const problem = problemOf(issue, fields, failed);
      // LIFECYCLE_TIME_ZONE is in both policies: report it once.
      if (problem && !reported.has(`${problem.variable} ${problem.message}`)) {
        reported.add(`${problem.variable} ${problem.message}`);
        problems.push(problem);
      }
    }
  }
  if (problems.length > 0 || !onboarding.success || !offboarding.success) {
    throw new ConfigError(problems);
  }
  return { onboarding: onboarding.data, offboarding: offboarding.data };
}
