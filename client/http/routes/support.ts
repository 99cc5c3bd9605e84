/**
 * Support operations between joining and leaving: a change for one person (a "mover"), a recovery
 * code, a forced logout of one person or a population, clean-ups, look-ups, and following and
 * steering the bulk runs. Requests are checked with the shared schemas of
 * `lifecycle/support-requests.ts` (the same ones the CLI uses) and started through
 * `client/support-runs.ts`.
 *
 * [choice] Single-person operations answer at once (202) by default; `?wait=true` waits for the
 * outcome within the request's Temporal deadline and answers 200 with it (404 for an unknown person,
 * 409 for a refused recovery code), or 202 when the run is still going at the deadline. Bulk runs
 * never wait: `GET /v1/bulk/{workflowId}` follows them.
 */
import { type WorkflowExecutionDescription, WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import {
  type StartedSupportRun,
  bulkRunOutcome,
  lookUpGroupMembers,
  lookUpUser,
  startCleanup,
  startMover,
  startPopulationLogout,
  startRecoveryCode,
  startUserLogout,
  supportRunHandle,
} from '../../support-runs';
import {
  cleanupRequestSchema,
  defaultCleanupPolicy,
  defaultPopulationLogoutPolicy,
  groupMembersLookupRequestSchema,
  moverRequestSchema,
  populationLogoutRequestSchema,
  recoveryCodeRequestSchema,
  userLogoutRequestSchema,
  userLookupRequestSchema,
} from '../../../lifecycle/support-requests';
import { type FieldProblem } from '../../../lifecycle/validation';
import {
  type BulkProgress,
  type MoverOutcome,
  type RecoveryCodeOutcome,
  type UserLogoutOutcome,
  bulkProgressQuery,
  cancelBulkRunSignal,
  confirmDeletionsSignal,
} from '../../../workflows/support-messages';
import { ApiError } from '../errors';
import { cancelBodySchema } from '../request-bodies';
import {
  type ApiRoute,
  type RouteContext,
  type RouteResponse,
  type RouteResult,
  parseRequest,
} from '../route-spec';

// --- request shapes -----------------------------------------------------------------------------------

/** `?wait=true`: answer with the outcome of a single-person operation (within the request deadline). */
const waitQuerySchema = z.strictObject({
  wait: z.enum(['true', 'false'], 'must be true or false').optional(),
});

/**
 * The documented body of `POST …/changes`: the mover request without `externalID` (the path gives
 * it). Documentation only: the handler validates the whole shared `moverRequestSchema`, whose
 * "at least one change" rule this copy of its shape cannot carry.
 */
const moverBodyDocSchema = z
  .strictObject(moverRequestSchema.shape)
  .omit({ externalID: true })
  .meta({
    description:
      'Only the fields given change; `addToGroups` adds memberships and never removes any. Give at least one ' +
      'of firstName, lastName, locale, profile, addToGroups.',
  });
const recoveryCodeBodyDocSchema = recoveryCodeRequestSchema.omit({ externalID: true });
const userLogoutBodyDocSchema = userLogoutRequestSchema.omit({ externalID: true });

/** `GET /v1/groups/{groupId}/members` query: text formats here, ranges by the shared look-up schema. */
const groupMembersQuerySchema = z.strictObject({
  statuses: z
    .string()
    .regex(/^[a-z]+(,[a-z]+)*$/, 'must be a comma-separated list: pending, activated, deactivated')
    .optional()
    .meta({ description: 'Comma-separated; default: every status.' }),
  pageSize: z
    .string()
    .regex(/^\d{1,4}$/, 'must be a whole number from 1 to 200')
    .optional()
    .meta({ description: 'Users per list call (1–200, default 100).' }),
  limit: z
    .string()
    .regex(/^\d{1,5}$/, 'must be a whole number from 1 to 1000')
    .optional()
    .meta({ description: 'At most this many members are returned (1–1000, default 200).' }),
});

/** Who confirms a clean-up above its threshold (kept in the run's history). */
const confirmBodySchema = z.strictObject({
  confirmedBy: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(100, 'must be at most 100 characters')
    .optional(),
});

/**
 * The IDs of bulk runs (`client/support-runs.ts`): population logouts and clean-ups, including the
 * scheduled ones (`cleanup-<kind>-<scheduled time>`). Nothing else can be read or signalled here.
 */
const bulkWorkflowIdPattern = /^(population-logout|cleanup)-[A-Za-z0-9:.-]{1,200}$/;

// --- helpers ------------------------------------------------------------------------------------------

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The body of a single-person route with the path's externalID put in, for the shared schema. An
 * `externalID` in the body that differs from the path's is a problem of its own.
 */
function withPathExternalId(
  body: unknown,
  externalID: string | undefined,
): { input: unknown; problems: FieldProblem[] } {
  const given = body ?? {};
  if (!isPlainObject(given)) return { input: given, problems: [] };
  const problems: FieldProblem[] =
    'externalID' in given && given.externalID !== externalID
      ? [{ field: 'externalID', message: 'is given by the path; leave it out of the body' }]
      : [];
  return { input: { ...given, externalID }, problems };
}

/** `parseRequest`, with problems found before it in the same 400. */
function parseAll<Q extends z.ZodType | undefined, B extends z.ZodType | undefined>(
  earlier: FieldProblem[],
  parts: Parameters<typeof parseRequest<Q, B>>[0],
): ReturnType<typeof parseRequest<Q, B>> {
  let parsed: ReturnType<typeof parseRequest<Q, B>>;
  try {
    parsed = parseRequest<Q, B>(parts);
  } catch (error) {
    if (earlier.length > 0 && error instanceof ApiError && error.code === 'invalid_request') {
      throw ApiError.invalid([...earlier, ...((error.details.problems as FieldProblem[] | undefined) ?? [])]);
    }
    throw error;
  }
  if (earlier.length > 0) throw ApiError.invalid(earlier);
  return parsed;
}

/** Drops `secret` should a record ever carry one (the activities already never return it). */
function withoutSecret<T extends object>(record: T): T {
  const { secret: _secret, ...rest } = record as T & { secret?: unknown };
  return rest as T;
}

const bulkLinks = (workflowId: string, confirmable: boolean): Record<string, string> => {
  const run = `/v1/bulk/${encodeURIComponent(workflowId)}`;
  return {
    progress: run,
    cancel: `${run}/cancel`,
    ...(confirmable && { confirm: `${run}/confirm` }),
  };
};

const startedStatus = (run: StartedSupportRun) => (run.status === 'started' ? 202 : 200);

/** A wait shorter than the request's deadline, so that a slow run answers 202 rather than 504. */
const WAIT_MARGIN_MS = 1_000;

type SingleOperation = 'mover' | 'recovery-code' | 'user-logout';
type SingleOutcome = MoverOutcome | RecoveryCodeOutcome | UserLogoutOutcome;

/** Starts (or finds) a single-person run; with `wait`, answers with its outcome when it ends in time. */
async function singlePersonRun(
  context: RouteContext,
  operation: SingleOperation,
  externalID: string,
  wait: boolean,
  start: () => Promise<StartedSupportRun>,
): Promise<RouteResult> {
  const waitUntil = Date.now() + context.deps.temporalTimeoutMs - WAIT_MARGIN_MS;
  const run = await start();
  const body = {
    status: run.status,
    operation,
    externalID,
    workflowId: run.workflowId,
    runId: run.runId,
  };
  if (!wait) return { statusCode: startedStatus(run), body };

  const { connection } = context.deps.temporalClient;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), Math.max(0, waitUntil - Date.now()));
  let outcome: SingleOutcome;
  try {
    outcome = (await connection.withAbortSignal(controller.signal, () =>
      supportRunHandle(context.deps.temporalClient, run.workflowId).result(),
    )) as SingleOutcome;
  } catch (error) {
    if (!controller.signal.aborted) throw error;
    return {
      statusCode: 202,
      body: {
        ...body,
        message:
          'The run had not ended by the request deadline; it goes on. POST again with ?wait=true to wait for it.',
      },
    };
  } finally {
    clearTimeout(timer);
  }
  if (outcome.result === 'user-not-found') {
    throw new ApiError(404, 'not_found', `No Staffbase user with externalID "${externalID}".`, {
      ...body,
      outcome,
    });
  }
  if (outcome.result === 'refused') {
    throw new ApiError(
      409,
      'action_refused',
      `Staffbase was not asked for a recovery code: ${outcome.reason ?? outcome.refusal ?? 'refused'}.`,
      { ...body, reason: outcome.refusal, outcome },
    );
  }
  return { statusCode: 200, body: { ...body, outcome } };
}

/** The path's workflow ID, checked to be a bulk run's. */
function bulkWorkflowId(params: RouteContext['params']): string {
  const workflowId = params.workflowId ?? '';
  if (!bulkWorkflowIdPattern.test(workflowId)) {
    throw ApiError.invalid([
      {
        field: 'workflowId',
        message: 'must be the ID of a population logout or clean-up run (population-logout-… or cleanup-…)',
      },
    ]);
  }
  return workflowId;
}

async function describeBulkRun(
  context: RouteContext,
  workflowId: string,
): Promise<WorkflowExecutionDescription> {
  try {
    return await supportRunHandle(context.deps.temporalClient, workflowId).describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      throw new ApiError(404, 'not_found', `No bulk run with workflow ID "${workflowId}".`, { workflowId });
    }
    throw error;
  }
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

const accepted = (action: string, description: WorkflowExecutionDescription): RouteResult => ({
  statusCode: 202,
  body: {
    status: 'accepted',
    action,
    workflowId: description.workflowId,
    runId: description.runId,
    links: bulkLinks(description.workflowId, description.workflowId.startsWith('cleanup-')),
  },
});

// --- responses ------------------------------------------------------------------------------------------

const badRequest = {
  description: 'Invalid path, query or body: every bad field in `problems`.',
  schema: 'Error',
};
const timeout = { description: 'No worker answered in time (`error: temporal_timeout`).', schema: 'Error' };

function singleResponses(what: string, refusal?: string): Record<number, RouteResponse> {
  const responses: Record<number, RouteResponse> = {
    202: {
      description:
        `Without \`?wait=true\`: the ${what} run started (\`status: started\`). With it: the run had not ended by ` +
        'the request deadline and goes on.',
    },
    200: {
      description:
        `Without \`?wait=true\`: a ${what} run for this person is already open (\`status: already-running\`); ` +
        'nothing new started. With it: the run ended; `outcome` says how.',
    },
    400: badRequest,
    404: {
      description:
        'With `?wait=true`: no Staffbase user has this externalID (`error: not_found`, `outcome`).',
      schema: 'Error',
    },
  };
  if (refusal) responses[409] = { description: refusal, schema: 'Error' };
  return responses;
}

const waitDescription =
  ' Answers at once (202) with the run; with `?wait=true` it waits for the outcome within the request ' +
  'deadline (30 s by default) and answers 200 with `outcome` — or 202 when the run is still going then.';

const bulkStartResponses = (what: string) => ({
  202: { description: `A new ${what} run started; \`links.progress\` follows it.` },
  200: { description: `The same ${what} is already running (\`status: already-running\`): that run.` },
  400: { description: 'Invalid body: every bad field in `problems`; nothing started.', schema: 'Error' },
});

// --- routes -----------------------------------------------------------------------------------------------

/** Support operations need the support key (LIFECYCLE_ADMIN_API_KEY): see auth.ts. */
const routes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/v1/people/{externalID}/changes',
    operationId: 'changePerson',
    tag: 'support',
    summary: "Change a person's name, locale, profile fields or groups (a mover)",
    description:
      'Only the fields given change; `addToGroups` adds memberships and never removes any. Re-sending the ' +
      'same change changes nothing more (`outcome.result: unchanged`). A change sent while an earlier one for ' +
      'the person still runs is not applied: the answer is that run (`status: already-running`); send it again ' +
      'once the run has ended.' +
      waitDescription,
    body: { schema: moverBodyDocSchema, component: 'MoverChange', required: true },
    query: waitQuerySchema,
    responses: singleResponses('mover'),
    async handle(context) {
      const merged = withPathExternalId(context.body, context.params.externalID);
      const parsed = parseAll(merged.problems, {
        query: [waitQuerySchema, context.query],
        body: [moverRequestSchema, merged.input],
      });
      return singlePersonRun(context, 'mover', parsed.body.externalID, parsed.query.wait === 'true', () =>
        startMover(context.deps.temporalClient, parsed.body),
      );
    },
  },
  {
    method: 'POST',
    path: '/v1/people/{externalID}/recovery-code',
    operationId: 'sendRecoveryCode',
    tag: 'support',
    summary: 'Have Staffbase send a locked-out user a recovery code',
    description:
      'Only for activated users with an email who do not sign in through SSO; the others are refused with a ' +
      'reason (`not-activated`, `sso-user`, `no-email`).' +
      waitDescription,
    body: { schema: recoveryCodeBodyDocSchema, component: 'RecoveryCodeRequest', required: false },
    query: waitQuerySchema,
    responses: singleResponses(
      'recovery-code',
      'With `?wait=true`: refused (`error: action_refused`); `reason` is the refusal, e.g. `not-activated`.',
    ),
    async handle(context) {
      const merged = withPathExternalId(context.body, context.params.externalID);
      const parsed = parseAll(merged.problems, {
        query: [waitQuerySchema, context.query],
        body: [recoveryCodeRequestSchema, merged.input],
      });
      return singlePersonRun(
        context,
        'recovery-code',
        parsed.body.externalID,
        parsed.query.wait === 'true',
        () => startRecoveryCode(context.deps.temporalClient, parsed.body),
      );
    },
  },
  {
    method: 'POST',
    path: '/v1/people/{externalID}/logout',
    operationId: 'logOutPerson',
    tag: 'support',
    summary: 'Log one person out of every session',
    description:
      'Ends every session of the Staffbase user (a lost phone, a compromised account).' + waitDescription,
    body: { schema: userLogoutBodyDocSchema, component: 'UserLogoutRequest', required: false },
    query: waitQuerySchema,
    responses: singleResponses('logout'),
    async handle(context) {
      const merged = withPathExternalId(context.body, context.params.externalID);
      const parsed = parseAll(merged.problems, {
        query: [waitQuerySchema, context.query],
        body: [userLogoutRequestSchema, merged.input],
      });
      return singlePersonRun(
        context,
        'user-logout',
        parsed.body.externalID,
        parsed.query.wait === 'true',
        () => startUserLogout(context.deps.temporalClient, parsed.body),
      );
    },
  },
  {
    method: 'GET',
    path: '/v1/people/{externalID}/staffbase',
    operationId: 'lookUpStaffbaseUser',
    tag: 'support',
    summary: "A person's Staffbase record and groups",
    description:
      'Read from Staffbase now (through a short, rate-limited workflow), in any status. An allow-list of ' +
      'fields: never the invitation code or another secret.',
    responses: {
      200: { description: '`user` (the record) and `groupIDs`.' },
      400: badRequest,
      404: { description: 'No Staffbase user has this externalID (`error: not_found`).', schema: 'Error' },
      504: timeout,
    },
    async handle(context) {
      const { body: request } = parseRequest({
        body: [userLookupRequestSchema, { externalID: context.params.externalID }],
      });
      const found = await lookUpUser(context.deps.temporalClient, request);
      if (found.result !== 'found') {
        throw new ApiError(404, 'not_found', `No Staffbase user with externalID "${request.externalID}".`, {
          externalID: request.externalID,
        });
      }
      return {
        statusCode: 200,
        body: { externalID: found.externalID, user: withoutSecret(found.user), groupIDs: found.groupIDs },
      };
    },
  },
  {
    method: 'GET',
    path: '/v1/groups/{groupId}/members',
    operationId: 'lookUpGroupMembers',
    tag: 'support',
    summary: "A Staffbase group's members",
    description:
      'Read from Staffbase now, every status unless `statuses` says otherwise. `total` counts every member; ' +
      'at most `limit` are returned (`truncated: true` when there are more). Never a secret.',
    query: groupMembersQuerySchema,
    responses: {
      200: { description: '`total`, `members`, `truncated`.' },
      400: badRequest,
      504: timeout,
    },
    async handle(context) {
      const raw = isPlainObject(context.query) ? context.query : {};
      const number = (value: unknown) =>
        typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
      const statuses =
        typeof raw.statuses === 'string' && /^[a-z]+(,[a-z]+)*$/.test(raw.statuses)
          ? raw.statuses.split(',')
          : undefined;
      // Text formats by the query schema, values by the shared look-up schema: each field named once.
      const { body: request } = parseRequest({
        query: [groupMembersQuerySchema, context.query],
        body: [
          groupMembersLookupRequestSchema,
          Object.fromEntries(
            Object.entries({
              groupId: context.params.groupId,
              statuses,
              pageSize: number(raw.pageSize),
              limit: number(raw.limit),
            }).filter(([, value]) => value !== undefined),
          ),
        ],
      });
      const result = await lookUpGroupMembers(context.deps.temporalClient, request);
      return { statusCode: 200, body: { ...result, members: result.members.map(withoutSecret) } };
    },
  },
  {
    method: 'POST',
    path: '/v1/bulk/logouts',
    operationId: 'startPopulationLogout',
    tag: 'support',
    summary: 'Log out every activated user matching a filter, or every member of a group',
    description:
      '`filter` (a User API filter) or `groupId`: exactly one. `dryRun: true` counts and samples who would be ' +
      'logged out and changes nothing. Above the safety threshold (LOGOUT_CONFIRM_ABOVE, default ' +
      `${defaultPopulationLogoutPolicy.confirmAbove}; \`confirmAbove\` may only lower it) the run pauses in phase ` +
      '`awaiting-confirmation` until `POST /v1/bulk/{workflowId}/confirm` (or `…/cancel`). A filter with ' +
      'unbalanced parentheses is refused. One run per filter at a time (a dry run has its own): a repeat while ' +
      'it runs answers 200 with that run. Follow it with `GET /v1/bulk/{workflowId}`; stop it with `…/cancel`.',
    body: { schema: populationLogoutRequestSchema, component: 'PopulationLogoutRequest', required: true },
    responses: bulkStartResponses('population logout'),
    async handle(context) {
      const { body: request } = parseRequest({ body: [populationLogoutRequestSchema, context.body ?? {}] });
      const run = await startPopulationLogout(
        context.deps.temporalClient,
        request,
        context.deps.populationLogoutPolicy,
      );
      if (!request.dryRun && run.status === 'started') {
        context.audit({
          event: 'population-logout-started',
          workflowId: run.workflowId,
          reason: request.reason,
        });
      }
      const links = bulkLinks(run.workflowId, !request.dryRun);
      return {
        statusCode: startedStatus(run),
        body: { ...run, operation: 'population-logout', dryRun: request.dryRun ?? false, links },
        headers: { location: links.progress ?? '' },
      };
    },
  },
  {
    method: 'POST',
    path: '/v1/bulk/cleanups',
    operationId: 'startCleanup',
    tag: 'support',
    summary: 'Delete stale accounts: pending invitations, or users deactivated in a window',
    description:
      '`kind: pending-accounts` (with `olderThanDays`) or `kind: deactivated-users` (with `deactivatedFrom` / ' +
      '`deactivatedBefore`). `dryRun: true` counts and samples who would be deleted. Above the safety ' +
      `threshold (${defaultCleanupPolicy.confirmAbove} deletions; \`confirmAbove\` may only lower it) the run ` +
      'pauses in phase `awaiting-confirmation` until `POST /v1/bulk/{workflowId}/confirm` (or `…/cancel`). ' +
      'One clean-up per kind at a time.',
    body: { schema: cleanupRequestSchema, component: 'CleanupRequest', required: true },
    responses: bulkStartResponses('clean-up'),
    async handle(context) {
      const { body: request } = parseRequest({ body: [cleanupRequestSchema, context.body ?? {}] });
      const run = await startCleanup(context.deps.temporalClient, request, defaultCleanupPolicy);
      const dryRun = request.dryRun ?? false;
      if (!dryRun && run.status === 'started') {
        context.audit({ event: 'cleanup-started', workflowId: run.workflowId, reason: request.reason });
      }
      const links = bulkLinks(run.workflowId, !dryRun);
      return {
        statusCode: startedStatus(run),
        body: { ...run, operation: `cleanup-${request.kind}`, dryRun, links },
        headers: { location: links.progress ?? '' },
      };
    },
  },
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
      200: { description: '`runStatus` and `progress`, `outcome` or `failure`.' },
      400: badRequest,
      404: { description: 'No run with this workflow ID (`error: not_found`).', schema: 'Error' },
      504: timeout,
    },
    async handle(context) {
      const workflowId = bulkWorkflowId(context.params);
      const description = await describeBulkRun(context, workflowId);
      const state: Record<string, unknown> = {
        workflowId,
        runId: description.runId,
        runStatus: description.status.name,
        startTime: description.startTime.toISOString(),
        closeTime: description.closeTime?.toISOString(),
        links: bulkLinks(workflowId, workflowId.startsWith('cleanup-')),
      };
      const handle = supportRunHandle(context.deps.temporalClient, workflowId);
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
      'Only while the run waits in phase `awaiting-confirmation` (check the count with `GET` first); the ' +
      'confirmation holds for the rest of the run.',
    body: { schema: confirmBodySchema, component: 'ConfirmDeletionsRequest', required: false },
    responses: {
      202: { description: 'The run received the confirmation and goes on deleting.' },
      400: badRequest,
      404: { description: 'No such run (`not_found`), or it has ended (`no_open_run`).', schema: 'Error' },
      409: {
        description: 'The run is not awaiting a confirmation (`error: action_refused`, `phase`).',
        schema: 'Error',
      },
      504: timeout,
    },
    async handle(context) {
      const workflowId = bulkWorkflowId(context.params);
      const { body } = parseRequest({ body: [confirmBodySchema, context.body ?? {}] });
      const description = await openBulkRun(context, workflowId);
      const handle = supportRunHandle(context.deps.temporalClient, workflowId);
      const progress: BulkProgress = await handle.query(bulkProgressQuery);
      if (progress.phase !== 'awaiting-confirmation') {
        throw new ApiError(
          409,
          'action_refused',
          `The run "${workflowId}" is not awaiting a confirmation (phase ${progress.phase}).`,
          { reason: 'NotAwaitingConfirmation', workflowId, phase: progress.phase },
        );
      }
      await handle.signal(confirmDeletionsSignal, {
        confirmedBy: body.confirmedBy ?? context.caller.by ?? 'hr-api',
      });
      context.audit({
        event: workflowId.startsWith('cleanup-') ? 'cleanup-confirmed' : 'population-logout-confirmed',
        workflowId,
        count: progress.total,
        ...(body.confirmedBy !== undefined && { reason: `confirmed by ${body.confirmedBy}` }),
      });
      return accepted('confirm', description);
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
      404: { description: 'No such run (`not_found`), or it has ended (`no_open_run`).', schema: 'Error' },
    },
    async handle(context) {
      const workflowId = bulkWorkflowId(context.params);
      const { body } = parseRequest({ body: [cancelBodySchema, context.body ?? {}] });
      const description = await openBulkRun(context, workflowId);
      await supportRunHandle(context.deps.temporalClient, workflowId).signal(cancelBulkRunSignal, {
        reason: body.reason,
      });
      context.audit({ event: 'bulk-run-cancelled', workflowId, reason: body.reason });
      return accepted('cancel', description);
    },
  },
];

export const supportRoutes: ApiRoute[] = routes.map((route) => ({ ...route, access: 'admin' }));
