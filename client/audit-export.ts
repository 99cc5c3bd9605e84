/**
 * The audit trail as an auditor takes it away: rows as JSON objects or CSV lines (with a header row),
 * the same for `GET /v1/audit` and `staffbase-lifecycle audit export`, and a walk over every page of
 * a filter that holds one page at a time.
 */
import { z } from 'zod';
import type { AuditLog, AuditQuery, AuditRow, ChainedFields } from '../store';

/** What the filter of `GET /v1/audit` and `audit export` accepts; the store checks it again. */
export const auditFilterSchema = z.strictObject({
  externalID: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(255, 'must be at most 255 characters')
    .optional(),
  action: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{1,64}$/, 'must be an action such as delete-now-requested or account-deleted')
    .optional(),
  from: z
    .string()
    .trim()
    .regex(
      /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z)?$/,
      'must be a date like 2026-12-01 or a UTC time like 2026-12-01T09:00:00Z',
    )
    .optional(),
  to: z
    .string()
    .trim()
    .regex(
      /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z)?$/,
      'must be a date like 2026-12-31 or a UTC time like 2026-12-31T18:00:00Z',
    )
    .optional(),
});

export type AuditFilter = z.output<typeof auditFilterSchema>;

/**
 * One row as the API and the export show it: the fields its hash covers (so an auditor can recompute
 * the chain from the export), the reason's text, and the chain's two hashes.
 */
export interface AuditRowJson extends ChainedFields {
  reason: string | null;
  prevHash: string;
  hash: string;
}

export function auditRowJson(row: AuditRow): AuditRowJson {
  return {
    seq: row.seq,
    at: row.at,
    actorKind: row.actor.kind,
    actorUser: row.actor.user,
    action: row.action,
    externalID: row.externalID,
    runId: row.runId,
    outcome: row.outcome,
    reason: row.reason,
    reasonHash: row.reasonHash,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

const csvColumns: readonly (keyof AuditRowJson)[] = [
  'seq',
  'at',
  'actorKind',
  'actorUser',
  'action',
  'externalID',
  'runId',
  'outcome',
  'reason',
  'reasonHash',
  'prevHash',
  'hash',
];

/** The header row, with its line end. */
export const AUDIT_CSV_HEADER = `${csvColumns.join(',')}\r\n`;

/**
 * One CSV cell (RFC 4180 quoting). Text that a spreadsheet would run as a formula (= + - @ first) gets
 * a leading `'`: the reason is free text an operator typed.
 */
function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row as a CSV line, with its line end. */
export function auditCsvLine(row: AuditRow): string {
  const json = auditRowJson(row);
  return `${csvColumns.map((column) => csvCell(json[column])).join(',')}\r\n`;
}

/** Every page of a filter, oldest row first; only one page is held at a time. */
export async function* auditPages(
  audit: Pick<AuditLog, 'find'>,
  filter: Omit<AuditQuery, 'cursor' | 'limit'>,
  pageSize = 500,
): AsyncGenerator<AuditRow[]> {
  let cursor: string | undefined;
  do {
    const page = await audit.find({ ...filter, limit: pageSize, ...(cursor !== undefined && { cursor }) });
    if (page.rows.length > 0) yield page.rows;
    cursor = page.nextCursor;
  } while (cursor !== undefined);
}
