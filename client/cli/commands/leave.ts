import { type Command } from 'commander';
import { leavePolicyOf, leaveRequestSchema, leaveUntilSchema } from '../../../lifecycle/leave-request';
import type { LeaveOutcome, LeaveStatus } from '../../../workflows/leave-messages';
import { leaveEndAudit, leaveStartAudit, leaveUntilAudit } from '../../leave-audits';
import { leaveRuns } from '../action-modules';
import { type CliIo } from '../context';
import { validOrThrow, withContext } from '../parsing';

const flagOf: Record<string, string> = {
  externalID: '<externalID>',
  from: '--from',
  until: '--until',
  reason: '--reason',
};

export function leaveStatusText(externalID: string, status: LeaveStatus): string {
  const details = [
    `from ${status.from}`,
    status.until ? `until ${status.until}` : 'open-ended',
    status.deactivatedAt && `deactivated ${status.deactivatedAt}`,
    status.attention && `needs attention: ${status.attention.code}`,
  ].filter(Boolean);
  return `Leave of ${externalID}: stage ${status.stage} (${details.join(', ')})`;
}

export function leaveOutcomeText(externalID: string, outcome: LeaveOutcome): string {
  const how = outcome.reactivated ? 'account reactivated' : 'account not reactivated';
  const why = outcome.keptBecause ? `, ${outcome.keptBecause}` : '';
  return `Leave of ${externalID}: ${outcome.result} (${how}${why})`;
}

/** `leave`, `leave-until`, `leave-end`, `leave-cancel`. */
export function registerLeaveCommands(program: Command, io: CliIo, state: { exitCode: number }): void {
  program
    .command('leave')
    .summary('put a person on leave: deactivated meanwhile, reactivated on the first day back')
    .description(
      'Start a leave of absence: at the end of the working day before --from (OFFBOARDING_END_OF_WORKING_DAY, ' +
        'policy time zone) the account is logged out and deactivated; at the start of --until (the first day ' +
        'back) it is reactivated, if it is still the account this leave deactivated. Without --until the ' +
        'leave lasts until `leave-end`. A leave never deletes. Refused while the person has an open ' +
        'onboarding or offboarding; repeating it for an open leave reports that leave (exit 0).',
    )
    .argument('<externalID>', "the person's ID in the HR system")
    .requiredOption('--from <YYYY-MM-DD>', 'the first day of leave')
    .option('--until <YYYY-MM-DD>', 'the first day back (absent: until ended)')
    .option('--reason <text>', 'why (kept in the run)')
    .addHelpText(
      'after',
      '\nExample:\n  staffbase-lifecycle leave emp-42 --from 2027-03-01 --until 2027-09-01',
    )
    .action(
      withContext(
        io,
        state,
        async (ctx, externalID: string, options: { from: string; until?: string; reason?: string }) => {
          const request = validOrThrow(
            leaveRequestSchema,
            { externalID, from: options.from, until: options.until, reason: options.reason },
            'leave request',
            flagOf,
          );
          const { startLeave } = await leaveRuns();
          const policy = leavePolicyOf((await ctx.policies()).offboarding);
          const run = await startLeave(await ctx.client(), request, policy);
          await ctx.audit(leaveStartAudit(externalID, run.status));
          ctx.result(
            run,
            run.status === 'started'
              ? `Started leave for ${externalID} (workflow ${run.workflowId})`
              : `A leave of ${externalID} is already open (workflow ${run.workflowId}); nothing new started`,
          );
        },
      ),
    );

  program
    .command('leave-until')
    .summary('move the first day back of an open leave (extend or shorten)')
    .argument('<externalID>', "the person's ID in the HR system")
    .argument('<until>', 'the new first day back, YYYY-MM-DD (today or earlier: reactivates now)')
    .action(
      withContext(io, state, async (ctx, externalID: string, until: string) => {
        const change = validOrThrow(leaveUntilSchema, { until }, 'leave change', { until: '<until>' });
        const status = await (
          await leaveRuns()
        ).changeLeaveUntil(await ctx.client(), externalID, change.until);
        await ctx.audit(leaveUntilAudit(externalID, status));
        ctx.result(status, leaveStatusText(externalID, status));
      }),
    );

  const endingCommand = (name: string, act: 'end' | 'cancel', summary: string) =>
    program
      .command(name)
      .summary(summary)
      .argument('<externalID>', "the person's ID in the HR system")
      .option('--reason <text>', 'why (kept in the run)')
      .action(
        withContext(io, state, async (ctx, externalID: string, options: { reason?: string }) => {
          const runs = await leaveRuns();
          const ending = act === 'end' ? runs.endLeave : runs.cancelLeave;
          const outcome = await ending(await ctx.client(), externalID, options.reason);
          await ctx.audit(leaveEndAudit(externalID, act, outcome));
          ctx.result(outcome, leaveOutcomeText(externalID, outcome));
        }),
      );
  endingCommand('leave-end', 'end', 'end a leave now: the account this leave deactivated is reactivated now');
  endingCommand(
    'leave-cancel',
    'cancel',
    'call a leave off: reactivates the account if the leave had deactivated it',
  );
}
