import { SingleBar } from 'cli-progress';
import { staffbaseConfigFromEnv } from '../../../lifecycle/config/staffbase-config';
import { type ParsedImport } from '../../csv/parse-import';
import { type PreflightResult } from '../../csv/preflight';
import { runPreflight } from '../../csv/run-preflight';
import { type CliIo, type CommandContext } from '../context';
import { CliError, ExitCode } from '../exit-codes';

/** The CLI side of `import --check-staffbase`: when it runs, the tenant it reads, its progress bar. */

/** Whether to run the preflight: asked for, or a dry run with a tenant configured. */
export function wantsStaffbaseCheck(
  env: NodeJS.ProcessEnv,
  options: { dryRun?: boolean; checkStaffbase?: boolean },
): boolean {
  if (options.checkStaffbase !== undefined) return options.checkStaffbase;
  const configured = env.STAFFBASE_BASE_URL !== undefined || env.STAFFBASE_API_TOKEN !== undefined;
  return options.dryRun === true && configured;
}

export async function checkAgainstStaffbase(
  ctx: CommandContext,
  io: CliIo,
  parsed: ParsedImport,
): Promise<PreflightResult> {
  const config = staffbaseConfigFromEnv(io.env);
  if (!config.connection) {
    throw new CliError(
      '--check-staffbase needs STAFFBASE_BASE_URL and STAFFBASE_API_TOKEN (or --no-check-staffbase)',
      ExitCode.invalidInput,
      [{ field: '--check-staffbase', message: 'needs STAFFBASE_BASE_URL and STAFFBASE_API_TOKEN' }],
    );
  }
  const bar =
    !ctx.json && io.stdout.isTTY === true
      ? new SingleBar({
          stream: io.stdout,
          format: 'Staffbase accounts {bar} {value}/{total} pages | {duration_formatted}',
          hideCursor: true,
          clearOnComplete: true,
        })
      : undefined;
  bar?.start(1, 0);
  try {
    return await runPreflight(
      parsed,
      { ...config, connection: config.connection },
      ctx.policies().onboarding,
      (pagesRead, pagesTotal) => {
        bar?.setTotal(pagesTotal);
        bar?.update(pagesRead);
      },
    );
  } catch (error) {
    if (error instanceof CliError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(
      `--check-staffbase: could not read the Staffbase accounts: ${reason}`,
      ExitCode.unexpected,
    );
  } finally {
    bar?.stop();
  }
}
