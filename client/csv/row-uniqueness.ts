import { type FieldProblem } from '../../lifecycle/validation';

/**
 * Values that must be unique across the rows of one file. Staffbase refuses a second account with the
 * same userName or email (compared without case), and that refusal would otherwise come days later,
 * on the second person's start date; a repeated externalID is the same person twice.
 */
export interface UniqueColumn {
  field: string;
  /** How two cells are compared: externalIDs exactly, user names and emails without case. */
  key: (text: string) => string;
  message: (firstRow: number) => string;
}

export const uniqueColumns: readonly UniqueColumn[] = [
  {
    field: 'externalID',
    key: (text) => text,
    message: (first) => `duplicate of row ${first} (only the first row of an externalID is imported)`,
  },
  {
    field: 'userName',
    key: (text) => text.toLowerCase(),
    message: (first) => `same as row ${first} (user names are unique in Staffbase, whatever their case)`,
  },
  {
    field: 'email',
    key: (text) => text.toLowerCase(),
    message: (first) => `same as row ${first} (email addresses are unique in Staffbase, whatever their case)`,
  },
];

/** Remembers the first row of every value and names it when a later row repeats it. */
export class RowUniqueness {
  readonly #firstRows = new Map<string, Map<string, number>>();

  /** Problems of this row's cells (trimmed, by field); the row is remembered for the next rows. */
  check(row: number, cellsByField: ReadonlyMap<string, string>): FieldProblem[] {
    const problems: FieldProblem[] = [];
    for (const column of uniqueColumns) {
      const text = cellsByField.get(column.field);
      if (text === undefined || text === '') continue;
      const seen = this.#firstRows.get(column.field) ?? new Map<string, number>();
      this.#firstRows.set(column.field, seen);
      const key = column.key(text);
      const first = seen.get(key);
      if (first === undefined) seen.set(key, row);
      else problems.push({ field: column.field, message: column.message(first) });
    }
    return problems;
  }
}
