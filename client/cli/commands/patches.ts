/**
 * `staffbase-lifecycle patches`: per patch id of the register (workflows/patches.ts), how many open
 * runs still lack its marker, and so whether `deprecatePatch` may replace its `patched()` call.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { type PatchCensusRow, UnknownPatchError, patchCensus } from '../../patch-census';
import { type CliIo } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { table } from '../format';
import { collectList, withContext } from '../parsing';

const patchesHelp = `
Counts, per workflow type of each patch, the open runs whose TemporalChangeVersion search attribute
(upserted by the SDK with every patch marker) does not list the patch. "may deprecate" means none:
the patched() call may become deprecatePatch() (CONTRIBUTING.md, "Retiring a patch").
The count is conservative: an open run that has not reached the patched() call yet counts as lacking
it. --started-before <deploy time of the patch> leaves out the runs started after the deploy.`;

/** An ISO 8601 moment with a time zone, e.g. 2026-12-01T09:00:00Z. */
function isoMoment(text: string): Date {
  const moment = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$/.test(text) || Number.isNaN(moment.getTime()))
    throw new InvalidArgumentError('must be an ISO 8601 time with a zone, e.g. 2026-12-01T09:00:00Z');
  return moment;
}

export function patchCensusText(rows: PatchCensusRow[]): string[] {
  return table(
    ['PATCH', 'WORKFLOW TYPES', 'OPEN RUNS LACKING IT', 'VERDICT'],
    rows.map((row) => [
      row.id,
      row.workflows.map((workflow) => workflow.workflowType).join(', '),
      row.workflows.map((workflow) => `${workflow.lackingRuns}/${workflow.openRuns}`).join(', '),
      row.mayDeprecate ? 'may deprecate' : `keep (${row.lackingRuns} open run(s) lack it)`,
    ]),
  );
}

export function registerPatchesCommand(program: Command, io: CliIo, state: { exitCode: number }): void {
  program
    .command('patches')
    .summary('which workflow patches still have open runs without them (before deprecatePatch)')
    .description('Per patch id: the open runs lacking its marker, per workflow type, and the verdict.')
    .option('--patch <id>', 'only this patch id (repeatable, or comma-separated)', collectList)
    .addOption(
      new Option(
        '--started-before <time>',
        'only runs started before this time (the patch’s deploy)',
      ).argParser(isoMoment),
    )
    .addHelpText('after', patchesHelp)
    .action(
      withContext(io, state, async (ctx, options: { patch?: string[]; startedBefore?: Date }) => {
        let rows: PatchCensusRow[];
        try {
          rows = await patchCensus(await ctx.client(), {
            ...(options.patch && { ids: options.patch }),
            ...(options.startedBefore && { startedBefore: options.startedBefore }),
          });
        } catch (error) {
          if (error instanceof UnknownPatchError)
            throw new CliError(error.message, ExitCode.invalidInput, [
              { field: '--patch', message: error.message },
            ]);
          throw error;
        }
        ctx.result({ patches: rows }, patchCensusText(rows));
      }),
    );
}
