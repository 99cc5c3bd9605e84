import { Command, Option } from 'commander';
import { DEFAULT_TEMPORAL_ADDRESS, DEFAULT_TEMPORAL_NAMESPACE } from '../../config/defaults';
import { registerAttentionCommands } from './commands/attention';
import { registerBulkCommands } from './commands/bulk';
import { registerDoctorCommand } from './commands/doctor';
import { registerImportCommand } from './commands/import';
import { registerLeaveCommands } from './commands/leave';
import { registerOffboardingCommands } from './commands/offboarding';
import { registerOnboardingCommands } from './commands/onboarding';
import { registerPatchesCommand } from './commands/patches';
import { registerRunCommands } from './commands/runs';
import { registerReconcileCommands } from './commands/reconcile';
import { registerStoreCommands } from './commands/store';
import { registerLifecycleEventCommands } from './commands/lifecycle-events';
import { registerSupportCommands } from './commands/support';
import { type CliIo } from './context';
import { exitCodeHelp } from './exit-codes';
import { externalIdSchema } from '../../lifecycle/field-rules';
import { positiveWholeNumber, validField } from './parsing';

const environmentHelp = `
Environment:
  TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS*   where Temporal is (see .env.example)
  ONBOARDING_*, OFFBOARDING_*, LIFECYCLE_TIME_ZONE   policies copied into each run started here
  LIFECYCLE_ENCRYPTION_KEY   the payload key the worker uses (required unless LIFECYCLE_ENCRYPTION=off)
  IMPORT_MAX_ROWS, IMPORT_MAX_FILE_MB   the largest import file (rows below the header; MiB)
  (LOGOUT_CONFIRM_ABOVE, CLEANUP_CONFIRM_ABOVE and BULK_MAX_FAILURES are the worker's, not read here)`;

/**
 * The `staffbase-lifecycle` program. Settings made here (exit override, output, help) are inherited
 * by every command, because the command modules add theirs with `program.command()`.
 */
export function buildProgram(io: CliIo, state: { exitCode: number }): Command {
  const program = new Command('staffbase-lifecycle')
    .description(
      'Trigger, follow and cancel Staffbase onboarding and offboarding runs (durable Temporal workflows), ' +
        'one person at a time or from a CSV file, and start support operations.\n\n' +
        'Whoever runs this CLI holds the admin (support) role: it talks to Temporal directly, not through ' +
        'the HR API, so no API key limits it — it can delete now, shorten a retention, release a legal hold ' +
        'and start bulk runs. Give its Temporal access (TEMPORAL_ADDRESS with TEMPORAL_API_KEY or mTLS, and ' +
        'the payload key) to support staff only. The worker still never deletes sooner than its ' +
        'OFFBOARDING_MIN_RETENTION_DAYS after a deactivation (delete-now excepted).',
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
        'who you say asks (e.g. a ticket’s requester), kept as `claimedBy` in the audit line of every act on a ' +
          'person; `requestedBy` is always the OS user',
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

  // Every command's externalID (argument or --external-id) meets the one rule of lifecycle/, also
  // where the command only looks a run up: an id the HTTP API would refuse is refused here too.
  program.hook('preAction', (_program, command) => {
    const given = [
      ...command.registeredArguments.flatMap((argument, index) =>
        argument.name() === 'externalID' ? [[command.processedArgs[index], '<externalID>'] as const] : [],
      ),
      [command.opts<{ externalId?: unknown }>().externalId, '--external-id'] as const,
    ];
    for (const [value, flag] of given) {
      if (typeof value === 'string') validField(externalIdSchema, value, 'externalID', flag);
    }
  });

  registerOnboardingCommands(program, io, state);
  registerOffboardingCommands(program, io, state);
  registerLeaveCommands(program, io, state);
  registerRunCommands(program, io, state);
  registerAttentionCommands(program, io, state);
  registerImportCommand(program, io, state);
  registerSupportCommands(program, io, state);
  registerBulkCommands(program, io, state);
  registerDoctorCommand(program, io, state);
  registerPatchesCommand(program, io, state);
  registerStoreCommands(program, io, state);
  registerLifecycleEventCommands(program, io, state);
  registerReconcileCommands(program, io, state);
  return program;
}
