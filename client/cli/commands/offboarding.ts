import { type Command } from 'commander';
import { offboardingRequestSchema, retentionChangeSchema } from '../../../lifecycle/offboarding-request';
import { type AuditEvent } from '../../../lifecycle/audit/audit-record';
import { earlyDeletionOf } from '../../../lifecycle/deletion-authority';
import { lifecycleWorkflowId } from '../../../lifecycle/workflow-ids';
import { type OffboardingStatus } from '../../../workflows/offboarding-messages';
import { lifecycleActions, retentionChange } from '../action-modules';
import { startCommandAction } from './lifecycle-start';
import { type CliIo, type CommandContext } from '../context';
import { offboardingStatusText } from '../format';
import { invalidInput, validField, validOrThrow, wholeNumber, withContext } from '../parsing';

const retentionDaysRule = offboardingRequestSchema.shape.retentionDays.unwrap();
const deleteAtRule = offboardingRequestSchema.shape.deleteAt.unwrap();

const flagOf: Record<string, string> = {
  externalID: '<externalID> / --external-id',
  lastWorkingDay: '--last-working-day',
  retentionDays: '--retention-days',
  deleteAt: '--delete-at',
  reason: '--reason',
};

interface OffboardOptions {
  externalId?: string;
  lastWorkingDay?: string;
  retentionDays?: number;
  deleteAt?: string;
  reason?: string;
  fromJson?: string;
  rerun?: boolean;
}

/** Audits an action on a person's offboarding (identifiers only) and prints the run's status after it. */
async function reportOffboardingAct(
  ctx: CommandContext,
  event: AuditEvent,
  externalID: string,
  status: OffboardingStatus,
  extra: { reason?: string } = {},
): Promise<void> {
  await ctx.audit({
    event,
    externalID,
    workflowId: lifecycleWorkflowId('offboarding', externalID),
    staffbaseUserId: status.staffbaseUserId,
    outcome: status.stage,
    ...extra,
  });
  ctx.result(status, offboardingStatusText(externalID, status));
}

/** `offboard`, `delete-now`, `hold`, `release`, `retention`. */
export function registerOffboardingCommands(program: Command, io: CliIo, state: { exitCode: number }): void {
  program
    .command('offboard')
    .summary('start the offboarding of a leaver (one run per externalID)')
    .description(
      'Start the offboarding of a leaver: at the end of the last working day the account is logged out ' +
        'and deactivated, and deleted after the retention period. Give the fields as flags, or as a JSON ' +
        'object with --from-json (flags override its fields). Repeating the command for a person whose run ' +
        'is open starts nothing new and reports the open run (exit 0).',
    )
    .argument('[externalID]', "the person's ID in the HR system (or --external-id)")
    .option('--external-id <id>', "the person's ID in the HR system")
    .option('--last-working-day <YYYY-MM-DD>', 'absent or past: at once')
    .option(
      '--retention-days <days>',
      'days between deactivation and deletion (default: policy)',
      wholeNumber,
    )
    .option('--delete-at <ISO date-time>', 'an explicit deletion moment instead of --retention-days')
    .option('--reason <text>', 'why (kept in the run)')
    .option('--from-json <file|->', 'read the request as a JSON object from a file, or stdin with -')
    .option('--rerun', 'start again even when an earlier offboarding of this person completed')
    .addHelpText(
      'after',
      '\nExample:\n  staffbase-lifecycle offboard emp-42 --last-working-day 2027-03-31 --retention-days 30',
    )
    .action(
      startCommandAction(io, state, {
        request: { schema: offboardingRequestSchema, what: 'offboarding request', flagOf },
        flags: (options: OffboardOptions) => ({
          lastWorkingDay: options.lastWorkingDay,
          retentionDays: options.retentionDays,
          deleteAt: options.deleteAt,
          reason: options.reason,
        }),
        start: (runs, client, policies, request, options) =>
          runs.startOffboarding(client, request, policies.offboarding, options),
        // The CLI holds the admin role: a deletion sooner than the policy is allowed, and audited.
        afterStart: async (ctx, request, run, policies) => {
          const early = earlyDeletionOf(request, policies.offboarding, Date.now());
          if (early && run.status === 'started') {
            await ctx.audit({
              event: 'retention-shortened',
              externalID: request.externalID,
              workflowId: run.workflowId,
              reason: `at start: ${early.field} sooner than the policy's retention`,
              outcome: 'started',
            });
          }
        },
      }),
    );

  /** A command that runs one offboarding update without arguments and reports the run's status. */
  const plainOffboardingAct = (
    name: string,
    summary: string,
    act: 'deleteNow' | 'releaseLegalHold',
    event: AuditEvent,
  ): Command =>
    program
      .command(name)
      .summary(summary)
      .argument('<externalID>', "the person's ID in the HR system")
      .action(
        withContext(io, state, async (ctx, externalID: string) => {
          const status = await (await lifecycleActions())[act](await ctx.client(), externalID);
          await reportOffboardingAct(ctx, event, externalID, status);
        }),
      );

  plainOffboardingAct(
    'delete-now',
    'delete a leaver’s account now instead of after the retention period',
    'deleteNow',
    'delete-now-requested',
  ).description(
    'Bring the deletion of an open offboarding forward to now. Refused (exit 4) while a legal hold is ' +
      'in place, and before the account is deactivated.',
  );

  program
    .command('hold')
    .summary('place a legal hold: the deletion waits until released')
    .argument('<externalID>', "the person's ID in the HR system")
    .requiredOption('--reason <text>', 'why the data must be kept (e.g. a case number)')
    .action(
      withContext(io, state, async (ctx, externalID: string, options: { reason: string }) => {
        if (!options.reason.trim()) {
          throw invalidInput('legal hold', [{ field: 'reason', message: 'must not be empty' }], {
            reason: '--reason',
          });
        }
        const { placeLegalHold } = await lifecycleActions();
        const status = await placeLegalHold(await ctx.client(), externalID, options.reason);
        await reportOffboardingAct(ctx, 'legal-hold-placed', externalID, status, { reason: options.reason });
      }),
    );

  plainOffboardingAct(
    'release',
    'release a legal hold: the deletion goes ahead on its schedule',
    'releaseLegalHold',
    'legal-hold-released',
  );

  program
    .command('retention')
    .summary('change when a leaver’s account is deleted')
    .description('Give an open offboarding a new retention: --days after deactivation, or --delete-at.')
    .argument('<externalID>', "the person's ID in the HR system")
    .option('--days <days>', 'days after deactivation', wholeNumber)
    .option('--delete-at <ISO date-time>', 'an explicit moment, e.g. 2027-06-30T17:00:00Z')
    .action(
      withContext(
        io,
        state,
        async (ctx, externalID: string, options: { days?: number; deleteAt?: string }) => {
          if ((options.days === undefined) === (options.deleteAt === undefined)) {
            throw invalidInput('retention', [
              { field: 'retention', message: 'give --days or --delete-at (exactly one)' },
            ]);
          }
          // The request schema's field rules give the readable messages; the union then checks the shape.
          const change = validOrThrow(
            retentionChangeSchema,
            options.days !== undefined
              ? { retentionDays: validField(retentionDaysRule, options.days, 'retentionDays', '--days') }
              : { deleteAt: validField(deleteAtRule, options.deleteAt, 'deleteAt', '--delete-at') },
            'retention',
          );
          const client = await ctx.client();
          const { offboardingStatusOf, shortensRetention } = await retentionChange();
          const shortens = shortensRetention(
            await offboardingStatusOf(client, externalID),
            change,
            (await ctx.policies()).offboarding,
            Date.now(),
          );
          const status = await (await lifecycleActions()).changeRetention(client, externalID, change);
          await reportOffboardingAct(
            ctx,
            shortens ? 'retention-shortened' : 'retention-changed',
            externalID,
            status,
          );
        },
      ),
    );
}
