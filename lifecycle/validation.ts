import type { z } from 'zod';

/** One problem with an input, named by its field path (e.g. `email`, `reminderPolicy.expireAfterDays`). */
export interface FieldProblem {
  field: string;
  message: string;
}

/** Every problem zod found, with field paths people can read, for CLI, HTTP and CSV errors alike. */
export function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : '(input)',
    message:
      issue.code === 'unrecognized_keys'
        ? `unknown field(s): ${issue.keys.join(', ')}`
        : issue.code === 'invalid_type' && /received undefined$/.test(issue.message)
          ? 'is required'
          : issue.message,
  }));
}

/** Parses `input` with `schema`: the data, or every problem by field. */
export function validate<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
): { ok: true; value: z.infer<Schema> } | { ok: false; problems: FieldProblem[] } {
  const result = schema.safeParse(input);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, problems: fieldProblems(result.error) };
}

export function formatProblems(problems: FieldProblem[]): string {
  return problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ');
}
