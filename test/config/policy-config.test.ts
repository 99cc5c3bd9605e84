import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultOffboardingPolicy } from '../../lifecycle/offboarding-request';
import { defaultOnboardingPolicy } from '../../lifecycle/onboarding-request';
import { POLICY_ENV_VARS, policiesFromEnv } from '../../config/policies';
import { configErrorOf as configErrorFrom } from '../helpers/config-errors';

const configErrorOf = (env: NodeJS.ProcessEnv) => configErrorFrom(() => policiesFromEnv(env));

describe('policiesFromEnv', () => {
  it('gives the default policies when nothing is set (empty variables count as unset)', () => {
    const expected = { onboarding: defaultOnboardingPolicy, offboarding: defaultOffboardingPolicy };
    assert.deepEqual(policiesFromEnv({}), expected);
    assert.deepEqual(policiesFromEnv({ ONBOARDING_REMINDER_DAYS: '', LIFECYCLE_TIME_ZONE: '' }), expected);
  });

  it('reads every variable, the time zone into both policies', () => {
    const policies = policiesFromEnv({
      ONBOARDING_INVITE_LEAD_TIME_DAYS: '2',
      ONBOARDING_INVITE_TIME_OF_DAY: '08:30',
      ONBOARDING_REMINDER_DAYS: ' 2, 5 ,9 ',
      ONBOARDING_EXPIRE_AFTER_DAYS: '12',
      ONBOARDING_STATUS_CHECK_INTERVAL_MINUTES: '60',
      ONBOARDING_REHIRE_POLICY: 'stop',
      ONBOARDING_EXPIRED_ACTION: 'delete-pending',
      ONBOARDING_CANCEL_ACTION: 'leave-pending',
      OFFBOARDING_RETENTION_DAYS: '0',
      OFFBOARDING_END_OF_WORKING_DAY: '18:00',
      LIFECYCLE_TIME_ZONE: 'Europe/Berlin',
      UNRELATED: 'ignored',
    });
    assert.deepEqual(policies, {
      onboarding: {
        inviteLeadTimeDays: 2,
        inviteTimeOfDay: '08:30',
        timeZone: 'Europe/Berlin',
        reminderPolicy: { remindAfterDays: [2, 5, 9], expireAfterDays: 12 },
        statusCheckIntervalMinutes: 60,
        rehirePolicy: 'stop',
        expiredAction: 'delete-pending',
        cancelAction: 'leave-pending',
      },
      offboarding: { retentionDays: 0, endOfWorkingDay: '18:00', timeZone: 'Europe/Berlin' },
    });
  });

  it('accepts "none" for no reminders at all', () => {
    const policies = policiesFromEnv({ ONBOARDING_REMINDER_DAYS: 'none' });
    assert.deepEqual(policies.onboarding.reminderPolicy.remindAfterDays, []);
  });

  it('does not change the exported defaults', () => {
    policiesFromEnv({ ONBOARDING_REMINDER_DAYS: '1', OFFBOARDING_RETENTION_DAYS: '1' });
    assert.deepEqual(defaultOnboardingPolicy.reminderPolicy.remindAfterDays, [3, 7, 14]);
    assert.equal(defaultOffboardingPolicy.retentionDays, 30);
  });

  it('names every bad variable at once', () => {
    const error = configErrorOf({
      ONBOARDING_INVITE_LEAD_TIME_DAYS: 'two',
      ONBOARDING_INVITE_TIME_OF_DAY: '25:00',
      ONBOARDING_REMINDER_DAYS: '3,x',
      ONBOARDING_EXPIRE_AFTER_DAYS: '-1',
      ONBOARDING_STATUS_CHECK_INTERVAL_MINUTES: '0',
      ONBOARDING_REHIRE_POLICY: 'maybe',
      ONBOARDING_EXPIRED_ACTION: 'explode',
      ONBOARDING_CANCEL_ACTION: 'nothing',
      OFFBOARDING_RETENTION_DAYS: '5000',
      OFFBOARDING_END_OF_WORKING_DAY: '5pm',
      LIFECYCLE_TIME_ZONE: 'Mars/Olympus',
    });
    assert.deepEqual(error.variables.sort(), [...POLICY_ENV_VARS].sort());
    for (const variable of POLICY_ENV_VARS) assert.match(error.message, new RegExp(`${variable} `));
  });

  it('reports a bad time zone once, though both policies use it', () => {
    const error = configErrorOf({ LIFECYCLE_TIME_ZONE: 'Nowhere/Town' });
    assert.equal(error.problems.length, 1);
    assert.equal(error.problems[0]?.variable, 'LIFECYCLE_TIME_ZONE');
    assert.match(error.message, /IANA time zone/);
  });

  it('explains the rule between reminder days and the expiry', () => {
    const error = configErrorOf({ ONBOARDING_REMINDER_DAYS: '3,7,30' });
    assert.deepEqual(error.variables, ['ONBOARDING_EXPIRE_AFTER_DAYS']);
    assert.match(error.message, /greater than the last day in ONBOARDING_REMINDER_DAYS/);

    const unordered = configErrorOf({ ONBOARDING_REMINDER_DAYS: '7,3' });
    assert.deepEqual(unordered.variables, ['ONBOARDING_REMINDER_DAYS']);
    assert.match(unordered.message, /strictly increasing/);
  });

  it('does not blame the expiry when the reminder list itself is unreadable', () => {
    const error = configErrorOf({ ONBOARDING_REMINDER_DAYS: 'soon', ONBOARDING_EXPIRE_AFTER_DAYS: '2' });
    assert.deepEqual(error.variables, ['ONBOARDING_REMINDER_DAYS']);
  });
});
