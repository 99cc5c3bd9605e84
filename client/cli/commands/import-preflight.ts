import { SingleBar } from 'cli-progress';
import { rootCauseMessage } from '../../failure-cause';
import { type ParsedImport } from '../../csv/parse-import';
import { type PreflightResult } from '../../csv/preflight';
import { runPreflight } from '../../csv/run-preflight';
import { taskQueues } from '../../../lifecycle/task-queues';
import { type CliIo, type CommandContext } from '../context';
import { CliError, ExitCode, isTemporalUnreachable } from '../exit-codes';

/** The CLI side of `import --check-staffbase`: when it runs, its progress bar. */

/** Whether to run the preflight: asked for, or a dry run with a tenant configured. */
export function wantsStaffbaseCheck(
  env: NodeJS.ProcessEnv,
  options: { dryRun?: boolean; checkStaffbase?: boolean },
): boolean {
  if (options.checkStaffbase !== undefined) return options.checkStaffbase;
  const configured = env.STAFFBASE_BASE_URL !== undefined || env.STAFFBASE_API_TOKEN !== undefined;
  return options.dryRun === true && configured;
}

/**
 * Runs the look-up through the worker (workflow `directoryLookup`, bulk lane of the rate-limited
 * Staffbase queue): the worker's tenant and rate, not this process's, so the CLI needs no Staffbase
 * token, only Temporal.
 */
export async function checkAgainstStaffbase(
  ctx: CommandContext,
  io: CliIo,
  parsed: ParsedImport,
): Promise<PreflightResult> {
  const client = await ctx.client();
  const bar =
    !ctx.json && io.stdout.isTTY === true
      ? new SingleBar({
          stream: io.stdout,
          format:
            'Staffbase accounts {bar} {value}/{total} pages | {accounts} accounts | {duration_formatted}',
          hideCursor: true,
          clearOnComplete: true,
        })
      : undefined;
  bar?.start(1, 0, { accounts: 0 });
  try {
    return await runPreflight(client, parsed, (await ctx.policies()).onboarding, {
      onProgress: (progress) => {
        bar?.setTotal(Math.max(1, progress.pagesTotal));
        bar?.update(progress.pagesRead, { accounts: progress.accountsRead });
      },
      onWaiting: () =>
        io.stderr.write(
          `--check-staffbase: no Staffbase page read yet; is a worker polling task queue "${taskQueues.lifecycle}"?\n`,
        ),
    });
  } catch (error) {
    if (error instanceof CliError || isTemporalUnreachable(error)) throw error;
    throw new CliError(
      `--check-staffbase: could not read the Staffbase accounts: ${rootCauseMessage(error)}`,
      ExitCode.unexpected,
    );
  } finally {
    bar?.stop();
  }
}
