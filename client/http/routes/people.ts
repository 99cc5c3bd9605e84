/** Following runs: one person's lifecycle state, and runs by lifecycle and stage. */
import { personState } from '../../person-state';
import { type ListRunsFilter, listRuns, listRunsQuery, searchRuns } from '../../run-list';
import { ApiError } from '../errors';
import { listRunsQuerySchema } from '../request-bodies';
import { type ApiRoute, parseRequest } from '../route-spec';

export const peopleRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/v1/people/{externalID}',
    operationId: 'getPerson',
    tag: 'people',
    summary: "A person's current lifecycle state",
    description:
      "The person's onboarding and offboarding runs: while a run is open, its live status (stage, next " +
      'action, legal hold, …); once closed, its outcome or why it failed.',
    responses: {
      200: { description: 'The onboarding and/or offboarding run of the person.', schema: 'PersonState' },
      404: { description: 'No run for this externalID (`error: not_found`).', schema: 'Error' },
    },
    async handle(context) {
      const { externalID } = parseRequest({ externalID: context.params.externalID });
      const state = await personState(context.deps.temporalClient, externalID);
      if (!state.onboarding && !state.offboarding) {
        throw new ApiError(
          404,
          'not_found',
          `No onboarding or offboarding run for externalID "${externalID}".`,
          {
            externalID,
          },
        );
      }
      return { statusCode: 200, body: state };
    },
  },
  {
    method: 'GET',
    path: '/v1/runs',
    operationId: 'listRuns',
    tag: 'people',
    summary: 'Runs by lifecycle and stage',
    description:
      'Through Temporal visibility and the search attributes `StaffbaseExternalId` and `LifecycleStage`. ' +
      '`query` in the answer is the same filter for the Temporal Web UI. `q` keeps the runs, among the ' +
      '`limit` newest, whose externalID or person’s name contains it (case-insensitive); names are ' +
      'encrypted in Temporal, so the API reads each other person’s onboarding input with its payload key ' +
      '(one history read per person) and matches externalIDs only where it cannot decrypt them.',
    query: listRunsQuerySchema,
    responses: {
      200: { description: 'The matching runs, newest first.', schema: 'RunList' },
    },
    async handle(context) {
      const { query } = parseRequest({ query: [listRunsQuerySchema, context.query] });
      const filter: ListRunsFilter = {
        lifecycle: query.lifecycle,
        stage: query.stage,
        openOnly: query.open !== 'false',
        limit: query.limit === undefined ? 100 : Number(query.limit),
      };
      const listed = await listRuns(context.deps.temporalClient, filter);
      const runs = query.q ? await searchRuns(context.deps.temporalClient, listed, query.q) : listed;
      return { statusCode: 200, body: { runs, count: runs.length, query: listRunsQuery(filter) } };
    },
  },
];
