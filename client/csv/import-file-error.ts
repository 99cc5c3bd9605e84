/** The file as a whole cannot be imported (not UTF-8, no header, unknown columns, broken quoting). */
export class ImportFileError extends Error {
  override readonly name = 'ImportFileError';
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(problems.length > 0 ? `${message}:\n  - ${problems.join('\n  - ')}` : message);
  }
}
