import { type Command } from 'commander';
import { parseBulkRunId } from '../../../lifecycle/workflow-ids';
import { type CliIo } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { invalidInput, withContext } from '../parsing';

/**
 * `confirm`: lets a population logout or clean-up paused above its safety threshold (the worker's
 * LOGOUT_CONFIRM_ABOVE / CLEANUP_CONFIRM_ABOVE) go on. The run itself refuses a confirmation outside
 * phase `awaiting-confirmation`: exit 4 with the phase it is in, as the HR API's 409.
 */
export function registerBulkCommands(program: Command, io: CliIo, state: { exitCode: number }): void {
  program
    .command('confirm')
    .summary('let a population logout or clean-up paused above its safety threshold go on')
    .description(
      'Only while the run waits in phase awaiting-confirmation (the count is in its progress, e.g. ' +
        'GET /v1/bulk/{workflowId} or the Temporal UI); otherwise refused (exit 4) with the phase it is in. ' +
        "The threshold is the worker's (LOGOUT_CONFIRM_ABOVE, CLEANUP_CONFIRM_ABOVE), not read here.",
    )
    .argument('<workflowId>', 'the bulk run: population-logout-… or cleanup-…')
    .action(
      withContext(io, state, async (ctx, workflowId: string) => {
        const run = parseBulkRunId(workflowId);
        if (!run) {
          throw invalidInput('confirmation', [
            { field: 'workflowId', message: 'must be the ID of a population logout or clean-up run' },
          ]);
        }
        // Loaded here, not at start: the Temporal client (a fast `--help`).
        const [{ WorkflowNotFoundError }, { confirmBulkRun }] = await Promise.all([
          import('@temporalio/client'),
          import('../../support-runs.js'),
        ]);
        const client = await ctx.client();
        let progress;
        try {
          progress = await confirmBulkRun(client, workflowId, ctx.options.requestedBy?.trim() || 'cli');
        } catch (error) {
          if (error instanceof WorkflowNotFoundError) {
            throw new CliError(`No bulk run with workflow ID "${workflowId}"`, ExitCode.notFound);
          }
          throw error;
        }
        await ctx.audit({
          event: run.kind === 'cleanup' ? 'cleanup-confirmed' : 'population-logout-confirmed',
          workflowId,
          count: progress.total,
        });
        ctx.result(
          { workflowId, status: 'confirmed', progress },
          `Confirmed ${workflowId} (${progress.total ?? '?'} users): it goes on. Follow it in the Temporal UI.`,
        );
      }),
    );
}
