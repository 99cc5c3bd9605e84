/**
 * The errors HR's actions end in, shared by the CLI, the HTTP API and CSV imports. Kept apart from the
 * code that throws them (lifecycle-actions.ts, lifecycle-runs.ts, which re-export them) so that the
 * CLI's error classification can recognise them without loading the Temporal client (a fast `--help`).
 */
import { type FieldProblem, formatProblems } from '../lifecycle/validation';
import { type PersonLifecycle } from '../lifecycle/workflow-ids';

/** There is no open run to act on (never started, or already finished). */
export class NoOpenRunError extends Error {
  override readonly name = 'NoOpenRunError';
  constructor(
    readonly lifecycle: PersonLifecycle,
    readonly externalID: string,
  ) {
    super(`No open ${lifecycle} run for externalID "${externalID}"`);
  }
}

/** The run is open but refused the request (e.g. cancel after deletion, delete-now under legal hold). */
export class ActionRefusedError extends Error {
  override readonly name = 'ActionRefusedError';
  constructor(
    message: string,
    readonly reasonCode: string,
  ) {
    super(message);
  }
}

/** A request whose input fails validation before anything is sent to Temporal. */
export class InvalidActionInputError extends Error {
  override readonly name = 'InvalidActionInputError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** The request (or the configured policy) is invalid: nothing was started. */
export class InvalidLifecycleRequestError extends Error {
  override readonly name = 'InvalidLifecycleRequestError';
  constructor(
    readonly lifecycle: PersonLifecycle,
    readonly problems: FieldProblem[],
  ) {
    super(`Invalid ${lifecycle} request: ${formatProblems(problems)}`);
  }
}
