import { type Command, Option } from 'commander';
import { type Lifecycle } from '../../../lifecycle/workflow-ids';
import { type CliIo } from '../context';
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
    .summary('list runs by lifecycle and stage (Temporal visibility)')
    .description(
      'List onboarding and offboarding runs through Temporal visibility and the search attributes ' +
        'StaffbaseExternalId and LifecycleStage. Open runs only unless --all. The query printed at the end ' +
        "works in the Temporal UI's search box too.",
    )
    .addOption(new Option('--lifecycle <lifecycle>', 'only this lifecycle').choices(lifecycles))
    .option(
      '--stage <stage>',
      'only runs in this stage, e.g. awaiting-activation, needs-attention, retention, on-hold',
    )
    .option('--all', 'closed runs too')
    .option('--limit <n>', 'at most this many runs', positiveWholeNumber, 100)
    .action(
      withContext(
        io,
        state,
        async (ctx, options: { lifecycle?: Lifecycle; stage?: string; all?: boolean; limit: number }) => {
          await (await runsActions()).showRunList(ctx, options);
        },
      ),
    );
}
