/**
 * Bulk support runs: start a population logout or a clean-up, follow one, confirm one paused above
 * its safety threshold, cancel one. They never wait: `GET /v1/bulk/{workflowId}` follows them. Only
 * the IDs of bulk runs (lifecycle/workflow-ids.ts `parseBulkRunId`) can be read or signalled here.
 */
import { type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import { type AuditEvent } from '../../../lifecycle/audit/audit-record';
import { z } from 'zod';
import {
  NotAwaitingConfirmationError,
  type StartedSupportRun,
  bulkRunOutcome,
  confirmBulkRun,
  startCleanup,
  startPopulationLogout,
} from '../../support-runs';
import { runHandle, unlessNotFound } from '../../workflow-runs';
import {
  DEFAULT_BULK_MAX_FAILURES,
  DEFAULT_CLEANUP_CONFIRM_ABOVE,
  DEFAULT_LOGOUT_CONFIRM_ABOVE,
} from '../../../config/defaults';
import { cleanupRequestSchema, populationLogoutRequestSchema } from '../../../lifecycle/support-requests';
import { type ParsedWorkflowId, parseBulkRunId } from '../../../lifecycle/workflow-ids';
import { bulkProgressQuery, cancelBulkRunSignal } from '../../../workflows/support-messages';
import { ApiError } from '../errors';
import { cancelBodySchema } from '../request-bodies';
import { type ApiRoute, type RouteContext, type RouteResult, parseRequest } from '../route-spec';
import { badRequest, startedStatus, timeout } from './support-common';

/** Who confirms a clean-up above its threshold (kept in the run's history). */
const confirmBodySchema = z.strictObject({
  confirmedBy: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(100, 'must be at most 100 characters')
    .optional(),
});

const bulkLinks = (workflowId: string, confirmable: boolean): Record<string, string> => {
  const run = `/v1/bulk/${encodeURIComponent(workflowId)}`;
  return {
    progress: run,
    cancel: `${run}/cancel`,
    ...(confirmable && { confirm: `${run}/confirm` }),
  };
};

/** The path's workflow ID, read as a bulk run's (lifecycle/workflow-ids.ts); any other is a 400. */
function bulkRunId(params: RouteContext['params']): { workflowId: string; run: ParsedWorkflowId } {
  const workflowId = params.workflowId ?? '';
  const run = parseBulkRunId(workflowId);
  if (!run) {
    throw ApiError.invalid([
      {
        field: 'workflowId',
        message: 'must be the ID of a population logout or clean-up run (population-logout-… or cleanup-…)',
      },
    ]);
  }
  return { workflowId, run };
}

async function describeBulkRun(
  context: RouteContext,
  workflowId: string,
): Promise<WorkflowExecutionDescription> {
  const description = await unlessNotFound(() =>
    runHandle(context.deps.temporalClient, workflowId).describe(),
  );
  if (description === undefined) {
    throw new ApiError(404, 'not_found', `No bulk run with workflow ID "${workflowId}".`, { workflowId });
  }
  return description;
}

/** The open bulk run, or 404 `no_open_run` when it has ended. */
async function openBulkRun(context: RouteContext, workflowId: string): Promise<WorkflowExecutionDescription> {
  const description = await describeBulkRun(context, workflowId);
  if (description.status.name !== 'RUNNING') {
    throw new ApiError(
      404,
      'no_open_run',
      `The bulk run "${workflowId}" is not running (${description.status.name}).`,
      { workflowId, runStatus: description.status.name },
    );
  }
  return description;
}

/** What confirm and cancel start from: the path's bulk run, still open, and the request's body. */
async function steeredRun<B extends z.ZodType>(context: RouteContext, schema: B) {
  const { workflowId, run } = bulkRunId(context.params);
  const { body } = parseRequest({ body: [schema, context.body ?? {}] });
  const description = await openBulkRun(context, workflowId);
  // parseRequest's conditional type stays unresolved for a generic schema; it is this schema's output.
  return { workflowId, run, body: body as z.output<B>, description };
}

const noOpenRun = {
  description: 'No such run (`not_found`), or it has ended (`no_open_run`).',
  schema: 'Error',
};

const accepted = (
  action: string,
  description: WorkflowExecutionDescription,
  run: ParsedWorkflowId,
): RouteResult => ({
  statusCode: 202,
  body: {
    status: 'accepted',
    action,
    workflowId: description.workflowId,
    runId: description.runId,
    links: bulkLinks(description.workflowId, run.kind === 'cleanup'),
  },
});

const bulkStartResponses = (what: string) => ({
  202: { description: `A new ${what} run started; \`links.progress\` follows it.` },
  200: { description: `The same ${what} is already running (\`status: already-running\`): that run.` },
  400: { description: 'Invalid body: every bad field in `problems`; nothing started.', schema: 'Error' },
});

/**
 * `POST /v1/bulk/<path>`: the request checked by its schema, the run started (or the open one found),
 * a real start audited, 202 (200 for the open run) with the run's links.
 */
function bulkStartRoute<Request extends { dryRun?: boolean; reason?: string }>(spec: {
  path: string;
  operationId: string;
  summary: string;
  description: string;
  /** What the response's `operation` says, and the audit's event when the run really started. */
  operation: (request: Request) => string;
  auditEvent: AuditEvent;
  what: string;
  body: { schema: z.ZodType<Request>; component: string; required: true };
  start: (client: Client, request: Request) => Promise<StartedSupportRun>;
}): ApiRoute {
  const { path, what, operation, auditEvent, start, ...route } = spec;
  return {
    ...route,
    method: 'POST',
    path: `/v1/bulk/${path}`,
    tag: 'support',
    responses: bulkStartResponses(what),
    async handle(context) {
      const { body: request } = parseRequest({ body: [spec.body.schema, context.body ?? {}] });
      const run = await start(context.deps.temporalClient, request);
      const dryRun = request.dryRun ?? false;
      if (!dryRun && run.status === 'started') {
        context.audit({ event: auditEvent, workflowId: run.workflowId, reason: request.reason });
      }
      const links = bulkLinks(run.workflowId, !dryRun);
      return {
        statusCode: startedStatus(run),
        body: { ...run, operation: operation(request), dryRun, links },
        headers: { location: links.progress ?? '' },
      };
    },
  };
}

export const bulkSupportRoutes: ApiRoute[] = [
  bulkStartRoute({
    path: 'logouts',
    operationId: 'startPopulationLogout',
    summary: 'Log out every activated user matching a filter, or every member of a group',
    description:
      '`filter` (a User API filter) or `groupId`: exactly one. `dryRun: true` counts and samples who would be ' +
      "logged out and changes nothing. Above the safety threshold (the worker's LOGOUT_CONFIRM_ABOVE, default " +
      `${DEFAULT_LOGOUT_CONFIRM_ABOVE}; \`confirmAbove\` may only lower it) the run pauses in phase ` +
      '`awaiting-confirmation` until `POST /v1/bulk/{workflowId}/confirm` (or `…/cancel`). A filter with ' +
      "unbalanced parentheses is refused. More than `maxFailures` failed logouts stop the run (the worker's " +
      `BULK_MAX_FAILURES, default ${DEFAULT_BULK_MAX_FAILURES}; \`maxFailures\` may only lower it). ` +
      'One run per filter at a time (a dry run has its own): a repeat while ' +
      'it runs answers 200 with that run. Follow it with `GET /v1/bulk/{workflowId}`; stop it with `…/cancel`.',
    body: { schema: populationLogoutRequestSchema, component: 'PopulationLogoutRequest', required: true },
    what: 'population logout',
    operation: () => 'population-logout',
    auditEvent: 'population-logout-started',
    start: (client, request) => startPopulationLogout(client, request),
  }),
  bulkStartRoute({
    path: 'cleanups',
    operationId: 'startCleanup',
    summary: 'Delete stale accounts: pending invitations, or users deactivated in a window',
    description:
      '`kind: pending-accounts` (with `olderThanDays`) or `kind: deactivated-users` (with `deactivatedFrom` / ' +
      '`deactivatedBefore`). `dryRun: true` counts and samples who would be deleted. Above the safety ' +
      `threshold (the worker's CLEANUP_CONFIRM_ABOVE, default ${DEFAULT_CLEANUP_CONFIRM_ABOVE} deletions; ` +
      '`confirmAbove` may only lower it) the run ' +
      'pauses in phase `awaiting-confirmation` until `POST /v1/bulk/{workflowId}/confirm` (or `…/cancel`). ' +
      'One clean-up per kind at a time. Accounts an open run of the person holds (legal hold, offboarding in ' +
      'retention, open onboarding) are skipped: the outcome lists them in `skippedAccounts` with the reason, a ' +
      "dry run's `sample` marks them with `skipReason`.",
    body: { schema: cleanupRequestSchema, component: 'CleanupRequest', required: true },
    what: 'clean-up',
    operation: (request) => `cleanup-${request.kind}`,
    auditEvent: 'cleanup-started',
    start: (client, request) => startCleanup(client, request),
  }),
  {
    method: 'GET',
    path: '/v1/bulk/{workflowId}',
    operationId: 'getBulkRun',
    tag: 'support',
    summary: 'Progress or outcome of a population logout or clean-up',
    description:
      'While the run is open: `progress` (phase, total, done, failed, skipped, pages, failures so far). Once ' +
      'it has ended: `outcome` (for a dry run with `sample`), or `failure` when it failed or was terminated.',
    responses: {
      200: { description: '`runStatus` and `progress`, `outcome` or `failure`.', schema: 'BulkState' },
      400: badRequest,
      404: { description: 'No run with this workflow ID (`error: not_found`).', schema: 'Error' },
      504: timeout,
    },
    async handle(context) {
      const { workflowId, run } = bulkRunId(context.params);
      const description = await describeBulkRun(context, workflowId);
      const state: Record<string, unknown> = {
        workflowId,
        runId: description.runId,
        runStatus: description.status.name,
        startTime: description.startTime.toISOString(),
        closeTime: description.closeTime?.toISOString(),
        links: bulkLinks(workflowId, run.kind === 'cleanup'),
      };
      const handle = runHandle(context.deps.temporalClient, workflowId);
      if (description.status.name === 'RUNNING' || description.status.name === 'CONTINUED_AS_NEW') {
        state.progress = await handle.query(bulkProgressQuery);
      } else {
        try {
          state.outcome = await bulkRunOutcome(context.deps.temporalClient, workflowId);
        } catch (error) {
          state.failure = error instanceof Error ? (error.cause?.toString() ?? error.message) : String(error);
        }
      }
      return { statusCode: 200, body: state };
    },
  },
  {
    method: 'POST',
    path: '/v1/bulk/{workflowId}/confirm',
    operationId: 'confirmCleanup',
    tag: 'support',
    summary: 'Let a clean-up or population logout paused above its safety threshold go on',
    description:
      'Only while the run waits in phase `awaiting-confirmation` (check the count with `GET` first): the run ' +
      'itself refuses a confirmation in any other phase (an update with a validator), so a run cannot be ' +
      'confirmed before it has counted anyone. The confirmation holds for the rest of the run.',
    body: { schema: confirmBodySchema, component: 'ConfirmDeletionsRequest', required: false },
    responses: {
      202: { description: 'The run took the confirmation and goes on (`progress`: as confirmed).' },
      400: badRequest,
      404: { description: 'No such run (`not_found`).', schema: 'Error' },
      409: {
        description:
          'The run is not awaiting a confirmation (`error: not-awaiting-confirmation`, `phase`): still ' +
          'counting, running, or ended (`completed`). Nothing changed.',
        schema: 'Error',
      },
      504: timeout,
    },
    async handle(context) {
      const { workflowId, run } = bulkRunId(context.params);
      const { body } = parseRequest({ body: [confirmBodySchema, context.body ?? {}] });
      const description = await describeBulkRun(context, workflowId);
      let progress;
      try {
        if (description.status.name !== 'RUNNING') {
          throw new NotAwaitingConfirmationError(workflowId, 'completed');
        }
        progress = await confirmBulkRun(
          context.deps.temporalClient,
          workflowId,
          // The SSO proxy's identity wins over a name the body asserts.
          context.caller.requestedBy ?? body.confirmedBy ?? context.caller.by ?? 'hr-api',
        );
      } catch (error) {
        if (!(error instanceof NotAwaitingConfirmationError)) throw error;
        throw new ApiError(409, 'not-awaiting-confirmation', error.message, {
          workflowId,
          phase: error.phase,
          runStatus: description.status.name,
        });
      }
      context.audit({
        event: run.kind === 'cleanup' ? 'cleanup-confirmed' : 'population-logout-confirmed',
        workflowId,
        count: progress.total,
        ...(body.confirmedBy !== undefined && {
          reason: `confirmedBy (as the body claims): ${body.confirmedBy}`,
        }),
      });
      return accepted('confirm', description, run);
    },
  },
  {
    method: 'POST',
    path: '/v1/bulk/{workflowId}/cancel',
    operationId: 'cancelBulkRun',
    tag: 'support',
    summary: 'Stop a population logout or clean-up',
    description:
      'The run stops after the users in flight and ends as `cancelled`; what is done stays done. Follow it ' +
      'with `GET /v1/bulk/{workflowId}`.',
    body: { schema: cancelBodySchema, component: 'CancelRequest', required: false },
    responses: {
      202: { description: 'The run received the cancellation.' },
      400: badRequest,
      404: noOpenRun,
    },
    async handle(context) {
      const { workflowId, run, body, description } = await steeredRun(context, cancelBodySchema);
      await runHandle(context.deps.temporalClient, workflowId).signal(cancelBulkRunSignal, {
        reason: body.reason,
      });
      context.audit({ event: 'bulk-run-cancelled', workflowId, reason: body.reason });
      return accepted('cancel', description, run);
    },
  },
];
