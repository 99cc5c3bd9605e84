import { type Client } from '@temporalio/client';
import { type Command } from 'commander';
import { type z } from 'zod';
import {
  moverRequestSchema,
  populationLogoutRequestSchema,
  recoveryCodeRequestSchema,
  userLogoutRequestSchema,
} from '../../../lifecycle/support-requests';
import { type StartedSupportRun } from '../../support-runs';
import { type AuditEvent } from '../../../lifecycle/audit/audit-record';
import { supportRuns } from '../action-modules';
import { type CliIo, type CommandContext } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { collectKeyValue, collectList, defined, invalidInput, validOrThrow, withContext } from '../parsing';

function startedText(what: string, run: StartedSupportRun): string {
  return run.status === 'started'
    ? `Started ${what} (workflow ${run.workflowId}, run ${run.runId}).`
    : `${what[0]?.toUpperCase() ?? ''}${what.slice(1)} is already running (workflow ${run.workflowId}): nothing new started.`;
}

/** One audit line per single-person support run asked for: who, what, which run. */
async function auditPersonRun(
  ctx: CommandContext,
  event: AuditEvent,
  externalID: string,
  run: StartedSupportRun,
): Promise<void> {
  await ctx.audit({ event, externalID, workflowId: run.workflowId, outcome: run.status });
}

/** `result` values that mean the person was not found, or that the operation was refused. */
const notFoundResults = new Set(['user-not-found']);
const refusedResults = new Set(['refused', 'invalid-filter']);

/** Prints the start, and with --wait the outcome; sets exit 3 / 4 for not-found / refused outcomes. */
async function report(
  ctx: CommandContext,
  client: Client,
  what: string,
  run: StartedSupportRun,
  wait: boolean | undefined,
): Promise<void> {
  if (!wait) {
    ctx.result(run, [startedText(what, run), `Follow it in the Temporal UI, workflow ID ${run.workflowId}.`]);
    return;
  }
  ctx.note(startedText(what, run));
  const outcome = (await (await supportRuns()).supportRunHandle(client, run.workflowId).result()) as {
    result: string;
  } & Record<string, unknown>;
  ctx.result({ ...run, outcome }, `Outcome: ${JSON.stringify(outcome, null, 2)}`);
  if (notFoundResults.has(outcome.result)) ctx.exitCode = ExitCode.notFound;
  else if (refusedResults.has(outcome.result)) ctx.exitCode = ExitCode.refused;
}

/** What every support command takes: why (kept in the run), and whether to wait for the outcome. */
interface SupportRunOptions {
  reason?: string;
  wait?: boolean;
}

interface LogoutOptions extends SupportRunOptions {
  filter?: string;
  group?: string;
  dryRun?: boolean;
}

interface ChangeOptions extends SupportRunOptions {
  firstName?: string;
  lastName?: string;
  locale?: string;
  profile?: Record<string, string>;
  addGroup?: string[];
}

type SupportRuns = Awaited<ReturnType<typeof supportRuns>>;

/** A request of just the person and why, from `<externalID>` and `--reason`. */
function personRequest<Schema extends z.ZodType>(
  schema: Schema,
  externalID: string | undefined,
  reason: string | undefined,
  what: string,
): z.infer<Schema> {
  return validOrThrow(schema, defined({ externalID, reason }), what, {
    externalID: '<externalID>',
    reason: '--reason',
  });
}

/** Starts one person's support run, audits the ask, and reports it (with --wait, its outcome). */
async function startPersonRun<Request extends { externalID: string }>(
  ctx: CommandContext,
  request: Request,
  start: (runs: SupportRuns, client: Client, request: Request) => Promise<StartedSupportRun>,
  ask: { event: AuditEvent; what: string; wait: boolean | undefined },
): Promise<void> {
  const client = await ctx.client();
  const run = await start(await supportRuns(), client, request);
  await auditPersonRun(ctx, ask.event, request.externalID, run);
  await report(ctx, client, ask.what, run, ask.wait);
}

/** The flags every support run takes, last in its help: why (kept in the run), and whether to wait. */
function supportRunFlags(command: Command): Command {
  return command
    .option('--reason <text>', 'why (kept in the run)')
    .option('--wait', 'wait for the outcome and print it');
}

/** `logout`, `recovery-code`, `change`: the support operations of client/support-runs.ts. */
export function registerSupportCommands(program: Command, io: CliIo, state: { exitCode: number }): void {
  const logout = program
    .command('logout')
    .summary('log one user, or everyone matching a filter or in a group, out of every session')
    .description(
      'Forced logout. With <externalID>: that person. With --filter (a User API filter) or --group: ' +
        'every activated user it matches, as one bulk run (--dry-run counts and samples, changes nothing).',
    )
    .argument('[externalID]', "the person's ID in the HR system")
    .option('--filter <expression>', 'User API filter, e.g. \'profile.department eq "Sales"\'')
    .option('--group <groupID>', 'every member of this Staffbase group')
    .option('--dry-run', 'bulk only: count and sample who would be logged out');
  supportRunFlags(logout).action(
    withContext(io, state, async (ctx, externalID: string | undefined, options: LogoutOptions) => {
      const bulk = options.filter !== undefined || options.group !== undefined;
      if (bulk === (externalID !== undefined)) {
        throw new CliError('give <externalID>, or --filter / --group (not both)', ExitCode.invalidInput, [
          { field: 'externalID', message: 'give <externalID>, or --filter / --group' },
        ]);
      }
      if (!bulk) {
        if (options.dryRun) {
          throw invalidInput('logout', [{ field: 'dryRun', message: '--dry-run is for --filter / --group' }]);
        }
        const request = personRequest(userLogoutRequestSchema, externalID, options.reason, 'logout');
        await startPersonRun(ctx, request, (runs, client, asked) => runs.startUserLogout(client, asked), {
          event: 'logout-requested',
          what: `the logout of ${request.externalID}`,
          wait: options.wait,
        });
        return;
      }
      const request = validOrThrow(
        populationLogoutRequestSchema,
        defined({
          filter: options.filter,
          groupId: options.group,
          dryRun: options.dryRun,
          reason: options.reason,
        }),
        'population logout',
        { filter: '--filter', groupId: '--group', reason: '--reason' },
      );
      const client = await ctx.client();
      const what = `the ${request.dryRun ? 'dry-run ' : ''}logout of ${request.groupId ? `group ${request.groupId}` : 'the filtered users'}`;
      const run = await (await supportRuns()).startPopulationLogout(client, request);
      if (!request.dryRun && run.status === 'started') {
        await ctx.audit({
          event: 'population-logout-started',
          workflowId: run.workflowId,
          reason: request.reason,
        });
      }
      await report(ctx, client, what, run, options.wait);
    }),
  );

  const recoveryCode = program
    .command('recovery-code')
    .summary('have Staffbase send a user a recovery code (locked out of their account)')
    .argument('<externalID>', "the person's ID in the HR system");
  supportRunFlags(recoveryCode).action(
    withContext(io, state, async (ctx, externalID: string, options: SupportRunOptions) => {
      const request = personRequest(
        recoveryCodeRequestSchema,
        externalID,
        options.reason,
        'recovery-code request',
      );
      await startPersonRun(ctx, request, (runs, client, asked) => runs.startRecoveryCode(client, asked), {
        event: 'recovery-code-requested',
        what: `the recovery code for ${request.externalID}`,
        wait: options.wait,
      });
    }),
  );

  const change = program
    .command('change')
    .summary('change a person’s name, locale, profile fields or groups (a "mover")')
    .description('Only the fields given change; --add-group adds memberships and never removes any.')
    .argument('<externalID>', "the person's ID in the HR system")
    .option('--first-name <name>', 'new first name')
    .option('--last-name <name>', 'new last name')
    .option('--locale <locale>', 'new locale, e.g. de_DE')
    .option('--profile <field=value>', 'custom profile field to set (repeat)', collectKeyValue)
    .option('--add-group <groupID>', 'group to join (repeat, or comma-separated)', collectList);
  supportRunFlags(change).action(
    withContext(io, state, async (ctx, externalID: string, options: ChangeOptions) => {
      const request = validOrThrow(
        moverRequestSchema,
        defined({
          externalID,
          firstName: options.firstName,
          lastName: options.lastName,
          locale: options.locale,
          profile: options.profile,
          addToGroups: options.addGroup,
          reason: options.reason,
        }),
        'change',
        {
          externalID: '<externalID>',
          firstName: '--first-name',
          lastName: '--last-name',
          locale: '--locale',
          profile: '--profile … (or another change flag)',
          addToGroups: '--add-group',
          reason: '--reason',
        },
      );
      await startPersonRun(ctx, request, (runs, client, asked) => runs.startMover(client, asked), {
        event: 'person-change-requested',
        what: `the change of ${request.externalID}`,
        wait: options.wait,
      });
    }),
  );
}
