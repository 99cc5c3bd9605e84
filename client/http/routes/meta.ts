/** `GET /health` (public) and the OpenAPI document. */
import { type ApiRoute } from '../route-spec';

const HEALTH_TIMEOUT_MS = 2_000;

export const metaRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/health',
    operationId: 'health',
    tag: 'health',
    public: true,
    summary: 'Liveness, and whether Temporal is reachable',
    description:
      'Always 200 while the API process serves requests; `temporal.reachable` tells whether Temporal answered ' +
      `within ${HEALTH_TIMEOUT_MS / 1000} s. No Authorization needed.`,
    responses: { 200: { description: 'The API is up.', schema: 'Health' } },
    async handle({ deps }) {
      const started = Date.now();
      let reachable = true;
      try {
        await deps.temporalClient.connection.withDeadline(started + HEALTH_TIMEOUT_MS, () =>
          deps.temporalClient.workflowService.getSystemInfo({}),
        );
      } catch {
        reachable = false;
      }
      return {
        statusCode: 200,
        body: { status: 'ok', temporal: { reachable, latencyMs: Date.now() - started } },
        headers: { 'cache-control': 'no-store' },
      };
    },
  },
  {
    method: 'GET',
    path: '/v1/openapi.json',
    operationId: 'openApiDocument',
    tag: 'meta',
    summary: 'This API as an OpenAPI 3.1 document',
    responses: { 200: { description: 'The OpenAPI document.' } },
    handle: ({ openApiDocument }) => Promise.resolve({ statusCode: 200, body: openApiDocument() }),
  },
];
