import { CommanderError } from 'commander';
import { type CliIo } from './context';
import { classifyError, ExitCode } from './exit-codes';
import { buildProgram } from './program';

/**
 * `staffbase-lifecycle <command>`: runs one command and returns its exit code (see `exitCodeHelp`).
 * Errors are classified once (exit-codes.ts) and printed for people on stderr; with --json the same
 * error is also printed on stdout as `{ "error": { kind, exitCode, message, problems? } }`.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const state = { exitCode: ExitCode.ok as number };
  const program = buildProgram(io, state);
  const json = argv.includes('--json');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return state.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end here with exit 0; usage errors were already printed by commander.
      if (error.exitCode === 0) return ExitCode.ok;
      if (json) {
        const classified = classifyError(error);
        io.stdout.write(
          `${JSON.stringify({ error: { kind: classified.kind, exitCode: classified.exitCode, message: classified.message } }, null, 2)}\n`,
        );
      }
      return ExitCode.invalidInput;
    }
    const classified = classifyError(error);
    io.stderr.write(`error: ${classified.message}\n`);
    if (
      classified.exitCode === ExitCode.unexpected &&
      io.env.DEBUG &&
      error instanceof Error &&
      error.stack
    ) {
      io.stderr.write(`${error.stack}\n`);
    }
    if (json) {
      const { exitCode, kind, message, problems, reasonCode } = classified;
      io.stdout.write(
        `${JSON.stringify({ error: { kind, exitCode, message, ...(problems && { problems }), ...(reasonCode && { reasonCode }) } }, null, 2)}\n`,
      );
    }
    return classified.exitCode;
  }
}

/** Runs the CLI in this process and exits with its code. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const code = await runCli(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
  });
  // Let stdout drain before leaving (pipes are asynchronous), then exit: the SDK may hold handles.
  process.stdout.write('', () => process.exit(code));
}

if (require.main === module) void main();
