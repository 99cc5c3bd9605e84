import { CommanderError } from 'commander';
import { ConfigError } from '../../config/config-error';
import { type FieldProblem } from '../../lifecycle/validation';
// The light modules only (no Temporal client, no xlsx reader): every start loads this file.
import {
  ActionRefusedError,
  InvalidActionInputError,
  InvalidLifecycleRequestError,
  NoOpenRunError,
} from '../action-errors';
import { ImportFileError } from '../csv/import-file-error';

/** Exit codes of `staffbase-lifecycle`, the same for every command (documented in `--help`). */
export const ExitCode = {
  ok: 0,
  /** A bug or an error nobody classified: the message says what happened. */
  unexpected: 1,
  /** Invalid input: a flag, a field, a JSON or CSV file, or a configuration variable. Nothing was done. */
  invalidInput: 2,
  /** No such run, or no open run to act on. */
  notFound: 3,
  /** The run is open but refused the action (e.g. delete-now under a legal hold). */
  refused: 4,
  /** Temporal could not be reached (address, network, TLS). Nothing was done. */
  temporalUnreachable: 5,
  /** An import finished, but some rows were rejected (the valid rows did start, unless --dry-run). */
  rowsRejected: 6,
  /** `doctor`: a check failed, so runs against this tenant would break; `audit verify`: the chain is broken. */
  checksFailed: 7,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export const exitCodeHelp = `Exit codes:
  0  ok
  1  unexpected error
  2  invalid input (flag, field, JSON/CSV file, configuration); nothing was done
  3  not found: no such run, or no open run to act on
  4  refused by the run (e.g. delete-now while a legal hold is in place)
  5  Temporal unreachable; nothing was done
  6  import finished with rejected rows (valid rows were started unless --dry-run)
  7  doctor: a check failed (runs against this tenant would break); audit verify: a row was changed or removed`;

export type ErrorKind =
  | 'unexpected'
  | 'invalid-input'
  | 'not-found'
  | 'refused'
  | 'temporal-unreachable'
  | 'rows-rejected'
  | 'checks-failed';

const kindOf: Record<ExitCodeValue, ErrorKind | 'ok'> = {
  0: 'ok',
  1: 'unexpected',
  2: 'invalid-input',
  3: 'not-found',
  4: 'refused',
  5: 'temporal-unreachable',
  6: 'rows-rejected',
  7: 'checks-failed',
};

/** An error the CLI raises itself, with its exit code and, for input errors, the fields at fault. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
    readonly problems: FieldProblem[] = [],
  ) {
    super(message);
  }
}

/** Walks an error and its causes. */
function* chain(error: unknown): Generator<unknown> {
  for (let current = error, depth = 0; current !== undefined && depth < 10; depth += 1) {
    yield current;
    current = current instanceof Error ? current.cause : undefined;
  }
}

const unreachablePattern =
  /Failed to connect before the deadline|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|No connection established|Connection refused|dns error|tcp connect error/i;

/** Whether an error means Temporal could not be reached (gRPC UNAVAILABLE, connect deadline, DNS). */
export function isTemporalUnreachable(error: unknown): boolean {
  for (const link of chain(error)) {
    if (!(link instanceof Error)) continue;
    const code = (link as { code?: unknown }).code;
    if (code === 14) return true; // gRPC UNAVAILABLE
    if (unreachablePattern.test(link.message)) return true;
  }
  return false;
}

export interface ClassifiedError {
  exitCode: ExitCodeValue;
  kind: ErrorKind;
  message: string;
  problems?: FieldProblem[];
  reasonCode?: string;
}

/** Every error becomes one exit code and one message, classified once, here. */
export function classifyError(error: unknown): ClassifiedError {
  const result = (exitCode: ExitCodeValue, message: string, extra: Partial<ClassifiedError> = {}) => ({
    exitCode,
    kind: kindOf[exitCode] as ErrorKind,
    message,
    ...extra,
  });
  if (error instanceof CliError) {
    return result(
      error.exitCode,
      error.message,
      error.problems.length > 0 ? { problems: error.problems } : {},
    );
  }
  if (error instanceof CommanderError)
    return result(ExitCode.invalidInput, error.message.replace(/^error: /, ''));
  if (error instanceof InvalidActionInputError) {
    return result(ExitCode.invalidInput, `${error.field}: ${error.message}`, {
      problems: [{ field: error.field, message: error.message }],
    });
  }
  if (error instanceof ConfigError) {
    return result(ExitCode.invalidInput, error.message, {
      problems: error.problems.map((problem) => ({ field: problem.variable, message: problem.message })),
    });
  }
  if (error instanceof InvalidLifecycleRequestError) {
    return result(ExitCode.invalidInput, error.message, { problems: error.problems });
  }
  if (error instanceof ImportFileError) return result(ExitCode.invalidInput, error.message);
  if (error instanceof NoOpenRunError) return result(ExitCode.notFound, error.message);
  if (error instanceof ActionRefusedError) {
    return result(ExitCode.refused, `Refused: ${error.message}`, { reasonCode: error.reasonCode });
  }
  if (isTemporalUnreachable(error)) {
    return result(
      ExitCode.temporalUnreachable,
      `Temporal is not reachable (${error instanceof Error ? error.message : String(error)}). ` +
        'Check TEMPORAL_ADDRESS / --address (or the Temporal config file profile), the network and TLS settings.',
    );
  }
  return result(ExitCode.unexpected, error instanceof Error ? error.message : String(error));
}
