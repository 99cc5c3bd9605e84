/**
 * How large an import file (CSV or .xlsx) may be, read by every process that reads one: the HR API's
 * dry run (which the console uses) and the CLI's `import`. Later also HR snapshots.
 */
import { z } from 'zod';
import { parseEnv } from './config-error';
import { DEFAULT_IMPORT_MAX_FILE_MB, DEFAULT_IMPORT_MAX_ROWS } from './defaults';
import { wholeNumber } from './env-rules';

export const IMPORT_LIMIT_ENV_VARS = ['IMPORT_MAX_ROWS', 'IMPORT_MAX_FILE_MB'] as const;

export interface ImportLimits {
  /** IMPORT_MAX_ROWS: rows below the header (blank rows count: they keep their spreadsheet number). */
  maxRows: number;
  /** IMPORT_MAX_FILE_MB, in MiB, as configured (for messages). */
  maxFileMb: number;
  /** The same in bytes. */
  maxFileBytes: number;
}

export function importLimits(maxRows: number, maxFileMb: number): ImportLimits {
  return { maxRows, maxFileMb, maxFileBytes: maxFileMb * 1024 * 1024 };
}

export const defaultImportLimits: ImportLimits = importLimits(
  DEFAULT_IMPORT_MAX_ROWS,
  DEFAULT_IMPORT_MAX_FILE_MB,
);

const schema = z.object({
  IMPORT_MAX_ROWS: wholeNumber(1, 1_000_000).default(DEFAULT_IMPORT_MAX_ROWS),
  IMPORT_MAX_FILE_MB: wholeNumber(1, 200).default(DEFAULT_IMPORT_MAX_FILE_MB),
});

export function importLimitsFromEnv(env: NodeJS.ProcessEnv): ImportLimits {
  const parsed = parseEnv(schema, env, IMPORT_LIMIT_ENV_VARS);
  return importLimits(parsed.IMPORT_MAX_ROWS, parsed.IMPORT_MAX_FILE_MB);
}
