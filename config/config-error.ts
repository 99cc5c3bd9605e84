/**
 * Configuration is read from environment variables once, at start-up, and checked with zod. A bad
 * configuration stops the process with ONE error that names every bad or missing variable at once,
 * never echoing a secret value back.
 */
import { type z } from 'zod';

/** One problem with one variable, e.g. `{ variable: 'STAFFBASE_BASE_URL', message: 'must be a URL' }`. */
export interface ConfigProblem {
  variable: string;
  message: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const lines = problems.map((problem) => `  - ${problem.variable} ${problem.message}`);
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
    );
    this.problems = problems;
  }

  /** The names of the bad variables, each once. */
  get variables(): string[] {
    return [...new Set(this.problems.map((problem) => problem.variable))];
  }
}

/**
 * Only the listed variables (values as they are), empty ones counted as unset: `FOO=` in a `.env`
 * file or `FOO= npm start` means "use the default", as most people intend it.
 */
export function pickEnv(env: NodeJS.ProcessEnv, names: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') picked[name] = value;
  }
  return picked;
}

/** Replaces every secret value in `text`: no message may carry one, whatever a future check writes. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let redacted = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) redacted = redacted.split(secret).join('[redacted]');
  }
  return redacted;
}

/** zod issues → problems named by variable (the first path segment is the variable's name). */
export function problemsFromZod(
  issues: readonly z.core.$ZodIssue[],
  secrets: readonly (string | undefined)[] = [],
): ConfigProblem[] {
  return issues.map((issue) => ({
    variable: String(issue.path[0] ?? '(environment)'),
    message: redactSecrets(issue.message, secrets),
  }));
}

/**
 * Parses the listed variables with `schema`; throws one {@link ConfigError} naming every problem.
 * `secretNames` are variables whose values must never appear in a message.
 */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv,
  names: readonly string[],
  secretNames: readonly string[] = [],
): z.output<S> {
  const result = schema.safeParse(pickEnv(env, names));
  if (result.success) return result.data;
  throw new ConfigError(
    problemsFromZod(
      result.error.issues,
      secretNames.map((name) => env[name]),
    ),
  );
}

/**
 * Runs every reader and merges their problems into one {@link ConfigError}, so a person fixing the
 * configuration sees all of it at once instead of one section per restart. Errors that are not
 * configuration errors (bugs) are rethrown as they are.
 */
export function collectConfig<T extends Record<string, () => unknown>>(
  readers: T,
  toProblems: (error: unknown) => ConfigProblem[] | undefined = () => undefined,
): { [K in keyof T]: ReturnType<T[K]> } {
  const problems: ConfigProblem[] = [];
  const values: Record<string, unknown> = {};
  for (const [key, read] of Object.entries(readers)) {
    try {
      values[key] = read();
    } catch (error) {
      const found = error instanceof ConfigError ? [...error.problems] : toProblems(error);
      if (!found) throw error;
      // Readers sharing a variable (TEMPORAL_ADDRESS for the worker and the HR API) report it once.
      for (const problem of found) {
        const known = problems.some((p) => p.variable === problem.variable && p.message === problem.message);
        if (!known) problems.push(problem);
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return values as { [K in keyof T]: ReturnType<T[K]> };
}

/**
 * Sets `object[key] = value` as a NON-enumerable property: logging or spreading a configuration
 * (console.log, JSON.stringify, `{ ...config }`) then never shows the secret; reading it still works.
 */
export function defineSecret<T extends object>(
  object: T,
  key: keyof T & string,
  value: string | undefined,
): T {
  if (value !== undefined) Object.defineProperty(object, key, { value, enumerable: false });
  return object;
}
