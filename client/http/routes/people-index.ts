/**
 * `GET /v1/people`: everyone in the person index (store/, docs/store.md) — search, filters, exact
 * totals and counts, keyset paging — at any number of people. The index is a read model of the runs;
 * `GET /v1/people/{externalID}` still answers from Temporal itself.
 * The answer holds names and emails: the app logs the path only, never the query or the body.
 */
import { z } from 'zod';
import { calendarDateSchema } from '../../../lifecycle/field-rules';
import { PEOPLE_PAGE_MAX, type PeopleQuery, StoreInputError } from '../../../store';
import { personSummary } from '../../person-summary';
import { ApiError } from '../errors';
import { lifecycleFilterSchema, stageFilterSchema } from '../request-bodies';
import { type ApiRoute, parseRequest } from '../route-spec';

const limitMessage = `must be a whole number from 1 to ${PEOPLE_PAGE_MAX}`;

/** `GET /v1/people` query: strings, as a query string carries them; the store checks them again. */
export const findPeopleQuerySchema = z.strictObject({
  /** A prefix or whole word of the externalID, first or last name or email; case and accents ignored. */
  q: z.string().trim().max(200, 'must be at most 200 characters').optional(),
  lifecycle: lifecycleFilterSchema.optional(),
  stage: stageFilterSchema.optional(),
  /** Inclusive: the start date or the last working day is on or after it. */
  from: calendarDateSchema.optional(),
  /** Inclusive: … on or before it. */
  to: calendarDateSchema.optional(),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, limitMessage)
    .refine((value) => Number(value) >= 1 && Number(value) <= PEOPLE_PAGE_MAX, limitMessage)
    .optional(),
  /** `nextCursor` of the previous page, as it came. */
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,2000}$/, 'is not a cursor this API gave out (use nextCursor as it came)')
    .optional(),
  /** `true`: also count everyone by lifecycle and stage. */
  counts: z.enum(['true', 'false'], 'must be true or false').optional(),
});

/** The store's own refusal (a date like 2026-02-30, `to` before `from`, a foreign cursor) as a 400. */
async function refusingBadInput<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof StoreInputError)
      throw ApiError.invalid([{ field: error.field, message: error.problem }]);
    throw error;
  }
}

export const peopleIndexRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/v1/people',
    operationId: 'findPeople',
    tag: 'people',
    summary: 'Everyone in the person index: search, filters, exact totals and counts, paging',
    description:
      'From the service’s own person index (one row per person: the latest open run, else the latest closed ' +
      'one), at any number of people. `q` matches a prefix or whole word of the externalID, first name, last ' +
      'name or email, ignoring case and accents (`müll` finds Müller); several words must all match. ' +
      '`from`/`to` (inclusive) match the start date or the last working day. `limit` 1–100 (default 25); ' +
      'pass `nextCursor` back as `cursor` for the next page (ordered by externalID: a page never skips or ' +
      'repeats a person while others change). `total` is exact for the filter; `counts=true` adds the ' +
      'number of everyone by lifecycle and stage. One person’s live state: `GET /v1/people/{externalID}`.',
    query: findPeopleQuerySchema,
    responses: {
      200: { description: 'One page of the people the filter matches.', schema: 'PeoplePage' },
    },
    async handle(context) {
      const { query } = parseRequest({ query: [findPeopleQuerySchema, context.query] });
      const filter: PeopleQuery = {
        ...(query.q && { q: query.q }),
        ...(query.lifecycle && { lifecycle: query.lifecycle }),
        ...(query.stage && { stage: query.stage }),
        ...(query.from && { from: query.from }),
        ...(query.to && { to: query.to }),
        ...(query.limit !== undefined && { limit: Number(query.limit) }),
        ...(query.cursor && { cursor: query.cursor }),
      };
      const { people } = context.deps.store;
      const [page, counts] = await refusingBadInput(() =>
        Promise.all([
          people.findPeople(filter),
          query.counts === 'true' ? people.countsByLifecycleStage() : undefined,
        ]),
      );
      return {
        statusCode: 200,
        body: {
          people: page.people.map(personSummary),
          total: page.total,
          nextCursor: page.nextCursor ?? null,
          ...(counts && { counts }),
        },
      };
    },
  },
];
