/**
 * Reading an HR file, as `import` and `reconcile` both do: the file within IMPORT_MAX_FILE_MB, and the
 * reader options its flags give (--map, --mapping, --ignore-unknown, --date-format, --sheet).
 */
import { type ImportLimits } from '../../../config/import-limits';
import { type DateFormat } from '../../csv/date-cells';
import { type HeaderOverride, parseMapOption, parseMappingFile } from '../../csv/header-overrides';
import { fileTooLarge } from '../../csv/import-limits';
import type { ReadImportOptions } from '../../csv/parse-import';
import { type CommandContext } from '../context';

/** The flags that tell how to read the file. */
export interface HrFileOptions {
  map?: string[];
  mapping?: string;
  ignoreUnknown?: boolean;
  dateFormat?: DateFormat;
  sheet?: string;
}

/** The --map flags first, then the --mapping file: a one-off flag wins over the file kept for every export. */
async function headerOverrides(ctx: CommandContext, options: HrFileOptions): Promise<HeaderOverride[]> {
  const overrides = (options.map ?? []).map(parseMapOption);
  if (options.mapping !== undefined) {
    const text = (await ctx.readInput(options.mapping, '--mapping')).toString('utf8').replace(/^\uFEFF/, '');
    overrides.push(...parseMappingFile(text, options.mapping));
  }
  return overrides;
}

/** `<file>` (`-` for stdin), refused over IMPORT_MAX_FILE_MB before it is read, and how to read it. */
export async function readHrFile(
  ctx: CommandContext,
  file: string,
  options: HrFileOptions,
  limits: ImportLimits,
): Promise<{ content: Buffer; readOptions: ReadImportOptions }> {
  const overrides = await headerOverrides(ctx, options);
  const content = await ctx.readInput(file, '<file>', {
    maxBytes: limits.maxFileBytes,
    error: () => fileTooLarge(limits),
  });
  return {
    content,
    readOptions: {
      limits,
      overrides,
      ignoreUnknown: options.ignoreUnknown === true,
      ...(options.dateFormat !== undefined && { dateFormat: options.dateFormat }),
      ...(options.sheet !== undefined && { sheet: options.sheet }),
    },
  };
}
