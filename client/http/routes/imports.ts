/**
 * `POST /v1/imports/dry-run`: the CSV import's dry run over HTTP, for the HR console's upload page
 * and any HR system. It reads the file with the same code as `staffbase-lifecycle import --dry-run`
 * (client/csv/: header aliases and mappings, date forms, row checks, repeats) and reports what would
 * start; it starts nothing. The valid rows come back as requests, so the caller starts each one
 * through `POST /v1/onboardings`, `/v1/offboardings` or `/v1/leaves` — the same routes, keys and checks as a single
 * start — and can show a real progress bar while it does.
 *
 * JSON with the file in base64, not multipart: the API stays JSON-only (one parser, one size limit).
 */
import { z } from 'zod';
import { dateFormats } from '../../csv/date-cells';
import { targetName } from '../../csv/header-mapping';
import { type ImportLimits } from '../../../config/import-limits';
import { rejectEarlyDeletions } from '../../csv/early-deletion-rows';
import {
  ImportFileError,
  ImportLimitError,
  type ReadImportOptions,
  readImportFile,
} from '../../csv/parse-import';
import { runImport, summaryLine } from '../../csv/run-import';
import { mayHastenDeletion } from '../early-deletion';
import { ApiError } from '../errors';
import { type ApiRoute, parseRequest } from '../route-spec';

/** Base64 of a file of `bytes`, plus room for the other fields (the header mapping). */
export const bodyLimitFor = (bytes: number) => Math.ceil(bytes / 3) * 4 + 64 * 1024;

/** 413 naming IMPORT_MAX_FILE_MB: the file (or the body carrying it, or the workbook unpacked) is too large. */
export function fileTooLargeAnswer(limits: ImportLimits, message?: string): ApiError {
  return new ApiError(
    413,
    'payload_too_large',
    message ??
      `The file is larger than IMPORT_MAX_FILE_MB (${limits.maxFileMb} MiB): split it into smaller files`,
    { limit: 'IMPORT_MAX_FILE_MB', limitMb: limits.maxFileMb },
  );
}

/** 413 for a file over IMPORT_MAX_FILE_MB; 400 naming IMPORT_MAX_ROWS (or the column cap) for one too long or wide. */
export function limitAnswer(error: ImportLimitError, limits: ImportLimits): ApiError {
  if (error.kind === 'file-too-large') return fileTooLargeAnswer(limits, error.message);
  const answer = ApiError.invalid([{ field: 'content', message: error.message }]);
  return new ApiError(answer.statusCode, answer.code, error.message, {
    ...answer.details,
    limit: error.limit,
    maximum: error.maximum,
  });
}

/** The file fields of an upload body: the same for an import and a reconciliation's snapshot. */
type UploadedFile = Pick<
  z.infer<typeof importDryRunBodySchema>,
  'content' | 'dateFormat' | 'map' | 'ignoreUnknown' | 'sheet'
>;

/**
 * The uploaded file decoded and read by `read` (an import or a snapshot): 413 over IMPORT_MAX_FILE_MB,
 * 400 naming `content` for a file that cannot be read.
 */
export async function readUploadedFile<Parsed>(
  body: UploadedFile,
  limits: ImportLimits,
  read: (content: Buffer, options: ReadImportOptions) => Promise<Parsed>,
): Promise<Parsed> {
  const content = Buffer.from(body.content, 'base64');
  if (content.length > limits.maxFileBytes) throw fileTooLargeAnswer(limits);
  try {
    return await read(content, {
      limits,
      ...(body.dateFormat && { dateFormat: body.dateFormat }),
      ...(body.sheet && { sheet: body.sheet }),
      ignoreUnknown: body.ignoreUnknown ?? false,
      overrides: Object.entries(body.map ?? {}).map(([header, target]) => ({
        header,
        target,
        source: '--map' as const,
      })),
    });
  } catch (error) {
    if (error instanceof ImportLimitError) throw limitAnswer(error, limits);
    if (!(error instanceof ImportFileError)) throw error;
    const [first = error.message] = error.message.split('\n');
    throw ApiError.invalid([
      { field: 'content', message: first.replace(/:$/, '') },
      ...error.problems.map((message) => ({ field: 'content', message })),
    ]);
  }
}

export const importDryRunBodySchema = z.strictObject({
  kind: z.enum(['onboarding', 'offboarding', 'leave'], 'must be onboarding, offboarding or leave'),
  /** The file's bytes in base64: CSV (UTF-8, any of , ; tab) or an .xlsx workbook. */
  content: z
    .string()
    .min(1, 'must not be empty')
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64'),
  /** The file's name, for messages only. */
  fileName: z.string().trim().max(255, 'must be at most 255 characters').optional(),
  /** The regional date form besides YYYY-MM-DD (as `--date-format`). */
  dateFormat: z.enum(dateFormats, `must be one of ${dateFormats.join(', ')}`).optional(),
  /** Header → field (as `--map`): a field name, `profile.<field>` or `ignore`. */
  map: z.record(z.string().trim().min(1).max(200), z.string().trim().min(1).max(200)).optional(),
  /** Leave unknown columns out (as `--ignore-unknown`). */
  ignoreUnknown: z.boolean().optional(),
  /** Workbook sheet, by name or position from 1 (as `--sheet`). */
  sheet: z.string().trim().min(1).max(100).optional(),
  /** Preview as `?rerun=true` would start: people whose earlier run completed would start again. */
  rerun: z.boolean().optional(),
});

export const importRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/v1/imports/dry-run',
    operationId: 'importDryRun',
    tag: 'people',
    summary:
      'Dry run of a CSV/XLSX import: how each column is read, which rows would start, which are rejected',
    description:
      'The same reading and checks as `staffbase-lifecycle import --dry-run`; nothing starts. `mapping` says ' +
      'how each column was read; `rows` has every person row (`would-start`, `already-running`, ' +
      '`already-completed`, `rejected` with `problems`, `refused` with `reason` for a leave of a person with an ' +
      'open onboarding or offboarding); `requests` holds the valid rows as request bodies ' +
      'for `POST /v1/onboardings` / `/v1/offboardings` / `/v1/leaves`. A file that cannot be read at all (unknown headers, ' +
      "not UTF-8, broken quoting) is a 400 naming why. With the HR systems' key, an offboarding row that would " +
      "delete sooner than the policy's retention is `rejected`, naming its field and the rule " +
      '`early-deletion-needs-admin-key` (its start would be a 403). A file larger than IMPORT_MAX_FILE_MB ' +
      '(also once an .xlsx is unpacked) is a 413 with `limit: "IMPORT_MAX_FILE_MB"`; more rows than ' +
      'IMPORT_MAX_ROWS (or more than 1,000 columns) a 400 with `limit` naming it.',
    body: { schema: importDryRunBodySchema, component: 'ImportDryRunRequest', required: true },
    bodyLimit: (deps) => bodyLimitFor(deps.importLimits.maxFileBytes),
    bodyTooLarge: (deps) => fileTooLargeAnswer(deps.importLimits),
    responses: {
      200: { description: 'The dry run: `mapping`, `summary`, `rows`, `requests`.' },
      400: {
        description:
          'Invalid body, a file that cannot be imported, or over IMPORT_MAX_ROWS: `problems`, `limit`.',
        schema: 'Error',
      },
      413: { description: 'The file is larger than IMPORT_MAX_FILE_MB: `limit`.', schema: 'Error' },
    },
    async handle(context) {
      const { body } = parseRequest({ body: [importDryRunBodySchema, context.body ?? {}] });
      const limits = context.deps.importLimits;
      let parsed = await readUploadedFile(body, limits, (content, options) =>
        readImportFile(content, body.kind, options),
      );
      // The HR systems' key may not hasten a deletion: such rows are rejected here, not at their start.
      if (!mayHastenDeletion(context.caller)) {
        parsed = rejectEarlyDeletions(parsed, context.deps.policies.offboarding, Date.now());
      }
      const outcome = await runImport(context.deps.temporalClient, parsed, context.deps.policies, {
        dryRun: true,
        rerun: body.rerun ?? false,
      });
      const wouldStart = new Set(
        outcome.rows.filter((row) => row.result === 'would-start').map((row) => row.row),
      );
      return {
        statusCode: 200,
        body: {
          lifecycle: parsed.lifecycle,
          ...(body.fileName !== undefined && { fileName: body.fileName }),
          source: parsed.sheet !== undefined ? { sheet: parsed.sheet } : { delimiter: parsed.delimiter },
          mapping: parsed.mapping.map((column) => ({
            column: column.index + 1,
            header: column.header,
            target: targetName(column.target),
            matchedBy: column.matchedBy,
          })),
          rowCount: parsed.rowCount,
          summary: outcome.summary,
          summaryLine: summaryLine(outcome),
          rows: outcome.rows,
          requests: parsed.valid
            .filter((row) => wouldStart.has(row.row))
            .map((row) => ({ row: row.row, externalID: row.externalID, request: row.input.request })),
        },
      };
    },
  },
];
