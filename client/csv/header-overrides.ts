import { z } from 'zod';
import { ImportFileError } from './import-file-error';

/**
 * Headers the user maps by hand: `--map 'Header=field'` (repeatable) and `--mapping file.json`
 * (`{"Header": "field", …}`). A target is a column name, `profile.<field>`, or `ignore`.
 */
export interface HeaderOverride {
  header: string;
  target: string;
  source: '--map' | '--mapping';
}

/** The target that leaves a column out of the import. */
export const ignoreTarget = 'ignore';

/** `Cost Center=profile.costCenter` → an override; the last `=` splits, so a header may contain one. */
export function parseMapOption(text: string): HeaderOverride {
  const split = text.lastIndexOf('=');
  const header = text.slice(0, Math.max(split, 0)).trim();
  const target = text.slice(split + 1).trim();
  if (split === -1 || header === '' || target === '') {
    throw new ImportFileError(`--map "${text}" must look like "Header=field", e.g. "Hire Date=startDate"`);
  }
  return { header, target, source: '--map' };
}

const mappingFileSchema = z.record(z.string().trim().min(1), z.string().trim().min(1, 'must name a field'));

/** A mapping file: one JSON object from header to target. */
export function parseMappingFile(text: string, fileName: string): HeaderOverride[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ImportFileError(
      `--mapping ${fileName} is not JSON (${error instanceof Error ? error.message : String(error)}); ` +
        'write it as {"Header": "field", …}',
    );
  }
  const result = mappingFileSchema.safeParse(json);
  if (!result.success) {
    throw new ImportFileError(
      `--mapping ${fileName} must be one JSON object from header to field, e.g. {"Hire Date": "startDate"}`,
      result.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(file)'}: ${issue.message}`),
    );
  }
  return Object.entries(result.data).map(([header, target]) => ({ header, target, source: '--mapping' }));
}
