/**
 * `GET /v1/bulk`: the recent population logouts and clean-ups (support key), newest first, so the
 * HR console's bulk page can list them; `GET /v1/bulk/{workflowId}` gives each one's progress.
 */
import { z } from 'zod';
import { type ApiRoute, parseRequest } from '../route-spec';

/** The workflow types of bulk runs (client/support-runs.ts). */
const bulkWorkflowTypes = ['populationLogout', 'accountCleanup'] as const;

const bulkListQuerySchema = z.strictObject({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'must be a whole number from 1 to 200')
    .refine((value) => Number(value) >= 1 && Number(value) <= 200, 'must be a whole number from 1 to 200')
    .optional(),
});

export const bulkListRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/v1/bulk',
    operationId: 'listBulkRuns',
    tag: 'support',
    access: 'admin',
    summary: 'Recent population logouts and clean-ups, newest first',
    description:
      'Support key only. Each entry links to `GET /v1/bulk/{workflowId}` for its progress or outcome.',
    query: bulkListQuerySchema,
    responses: {
      200: {
        description: '`runs`: workflowId, workflowType, runStatus, startTime, closeTime.',
        schema: 'BulkRunList',
      },
    },
    async handle(context) {
      const { query } = parseRequest({ query: [bulkListQuerySchema, context.query] });
      const limit = query.limit === undefined ? 50 : Number(query.limit);
      const runs: Record<string, unknown>[] = [];
      for await (const execution of context.deps.temporalClient.workflow.list({
        query: `WorkflowType IN (${bulkWorkflowTypes.map((type) => `'${type}'`).join(', ')})`,
        pageSize: limit,
      })) {
        runs.push({
          workflowId: execution.workflowId,
          workflowType: execution.type,
          runStatus: execution.status.name,
          startTime: execution.startTime.toISOString(),
          closeTime: execution.closeTime?.toISOString(),
          links: { progress: `/v1/bulk/${encodeURIComponent(execution.workflowId)}` },
        });
        if (runs.length >= limit) break;
      }
      return { statusCode: 200, body: { runs, count: runs.length } };
    },
  },
];
