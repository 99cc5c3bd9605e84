import { Command, Option } from 'commander';
import { DEFAULT_TEMPORAL_ADDRESS, DEFAULT_TEMPORAL_NAMESPACE } from '../../config/defaults';
import { registerAttentionCommands } from './commands/attention';
import { registerBulkCommands } from './commands/bulk';
import { registerDoctorCommand } from './commands/doctor';
import { registerImportCommand } from './commands/import';
import { registerOffboardingCommands } from './commands/offboarding';
import { registerOnboardingCommands } from './commands/onboarding';
import { registerRunCommands } from './commands/runs';
import { registerSupportCommands } from './commands/support';
import { type CliIo } from './context';
import { exitCodeHelp } from './exit-codes';
import { positiveWholeNumber } from './parsing';

const environmentHelp = `
Environment:
  TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS*   where Temporal is (see .env.example)
  ONBOARDING_*, OFFBOARDING_*, LIFECYCLE_TIME_ZONE   policies copied into each run started here
  LIFECYCLE_ENCRYPTION_KEY   the payload key the worker uses (required unless LIFECYCLE_ENCRYPTION=off)
  (LOGOUT_CONFIRM_ABOVE, CLEANUP_CONFIRM_ABOVE and BULK_MAX_FAILURES are the worker's, not read here)`;

/**
 * The `staffbase-lifecycle` program. Settings made here (exit override, output, help) are inherited
 * by every command, because the command modules add theirs with `program.command()`.
 */
export function buildProgram(io: CliIo, state: { exitCode: number }): Command {
  const program = new Command('staffbase-lifecycle')
    .description(
      'Trigger, follow and cancel Staffbase onboarding and offboarding runs (durable Temporal workflows), ' +
        'one person at a time or from a CSV file, and start support operations.',
    )
    .addOption(new Option('--json', 'print the result as JSON (for scripts); errors too'))
    .addOption(
      new Option(
        '--address <host:port>',
        `Temporal frontend (default: TEMPORAL_ADDRESS, ${DEFAULT_TEMPORAL_ADDRESS})`,
      ),
    )
    .addOption(
      new Option(
        '--namespace <name>',
        `Temporal namespace (default: TEMPORAL_NAMESPACE, ${DEFAULT_TEMPORAL_NAMESPACE})`,
      ),
    )
    .addOption(
      new Option('--connect-timeout <seconds>', 'give up connecting to Temporal after this long')
        .argParser(positiveWholeNumber)
        .default(10),
    )
    .addOption(
      new Option(
        '--requested-by <who>',
        'who asks, written to the audit line of deletions, legal holds and mass actions (default: OS user)',
      ),
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('afterAll', `\n${exitCodeHelp}`);
  program.addHelpText('after', environmentHelp);

  registerOnboardingCommands(program, io, state);
  registerOffboardingCommands(program, io, state);
  registerRunCommands(program, io, state);
  registerAttentionCommands(program, io, state);
  registerImportCommand(program, io, state);
  registerSupportCommands(program, io, state);
  registerBulkCommands(program, io, state);
  registerDoctorCommand(program, io, state);
  return program;
}
