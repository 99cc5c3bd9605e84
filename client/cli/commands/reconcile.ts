/**
 * `reconcile <file>`: an HR snapshot → a plan (every person one situation), applied unless --dry-run or
 * held by the safety verdict; `reconcile approve|discard|show <planId>` (docs/reconciliation.md). The
 * snapshot and the plan live in the store (LIFECYCLE_STORE_URL); the worker reads the directory and
 * applies. The CLI talks to Temporal and the store directly, so it acts as the admin: `--absent leaver`
 * is allowed here.
 */
import { type Command, Option } from 'commander';
import { importLimitsFromEnv } from '../../../config/import-limits';
import type { AbsentPolicy } from '../../../lifecycle/reconcile/situations';
import { dateFormats } from '../../csv/date-cells';
import { type CliIo } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { withContext } from '../parsing';
import type { PlanView } from '../../reconcile-plans';
import { type HrFileOptions, readHrFile } from './hr-file';
import { withConfiguredStore } from './store';

interface ReconcileOptions extends HrFileOptions {
  dryRun?: boolean;
  absent: AbsentPolicy;
}

interface DecisionOptions {
  reason?: string;
}

const reconcileHelp = `
The snapshot holds every person HR knows (CSV, .xlsx or JSON; the import's header aliases, --map,
--mapping, --date-format and limits), with employment status (active, terminated, leave), startDate,
lastWorkingDay and the person fields. The worker compares it with the Staffbase directory (one request
per page, bulk lane) and the open runs and gives every person one situation: joiner, future-joiner,
leaver, future-leaver, absent, mover, rehire, in-sync, in-progress, disputed, unmanaged, invalid,
on-leave. Then it applies the plan, unless --dry-run, or the plan is held for approval (too many
offboardings, or a snapshot that looks truncated: RECONCILE_HOLD_ABOVE, RECONCILE_HOLD_ABOVE_PERCENT,
RECONCILE_MIN_ACTIVE_RATIO): then \`reconcile approve <planId>\` or \`reconcile discard <planId>\`.
Applying twice starts nothing new. An absent account is only reported unless --absent leaver.

--json prints {"planId", "status", "counts": {situation: n}, "entries": [{"externalID", "situation",
"action", "reason"}]}; an account without an externalID has "externalID": null and its "staffbaseId".`;

function listOption(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The plan as text: counts, safety reasons, and the entries that do or report something. */
function planLines(view: PlanView, reasons: string[]) {
  const counts = Object.entries(view.counts)
    .filter(([, count]) => count > 0)
    .map(([situation, count]) => `${situation} ${count}`)
    .join(', ');
  return [
    `Plan ${view.planId}: ${view.status}`,
    `  ${counts === '' ? 'nobody' : counts}`,
    ...reasons.map((reason) => `  held: ${reason}`),
    ...view.entries
      .filter((entry) => entry.action !== 'none')
      .map(
        (entry) =>
          `  ${entry.externalID ?? `account ${entry.staffbaseId ?? '?'}`}: ${entry.situation} → ${entry.action} (${entry.reason})`,
      ),
  ];
}

function notFound(error: unknown): never {
  if (error instanceof Error && error.name === 'PlanNotFoundError')
    throw new CliError(error.message, ExitCode.notFound);
  throw error;
}

export function registerReconcileCommands(program: Command, io: CliIo, state: { exitCode: number }): void {
  const reconcile = program
    .command('reconcile')
    .summary('compare an HR snapshot with Staffbase and apply the plan (approve|discard|show <planId>)')
    .argument('<file>', 'the HR snapshot: .csv, .xlsx or .json (- for stdin)')
    .option('--dry-run', 'make the plan and show it; start nothing')
    .addOption(
      new Option('--absent <policy>', 'an account with an externalID missing from the snapshot')
        .choices(['ignore', 'leaver'])
        .default('ignore'),
    )
    .option('--map <header=field>', 'read a header as a field (repeatable)', listOption)
    .option('--mapping <file.json>', 'header → field mapping kept for an HR system: {"Header": "field"}')
    .option('--ignore-unknown', 'leave out columns that are no field (instead of refusing the file)')
    .addOption(
      new Option('--date-format <format>', 'dates also in this form, besides YYYY-MM-DD').choices(
        dateFormats,
      ),
    )
    .option('--sheet <name>', 'the sheet of an .xlsx workbook to read (name or number; default the first)')
    .addHelpText('after', reconcileHelp)
    .action(
      withContext(io, state, async (ctx, file: string, options: ReconcileOptions) => {
        const [{ readSnapshotFile }, plans] = await Promise.all([
          import('../../csv/snapshot-file.js'),
          import('../../reconcile-plans.js'),
        ]);
        const { content, readOptions } = await readHrFile(ctx, file, options, importLimitsFromEnv(io.env));
        const snapshot = await readSnapshotFile(content, readOptions);
        const policies = await ctx.policies();
        const client = await ctx.client();
        await withConfiguredStore(ctx, async ({ store }) => {
          const plan = await plans.startReconcilePlan(client, store, {
            rows: snapshot.rows(),
            source: 'cli',
            dryRun: options.dryRun === true,
            absent: options.absent,
            requestedBy: { kind: 'cli', user: ctx.options.requestedBy ?? null },
            policies,
          });
          const settled = await plans.waitForSettledPlan(client, store, plan.planId);
          const view = await plans.planView(store, plan.planId);
          if (settled.status === 'held-for-approval') ctx.exitCode = ExitCode.refused;
          ctx.result(view, planLines(view, settled.safetyReasons));
        });
      }),
    );

  for (const decision of ['approve', 'discard'] as const) {
    reconcile
      .command(decision)
      .summary(decision === 'approve' ? 'apply a plan held for approval' : 'discard a plan held for approval')
      .argument('<planId>', 'the plan')
      .option('--reason <text>', 'why (audited)')
      .action(
        withContext(io, state, async (ctx, planId: string, options: DecisionOptions) => {
          const plans = await import('../../reconcile-plans.js');
          const client = await ctx.client();
          await withConfiguredStore(ctx, async ({ store }) => {
            await plans
              .decideReconcilePlan(client, store, planId, {
                decision,
                by: { kind: 'cli', user: ctx.options.requestedBy ?? null },
                ...(options.reason !== undefined && { reason: options.reason }),
              })
              .catch(notFound);
            const settled = await plans.waitForSettledPlan(client, store, planId);
            const view = await plans.planView(store, planId);
            ctx.result(view, planLines(view, settled.safetyReasons));
          });
        }),
      );
  }

  reconcile
    .command('show')
    .summary('a plan: status, counts per situation, entries')
    .argument('<planId>', 'the plan')
    .option('--situation <name>', 'only the entries of this situation')
    .action(
      withContext(io, state, async (ctx, planId: string, options: { situation?: string }) => {
        const plans = await import('../../reconcile-plans.js');
        await withConfiguredStore(ctx, async ({ store }) => {
          const plan = await store.reconcile.plan(planId);
          const view = await plans
            .planView(store, planId, options.situation !== undefined ? { situation: options.situation } : {})
            .catch(notFound);
          ctx.result(view, planLines(view, plan?.safetyReasons ?? []));
        });
      }),
    );
}
