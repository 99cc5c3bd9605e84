/**
 * Support operations on one person: a change (a "mover"), a recovery code, a forced logout.
 *
 * [choice] They answer at once (202) by default; `?wait=true` waits for the outcome within the
 * request's Temporal deadline (the one app.ts sets for every request) and answers 200 with it (404 for
 * an unknown person, 409 for a refused recovery code), or 202 when the run is still going at the
 * deadline.
 */
import { type Client } from '@temporalio/client';
import { z } from 'zod';
import { type StartedSupportRun, startMover, startRecoveryCode, startUserLogout } from '../../support-runs';
import { runHandle } from '../../workflow-runs';
import {
  moverRequestSchema,
  recoveryCodeRequestSchema,
  userLogoutRequestSchema,
} from '../../../lifecycle/support-requests';
import { type FieldProblem } from '../../../lifecycle/validation';
import { type AuditEvent } from '../../../lifecycle/audit/audit-record';
import {
  type MoverOutcome,
  type RecoveryCodeOutcome,
  type UserLogoutOutcome,
} from '../../../workflows/support-messages';
import { ApiError, temporalCallFailure } from '../errors';
import {
  type ApiRoute,
  type RouteContext,
  type RouteResponse,
  type RouteResult,
  parseRequest,
} from '../route-spec';
import { badRequest, isPlainObject, startedStatus } from './support-common';

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

type SingleOperation = 'mover' | 'recovery-code' | 'user-logout';

/** The audit event of each single-person operation: who asked for what, for which run. */
const requestedEvents = {
  mover: 'person-change-requested',
  'recovery-code': 'recovery-code-requested',
  'user-logout': 'logout-requested',
} as const satisfies Record<SingleOperation, AuditEvent>;
type SingleOutcome = MoverOutcome | RecoveryCodeOutcome | UserLogoutOutcome;

/** Starts (or finds) a single-person run; with `wait`, answers with its outcome when it ends in time. */
async function singlePersonRun(
  context: RouteContext,
  operation: SingleOperation,
  externalID: string,
  wait: boolean,
  start: () => Promise<StartedSupportRun>,
): Promise<RouteResult> {
  const run = await start();
  context.audit({
    event: requestedEvents[operation],
    externalID,
    workflowId: run.workflowId,
    outcome: run.status,
  });
  const body = {
    status: run.status,
    operation,
    externalID,
    workflowId: run.workflowId,
    runId: run.runId,
  };
  if (!wait) return { statusCode: startedStatus(run), body };

  let outcome: SingleOutcome;
  try {
    outcome = (await runHandle(context.deps.temporalClient, run.workflowId).result()) as SingleOutcome;
  } catch (error) {
    // The request's one deadline (app.ts) passed while the run goes on: that is an answer, not a 504.
    if (temporalCallFailure(error) !== 'timeout') throw error;
    return {
      statusCode: 202,
      body: {
        ...body,
        message:
          'The run had not ended by the request deadline; it goes on. POST again with ?wait=true to wait for it.',
      },
    };
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

/** The handler of a single-person route: the path's externalID into the shared schema, then the run. */
function personRun<B extends z.ZodType<{ externalID: string }>>(
  operation: SingleOperation,
  schema: B,
  start: (client: Client, request: z.output<B>) => Promise<StartedSupportRun>,
): ApiRoute['handle'] {
  return async (context) => {
    const merged = withPathExternalId(context.body, context.params.externalID);
    const parsed = parseAll(merged.problems, {
      query: [waitQuerySchema, context.query],
      body: [schema, merged.input],
    });
    // parseRequest's conditional type stays unresolved for a generic schema; it is this schema's output.
    const request = parsed.body as z.output<B>;
    return singlePersonRun(context, operation, request.externalID, parsed.query.wait === 'true', () =>
      start(context.deps.temporalClient, request),
    );
  };
}

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

/** Support operations need the support key (LIFECYCLE_ADMIN_API_KEY): see auth.ts. */
export const personSupportRoutes: ApiRoute[] = [
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
    handle: personRun('mover', moverRequestSchema, startMover),
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
    handle: personRun('recovery-code', recoveryCodeRequestSchema, startRecoveryCode),
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
    handle: personRun('user-logout', userLogoutRequestSchema, startUserLogout),
  },
];
