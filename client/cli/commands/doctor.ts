/**
 * `staffbase-lifecycle doctor [--write]`: checks the configured Staffbase tenant before the first run.
 * Needs no Temporal. Exit code 7 when a check failed (runs against this tenant would break).
 */
import { type Command, Option } from 'commander';
import { type CommandContext, type CliIo } from '../context';
import { ExitCode } from '../exit-codes';
import { withContext } from '../parsing';

const doctorHelp = `
Reads STAFFBASE_BASE_URL and STAFFBASE_API_TOKEN (as the worker does) and prints every check as
ok / differs / FAILED / skipped, with what the tenant did and what the project does about it.
"differs" is handled; "FAILED" would break runs (exit code 7).

--write also creates one throwaway user (externalID doctor-<random>, sendMail false: nobody is mailed),
changes, deactivates, reactivates, logs out and deletes it, and removes it at the end even when a step fails.`;

export function registerDoctorCommand(program: Command, io: CliIo, state: { exitCode: number }): void {
  program
    .command('doctor')
    .description('check the configured Staffbase tenant: auth, shapes, look-ups; with --write also writes')
    .addOption(new Option('--write', 'also run the write checks on a throwaway user'))
    .addHelpText('after', doctorHelp)
    .action(
      withContext(io, state, async (context: CommandContext, options: { write?: boolean }) => {
        // Loaded here, not at start: the Staffbase client and its HTTP stack (a fast `--help`).
        const [{ runDoctor }, { reportText }] = await Promise.all([
          import('../../doctor/run-doctor.js'),
          import('../../doctor/report.js'),
        ]);
        const report = await runDoctor(io.env, { write: options.write === true });
        context.result(report, reportText(report));
        if (report.breaksRuns) context.exitCode = ExitCode.checksFailed;
      }),
    );
}
