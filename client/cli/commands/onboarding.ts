import { type Command } from 'commander';
import { calendarDateSchema } from '../../../lifecycle/field-rules';
import { onboardingRequestSchema } from '../../../lifecycle/onboarding-request';
import { onboardingSignalAudit } from '../../person-act-audits';
import { lifecycleActions } from '../action-modules';
import { startCommandAction } from './lifecycle-start';
import { onboardingPersonFlags } from '../person-flags';
import { type CliIo } from '../context';
import { dayList, defined, validField, wholeNumber, withContext } from '../parsing';

/** The flag behind each onboarding field, so that errors name both. */
const flagOf: Record<string, string> = {
  externalID: '<externalID> / --external-id',
  userName: '--user-name',
  firstName: '--first-name',
  lastName: '--last-name',
  email: '--email',
  startDate: '--start-date',
  locale: '--locale',
  groupIDs: '--group',
  profile: '--profile',
  contactEmail: '--contact-email',
  'reminderPolicy.remindAfterDays': '--remind-after-days',
  'reminderPolicy.expireAfterDays': '--expire-after-days',
  reminderPolicy: '--remind-after-days / --expire-after-days',
};

interface OnboardOptions {
  externalId?: string;
  userName?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  startDate?: string;
  locale?: string;
  group?: string[];
  profile?: Record<string, string>;
  contactEmail?: string;
  remindAfterDays?: number[];
  expireAfterDays?: number;
  fromJson?: string;
  rerun?: boolean;
}

/** `onboard`, `activated`, `start-date`. */
export function registerOnboardingCommands(program: Command, io: CliIo, state: { exitCode: number }): void {
  const onboard = program
    .command('onboard')
    .summary('start the onboarding of a new hire (one run per externalID)')
    .description(
      'Start the onboarding of a new hire: create the Staffbase account, send the invitation (on the ' +
        'start date, by policy), remind, and finish on activation. Give the fields as flags, or as a JSON ' +
        'object with --from-json (flags override its fields). Repeating the command for a person whose run ' +
        'is open starts nothing new and reports the open run (exit 0).',
    )
    .argument('[externalID]', "the person's ID in the HR system (or --external-id)")
    .option('--external-id <id>', "the person's ID in the HR system");
  onboardingPersonFlags(onboard, 'request')
    .option('--start-date <YYYY-MM-DD>', 'first working day')
    .option('--contact-email <address>', 'manager or HR contact, copied on reminders')
    .option('--remind-after-days <days>', 'reminder days after the invitation, e.g. 3,7,14', dayList)
    .option(
      '--expire-after-days <days>',
      'days after the invitation when the onboarding expires',
      wholeNumber,
    )
    .option('--from-json <file|->', 'read the request as a JSON object from a file, or stdin with -')
    .option('--rerun', 'start again even when an earlier onboarding of this person completed')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  staffbase-lifecycle onboard emp-42 --user-name ada.lovelace --first-name Ada --last-name Lovelace \\\n' +
        '      --email ada@example.com --start-date 2027-01-15 --group sales --profile department=Sales\n' +
        '  staffbase-lifecycle onboard --from-json new-hire.json --json',
    )
    .action(
      startCommandAction(io, state, {
        request: { schema: onboardingRequestSchema, what: 'onboarding request', flagOf },
        flags: (options: OnboardOptions, fromJson) => {
          const reminderFlags = defined({
            remindAfterDays: options.remindAfterDays,
            expireAfterDays: options.expireAfterDays,
          });
          const jsonProfile = fromJson.profile as Record<string, unknown> | undefined;
          const jsonReminders = fromJson.reminderPolicy as Record<string, unknown> | undefined;
          return {
            userName: options.userName,
            firstName: options.firstName,
            lastName: options.lastName,
            email: options.email,
            startDate: options.startDate,
            locale: options.locale,
            groupIDs: options.group,
            contactEmail: options.contactEmail,
            profile: options.profile ? { ...jsonProfile, ...options.profile } : undefined,
            reminderPolicy:
              Object.keys(reminderFlags).length > 0 ? { ...jsonReminders, ...reminderFlags } : undefined,
          };
        },
        start: (runs, client, policies, request, options) =>
          runs.startOnboarding(client, request, policies.onboarding, options),
      }),
    );

  program
    .command('activated')
    .summary('tell an onboarding that the new hire has activated their account')
    .description(
      'Tell the open onboarding of <externalID> that the account is activated (e.g. from an HR ' +
        'system); the run completes at once instead of waiting for its next status check.',
    )
    .argument('<externalID>', "the person's ID in the HR system")
    .option('--source <name>', 'who reports the activation', 'hr')
    .action(
      withContext(io, state, async (ctx, externalID: string, options: { source: string }) => {
        await (await lifecycleActions()).signalActivated(await ctx.client(), externalID, options.source);
        await ctx.audit(onboardingSignalAudit('onboarding-activation-reported', externalID));
        ctx.result(
          { externalID, lifecycle: 'onboarding', action: 'activated', delivered: true },
          `Told the onboarding of ${externalID} that the account is activated.`,
        );
      }),
    );

  program
    .command('start-date')
    .summary('move the start date of an onboarding whose invitation is still scheduled')
    .description(
      'Give the open onboarding of <externalID> a new start date. It moves the scheduled invitation; ' +
        'once the invitation went out the run ignores it (see `status`).',
    )
    .argument('<externalID>', "the person's ID in the HR system")
    .argument('<date>', 'the new start date, YYYY-MM-DD')
    .action(
      withContext(io, state, async (ctx, externalID: string, date: string) => {
        // Checked before connecting, so a typo is exit 2 even when Temporal is down.
        validField(calendarDateSchema, date, 'startDate', '<date>');
        await (await lifecycleActions()).changeStartDate(await ctx.client(), externalID, date);
        await ctx.audit(onboardingSignalAudit('start-date-changed', externalID));
        ctx.result(
          { externalID, lifecycle: 'onboarding', action: 'start-date', startDate: date, delivered: true },
          `Sent the new start date ${date} to the onboarding of ${externalID}.`,
        );
      }),
    );
}
