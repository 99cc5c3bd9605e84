/**
 * The person index's questions: search and filter with keyset paging (by externalID, so a page never
 * skips or repeats a person while others change), the exact total for the filter, and counts by
 * lifecycle and stage over everyone. The same Kysely queries on both databases.
 */
import type { ExpressionBuilder, Expression, SqlBool } from 'kysely' with { 'resolution-mode': 'import' };
import { type StoreConnection } from './connection';
import { type PersonRecord, personRecord } from './person-index';
import { searchTerms, wordPrefixPattern } from './search-text';
import { calendarDate, StoreInputError } from './store-input-error';
import { type StoreDatabase } from './tables';

export const PEOPLE_PAGE_DEFAULT = 25;
export const PEOPLE_PAGE_MAX = 100;
const MAX_QUERY_LENGTH = 200;
const MAX_QUERY_TERMS = 8;

export interface PeopleQuery {
  /** A prefix or whole word of the externalID, first or last name or email; case and accents ignored. */
  q?: string;
  lifecycle?: string;
  stage?: string;
  /** `YYYY-MM-DD`, inclusive: the start date or the last working day is on or after it. */
  from?: string;
  /** `YYYY-MM-DD`, inclusive: … on or before it (with `from`: the same date within both). */
  to?: string;
  /** 1–100, default 25. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

export interface PeoplePage {
  people: PersonRecord[];
  /** Exact: every person the filter matches, over all pages. */
  total: number;
  /** Undefined on the last page. */
  nextCursor: string | undefined;
}

/** `{ onboarding: { invited: 12, … }, … }`, over everyone. */
export type StageCounts = Record<string, Record<string, number>>;

function encodeCursor(externalID: string): string {
  return Buffer.from(JSON.stringify({ after: externalID }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    const after = (decoded as { after?: unknown } | null)?.after;
    if (typeof after === 'string' && after !== '') return after;
  } catch {
    // refused below
  }
  throw new StoreInputError('cursor', 'is not a cursor this API gave out (use nextCursor as it came)');
}

function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return PEOPLE_PAGE_DEFAULT;
  if (!Number.isInteger(limit) || limit < 1 || limit > PEOPLE_PAGE_MAX)
    throw new StoreInputError('limit', `must be a whole number from 1 to ${PEOPLE_PAGE_MAX}`);
  return limit;
}

interface CheckedQuery {
  terms: string[];
  lifecycle?: string;
  stage?: string;
  from?: string;
  to?: string;
  limit: number;
  after?: string;
}

function checked(query: PeopleQuery): CheckedQuery {
  const q = query.q ?? '';
  if (q.length > MAX_QUERY_LENGTH)
    throw new StoreInputError('q', `must be at most ${MAX_QUERY_LENGTH} characters`);
  const terms = searchTerms(q);
  if (terms.length > MAX_QUERY_TERMS)
    throw new StoreInputError('q', `must be at most ${MAX_QUERY_TERMS} words`);
  const from = query.from === undefined ? undefined : calendarDate(query.from, 'from');
  const to = query.to === undefined ? undefined : calendarDate(query.to, 'to');
  if (from !== undefined && to !== undefined && from > to)
    throw new StoreInputError('to', 'must not be before from');
  return {
    terms,
    ...(query.lifecycle !== undefined && { lifecycle: query.lifecycle }),
    ...(query.stage !== undefined && { stage: query.stage }),
    ...(from !== undefined && { from }),
    ...(to !== undefined && { to }),
    limit: pageLimit(query.limit),
    ...(query.cursor !== undefined && { after: decodeCursor(query.cursor) }),
  };
}

type PersonExpressions = ExpressionBuilder<StoreDatabase, 'person'>;

/** The filter, without the cursor: the page and the total share it. */
function matching(connection: StoreConnection, query: CheckedQuery) {
  const { sql } = connection.kysely;
  return (eb: PersonExpressions): Expression<SqlBool> => {
    const conditions: Expression<SqlBool>[] = query.terms.map(
      (term) => sql<SqlBool>`${eb.ref('search_text')} like ${wordPrefixPattern(term)} escape '\\'`,
    );
    if (query.lifecycle !== undefined) conditions.push(eb('lifecycle', '=', query.lifecycle));
    if (query.stage !== undefined) conditions.push(eb('stage', '=', query.stage));
    if (query.from !== undefined || query.to !== undefined) {
      const within = (column: 'start_date' | 'last_working_day') =>
        eb.and([
          ...(query.from !== undefined ? [eb(column, '>=', query.from)] : []),
          ...(query.to !== undefined ? [eb(column, '<=', query.to)] : []),
        ]);
      conditions.push(eb.or([within('start_date'), within('last_working_day')]));
    }
    return eb.and(conditions);
  };
}

export interface PeopleQueries {
  findPeople(query: PeopleQuery): Promise<PeoplePage>;
  countsByLifecycleStage(): Promise<StageCounts>;
}

export function peopleQueries(connection: StoreConnection): PeopleQueries {
  const { db } = connection;
  return {
    async findPeople(query) {
      const input = checked(query);
      const filter = matching(connection, input);
      const [rows, total] = await Promise.all([
        db
          .selectFrom('person')
          .selectAll()
          .where(filter)
          .$if(input.after !== undefined, (select) => select.where('external_id', '>', input.after ?? ''))
          .orderBy('external_id')
          .limit(input.limit + 1)
          .execute(),
        db
          .selectFrom('person')
          .select((eb) => eb.fn.countAll().as('count'))
          .where(filter)
          .executeTakeFirstOrThrow(),
      ]);
      const page = rows.slice(0, input.limit);
      const last = page.at(-1);
      return {
        people: page.map(personRecord),
        total: Number(total.count),
        nextCursor: rows.length > input.limit && last ? encodeCursor(last.external_id) : undefined,
      };
    },

    async countsByLifecycleStage() {
      const rows = await db
        .selectFrom('person')
        .select((eb) => ['lifecycle', 'stage', eb.fn.countAll().as('count')])
        .groupBy(['lifecycle', 'stage'])
        .execute();
      const counts: StageCounts = {};
      for (const row of rows) (counts[row.lifecycle] ??= {})[row.stage] = Number(row.count);
      return counts;
    },
  };
}
