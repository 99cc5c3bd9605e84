import { type Command, InvalidArgumentError } from 'commander';
import { type z } from 'zod';
import { type FieldProblem, validate } from '../../lifecycle/validation';
import { type CliIo, CommandContext } from './context';
import { CliError, ExitCode } from './exit-codes';

/** Option parsers and helpers shared by the command modules. */

export function wholeNumber(text: string): number {
  if (!/^\s*[+-]?\d+\s*$/.test(text)) throw new InvalidArgumentError('must be a whole number');
  return Number(text);
}

export function positiveWholeNumber(text: string): number {
  const value = wholeNumber(text);
  if (value < 1) throw new InvalidArgumentError('must be 1 or more');
  return value;
}

/** `--group a --group b,c` → ['a', 'b', 'c']. */
export function collectList(value: string, previous: string[] | undefined): string[] {
  return [
    ...(previous ?? []),
    ...value
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== ''),
  ];
}

/** `--profile department=Sales --profile position=Lead` → { department: 'Sales', position: 'Lead' }. */
export function collectKeyValue(
  value: string,
  previous: Record<string, string> | undefined,
): Record<string, string> {
  const separator = value.indexOf('=');
  if (separator <= 0) throw new InvalidArgumentError('must be field=value, e.g. department=Sales');
  return { ...previous, [value.slice(0, separator).trim()]: value.slice(separator + 1) };
}

/** `3,7,14` → [3, 7, 14]. */
export function dayList(text: string): number[] {
  const parts = text.split(/[,|;]/).map((part) => part.trim());
  if (!parts.every((part) => /^\d+$/.test(part))) {
    throw new InvalidArgumentError('must be whole days separated by commas, e.g. 3,7,14');
  }
  return parts.map(Number);
}

/** Drops undefined values, so that absent flags do not override a JSON file's fields. */
export function defined<T extends Record<string, unknown>>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** Reads `--from-json <file|->`: one JSON object. */
export async function readJsonObject(ctx: CommandContext, file: string): Promise<Record<string, unknown>> {
  const text = (await ctx.readInput(file, '--from-json')).toString('utf8').replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(`--from-json: ${file} is not valid JSON: ${reason}`, ExitCode.invalidInput, [
      { field: '--from-json', message: 'not valid JSON' },
    ]);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliError(`--from-json: ${file} must hold one JSON object`, ExitCode.invalidInput, [
      { field: '--from-json', message: 'must hold one JSON object' },
    ]);
  }
  return value as Record<string, unknown>;
}

/**
 * Validates with a shared schema; on failure throws one error listing every problem, each field
 * named together with the flag that sets it (`email (--email): must be an email address`).
 */
export function validOrThrow<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  what: string,
  flagOf: Record<string, string> = {},
): z.infer<Schema> {
  const result = validate(schema, input);
  if (result.ok) return result.value;
  throw invalidInput(what, result.problems, flagOf);
}

/** Validates one value (an argument or flag) with a shared schema; the error names `field` and `flag`. */
export function validField<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  field: string,
  flag: string,
): z.infer<Schema> {
  const result = validate(schema, value);
  if (result.ok) return result.value;
  throw invalidInput(
    field,
    result.problems.map((problem) => ({ field, message: problem.message })),
    { [field]: flag },
  );
}

export function invalidInput(
  what: string,
  problems: FieldProblem[],
  flagOf: Record<string, string> = {},
): CliError {
  const flagFor = (field: string) => flagOf[field] ?? flagOf[field.split('.')[0] ?? ''] ?? undefined;
  const lines = problems.map((problem) => {
    const flag = flagFor(problem.field);
    return `  - ${problem.field}${flag ? ` (${flag})` : ''}: ${problem.message}`;
  });
  return new CliError(`Invalid ${what}:\n${lines.join('\n')}`, ExitCode.invalidInput, problems);
}

/**
 * Registers an action that gets a {@link CommandContext}; the context's Temporal connection is closed
 * after the action, whatever happened. The exit code travels back through `state`.
 */
export function withContext<Args extends unknown[]>(
  io: CliIo,
  state: { exitCode: number },
  action: (ctx: CommandContext, ...args: Args) => Promise<void>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args.at(-1) as Command;
    const ctx = CommandContext.of(io, command);
    try {
      await action(ctx, ...(args.slice(0, -1) as Args));
      // An act whose audit row is missing never exits 0.
      await ctx.settleAudit();
      state.exitCode = ctx.exitCode;
    } finally {
      await ctx.close();
    }
  };
}

/**
 * The externalID given as the argument or as --external-id (either, or both when they agree).
 * Different values are an input error naming the field.
 */
export function externalIdArgument(
  argument: string | undefined,
  flag: string | undefined,
): string | undefined {
  if (argument !== undefined && flag !== undefined && argument !== flag) {
    throw new CliError(
      'externalID: given twice with different values (argument and --external-id)',
      ExitCode.invalidInput,
      [{ field: 'externalID', message: 'given twice with different values' }],
    );
  }
  return argument ?? flag;
}

/**
 * The request `onboard` and `offboard` start: the `--from-json` object (or `{}`), with the externalID
 * the argument or `--external-id` gives and the flags that are set over it, checked by the request's
 * schema (errors name the flags). `flags` sees the JSON object, for fields whose flags merge into it.
 */
export async function requestFromFlags<Schema extends z.ZodType>(
  ctx: CommandContext,
  argument: string | undefined,
  options: { fromJson?: string; externalId?: string },
  request: { schema: Schema; what: string; flagOf: Record<string, string> },
  flags: (fromJson: Record<string, unknown>) => Record<string, unknown>,
): Promise<z.infer<Schema>> {
  const fromJson = options.fromJson ? await readJsonObject(ctx, options.fromJson) : {};
  const externalID = externalIdArgument(argument, options.externalId);
  const input = { ...fromJson, ...defined({ externalID, ...flags(fromJson) }) };
  return validOrThrow(request.schema, input, request.what, request.flagOf);
}
