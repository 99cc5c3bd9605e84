/**
 * The audit trail read by an auditor: filtered by person, action and time, paged by row number (seq),
 * oldest first. Keyset paging on seq: rows are append-only, so a page never skips or repeats a row
 * while others are appended. The same Kysely query on both databases.
 */
import { type StoreDb } from './connection';
import { type AuditRow, auditRow } from './audit-trail';
import { calendarDate, isoMoment, StoreInputError } from './store-input-error';

export const AUDIT_PAGE_DEFAULT = 100;
export const AUDIT_PAGE_MAX = 1000;

export interface AuditQuery {
  externalID?: string;
  /** The act, e.g. `delete-now-requested`, `account-deleted`, `store-erased`. */
  action?: string;
  /** Inclusive: a date `YYYY-MM-DD` (from its first moment, UTC) or a UTC time. */
  from?: string;
  /** Inclusive: a date `YYYY-MM-DD` (to its last moment, UTC) or a UTC time. */
  to?: string;
  /** 1–1000, default 100. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

export interface AuditPage {
  rows: AuditRow[];
  /** Undefined on the last page. */
  nextCursor: string | undefined;
}

const datePattern = /^\d{4}-\d{2}-\d{2}$/;

/** A day's first moment, or the time as given. */
function fromMoment(value: string): string {
  return datePattern.test(value) ? `${calendarDate(value, 'from')}T00:00:00.000Z` : isoMoment(value, 'from');
}

/** A day's last moment, or the time as given. */
function toMoment(value: string): string {
  return datePattern.test(value) ? `${calendarDate(value, 'to')}T23:59:59.999Z` : isoMoment(value, 'to');
}

export function encodeAuditCursor(seq: number): string {
  return Buffer.from(JSON.stringify({ afterSeq: seq }), 'utf8').toString('base64url');
}

function decodeAuditCursor(cursor: string): number {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    const afterSeq = (decoded as { afterSeq?: unknown } | null)?.afterSeq;
    if (typeof afterSeq === 'number' && Number.isSafeInteger(afterSeq) && afterSeq >= 0) return afterSeq;
  } catch {
    // refused below
  }
  throw new StoreInputError('cursor', 'is not a cursor this API gave out (use nextCursor as it came)');
}

interface CheckedAuditQuery {
  externalID?: string;
  action?: string;
  from?: string;
  to?: string;
  limit: number;
  afterSeq: number;
}

function checked(query: AuditQuery): CheckedAuditQuery {
  const limit = query.limit ?? AUDIT_PAGE_DEFAULT;
  if (!Number.isInteger(limit) || limit < 1 || limit > AUDIT_PAGE_MAX)
    throw new StoreInputError('limit', `must be a whole number from 1 to ${AUDIT_PAGE_MAX}`);
  const from = query.from === undefined ? undefined : fromMoment(query.from);
  const to = query.to === undefined ? undefined : toMoment(query.to);
  if (from !== undefined && to !== undefined && from > to)
    throw new StoreInputError('to', 'must not be before from');
  return {
    ...(query.externalID !== undefined && { externalID: query.externalID }),
    ...(query.action !== undefined && { action: query.action }),
    ...(from !== undefined && { from }),
    ...(to !== undefined && { to }),
    limit,
    afterSeq: query.cursor === undefined ? 0 : decodeAuditCursor(query.cursor),
  };
}

export interface AuditQueries {
  /** Rows matching the filter, oldest first, one page at a time. */
  find(query: AuditQuery): Promise<AuditPage>;
}

export function auditQueries(db: StoreDb): AuditQueries {
  return {
    async find(query) {
      const input = checked(query);
      const rows = await db
        .selectFrom('audit_trail')
        .selectAll()
        .where('seq', '>', input.afterSeq)
        .$if(input.externalID !== undefined, (select) =>
          select.where('external_id', '=', input.externalID ?? ''),
        )
        .$if(input.action !== undefined, (select) => select.where('action', '=', input.action ?? ''))
        .$if(input.from !== undefined, (select) => select.where('at', '>=', input.from ?? ''))
        .$if(input.to !== undefined, (select) => select.where('at', '<=', input.to ?? ''))
        .orderBy('seq')
        .limit(input.limit + 1)
        .execute();
      const page = rows.slice(0, input.limit).map(auditRow);
      const last = page.at(-1);
      return {
        rows: page,
        nextCursor: rows.length > input.limit && last ? encodeAuditCursor(last.seq) : undefined,
      };
    },
  };
}
