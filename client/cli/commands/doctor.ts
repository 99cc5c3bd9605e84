/**
 * `staffbase-lifecycle doctor [--write] [--group <id>] [--write-config [path]]`: checks the configured
 * Staffbase tenant before the first run. Needs no Temporal. Exit code 7 when a check failed (runs
 * against this tenant would break).
 */
import { type Command, Option } from 'commander';
import { type CommandContext, type CliIo } from '../context';
import { ExitCode } from '../exit-codes';
import { invalidInput, withContext } from '../parsing';

const doctorHelp = `
Reads STAFFBASE_BASE_URL and STAFFBASE_API_TOKEN (as the worker does) and prints every check as
ok / differs / FAILED / skipped, with what the tenant did and what the project does about it.
"differs" is handled; "FAILED" would break runs (exit code 7). Read-only it also probes how the tenant
reads a space in a filter (%20 or +), the externalID filter (with a control filter) and sends a bounded
burst (at most 20 GETs at STAFFBASE_REQUESTS_PER_SECOND), recording 429s and rate-limit headers.

--write also creates one throwaway user (externalID doctor-<random>, sendMail false: nobody is mailed),
checks its invitation code is readable and recovery while pending, changes, deactivates, reactivates,
logs out and deletes it (and what a 404 to DELETE means), and removes it at the end even when a step fails.
--group <id> (with --write) adds the throwaway user to that group and checks the member list.
--write-config [path] merges the detected settings (STAFFBASE_FILTER_SPACE_ENCODING, STAFFBASE_LOOKUP_MODE,
and the profile settings) into path (default .env), keeping every other line; never a secret.
The report ends with the webhook URL to enter in Studio; --show-webhook-secret also prints
STAFFBASE_WEBHOOK_SECRET (never with --json).`;

interface DoctorFlags {
  write?: boolean;
  group?: string;
  writeConfig?: string | boolean;
  showWebhookSecret?: boolean;
  webhookBaseUrl?: string;
}

function checkFlags(flags: DoctorFlags): void {
  const problems = [];
  if (flags.group !== undefined && flags.group.trim() === '') {
    problems.push({ field: 'group', message: 'must be a group id' });
  } else if (flags.group !== undefined && flags.write !== true) {
    problems.push({ field: 'group', message: 'needs --write (it adds the throwaway user to the group)' });
  }
  if (flags.webhookBaseUrl !== undefined && !/^https?:\/\/[^\s?#]+$/.test(flags.webhookBaseUrl)) {
    problems.push({ field: 'webhookBaseUrl', message: 'must be an http(s) URL without query or fragment' });
  }
  if (problems.length > 0) {
    throw invalidInput('doctor options', problems, {
      group: '--group',
      webhookBaseUrl: '--webhook-base-url',
    });
  }
}

export function registerDoctorCommand(program: Command, io: CliIo, state: { exitCode: number }): void {
  program
    .command('doctor')
    .description('check the configured Staffbase tenant: auth, shapes, look-ups; with --write also writes')
    .addOption(new Option('--write', 'also run the write checks on a throwaway user'))
    .addOption(new Option('--group <id>', 'with --write: try a group membership write on this group'))
    .addOption(new Option('--write-config [path]', 'merge the detected settings into an env file (.env)'))
    .addOption(
      new Option('--show-webhook-secret', 'print STAFFBASE_WEBHOOK_SECRET for Studio (not in --json)'),
    )
    .addOption(new Option('--webhook-base-url <url>', 'the public address Staffbase reaches this service at'))
    .addHelpText('after', doctorHelp)
    .action(
      withContext(io, state, async (context: CommandContext, flags: DoctorFlags) => {
        checkFlags(flags);
        // Loaded here, not at start: the Staffbase client and its HTTP stack (a fast `--help`).
        const [{ runDoctor }, { reportText }, writeConfig, webhook] = await Promise.all([
          import('../../doctor/run-doctor.js'),
          import('../../doctor/report.js'),
          import('../../doctor/write-config.js'),
          import('../../doctor/webhook.js'),
        ]);
        const report = await runDoctor(io.env, {
          write: flags.write === true,
          ...(flags.group !== undefined && { groupId: flags.group.trim() }),
          ...(flags.webhookBaseUrl !== undefined && { webhookBaseUrl: flags.webhookBaseUrl }),
        });
        const lines = reportText(report);
        let configWritten: { path: string; changes: unknown[] } | undefined;
        if (flags.writeConfig !== undefined && flags.writeConfig !== false) {
          const path = typeof flags.writeConfig === 'string' ? flags.writeConfig : '.env';
          const changes = await writeConfig.writeConfigFile(path, report.recommendations);
          configWritten = { path, changes };
          lines.push('', ...writeConfig.describeChanges(path, changes));
        }
        const secret = flags.showWebhookSecret === true ? webhook.webhookSecret(io.env) : undefined;
        if (flags.showWebhookSecret === true) {
          lines.push(
            secret === undefined ? '  STAFFBASE_WEBHOOK_SECRET is not set' : `  secret for Studio: ${secret}`,
          );
        }
        // The JSON result never carries the webhook secret, only whether it is set.
        context.result(configWritten ? { ...report, configWritten } : report, lines);
        if (report.breaksRuns) context.exitCode = ExitCode.checksFailed;
      }),
    );
}
