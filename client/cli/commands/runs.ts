import { type Command, Option } from 'commander';
import { type Lifecycle } from '../../../lifecycle/workflow-ids';
import { type CliIo } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { positiveWholeNumber, withContext } from '../parsing';

const lifecycles: Lifecycle[] = ['onboarding', 'offboarding'];

/** The actions, loaded when one runs: they bring the Temporal client (a fast `--help`). */
const runsActions = () => import('./runs-actions.js');

/** `cancel`, `status`, `list`. */
export function registerRunCommands(program: Command, io: CliIo, state: { exitCode: number }): void {
  program
    .command('cancel')
    .summary('cancel an open onboarding (offer withdrawn) or offboarding (reversal, rehire)')
    .description(
      'Cancel the open run of <externalID>. Without --lifecycle the open one is cancelled. ' +
        '  onboarding:  the run stops; by policy a still-pending account is deleted. ' +
        '  offboarding: before deactivation nothing changes; after it the account is reactivated. ' +
        '               Refused (exit 4) once the account is deleted.',
    )
    .argument('<externalID>', "the person's ID in the HR system")
    .addOption(new Option('--lifecycle <lifecycle>', 'which run to cancel').choices(lifecycles))
    .option('--reason <text>', 'why (kept in the run)')
    .action(
      withContext(
        io,
        state,
        async (ctx, externalID: string, options: { lifecycle?: Lifecycle; reason?: string }) => {
          await (await runsActions()).cancelRun(ctx, externalID, options);
        },
      ),
    );

  program
    .command('status')
    .summary("a person's onboarding and offboarding runs: stage, dates, outcome")
    .description('Show the onboarding and offboarding runs of <externalID>. Exit 3 when there is neither.')
    .argument('<externalID>', "the person's ID in the HR system")
    .action(
      withContext(io, state, async (ctx, externalID: string) => {
        await (await runsActions()).showStatus(ctx, externalID);
      }),
    );

  program
    .command('list')
    .summary('list runs by lifecycle and stage (Temporal visibility); --search: everyone in the person index')
    .description(
      'List onboarding and offboarding runs through Temporal visibility and the search attributes ' +
        'StaffbaseExternalId and LifecycleStage. Open runs only unless --all. The query printed at the end ' +
        "works in the Temporal UI's search box too.\n" +
        'With --search <text>: everyone in the person index of the project’s own store (LIFECYCLE_STORE_URL; ' +
        'docs/store.md), at any number of people, read directly (no Temporal): <text> matches a prefix or ' +
        'whole word of the externalID, first or last name or email, ignoring case and accents ("" matches ' +
        'everyone); --lifecycle, --stage, --from/--to filter; the exact total is printed, and the next ' +
        'page is --cursor <nextCursor>.',
    )
    .addOption(new Option('--lifecycle <lifecycle>', 'only this lifecycle').choices(lifecycles))
    .option(
      '--stage <stage>',
      'only runs in this stage, e.g. awaiting-activation, needs-attention, retention, on-hold',
    )
    .option('--all', 'closed runs too (not with --search: the index holds everyone)')
    .option(
      '--limit <n>',
      'at most this many runs (default 100); with --search, people per page (1-100, default 25)',
      positiveWholeNumber,
    )
    .option('--search <text>', 'search the person index instead of listing runs')
    .option('--from <date>', 'with --search: start date or last working day on or after (YYYY-MM-DD)')
    .option('--to <date>', 'with --search: … on or before (YYYY-MM-DD)')
    .option('--cursor <cursor>', 'with --search: the page after this one (nextCursor of the previous page)')
    .action(
      withContext(io, state, async (ctx, options: ListOptions) => {
        if (options.search !== undefined) {
          if (options.all) throw searchConflict('--all', 'the person index holds closed runs too');
          const search = await import('./people-search.js');
          await search.showPeopleSearch(ctx, { ...options, search: options.search });
          return;
        }
        for (const flag of ['from', 'to', 'cursor'] as const) {
          if (options[flag] !== undefined) throw searchConflict(`--${flag}`, 'only with --search');
        }
        await (await runsActions()).showRunList(ctx, { ...options, limit: options.limit ?? 100 });
      }),
    );
}

interface ListOptions {
  lifecycle?: Lifecycle;
  stage?: string;
  all?: boolean;
  limit?: number;
  search?: string;
  from?: string;
  to?: string;
  cursor?: string;
}

function searchConflict(flag: string, why: string): CliError {
  return new CliError(`${flag}: ${why}`, ExitCode.invalidInput, [{ field: flag, message: why }]);
}
