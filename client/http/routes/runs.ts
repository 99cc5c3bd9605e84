/**
 * Starting runs: `POST /v1/onboardings` and `POST /v1/offboardings`. Exactly one run per person and
 * lifecycle: a repeat while the run is open answers 200 with that run; nothing starts twice.
 */
import { type StartedRun, startOffboarding, startOnboarding } from '../../lifecycle-runs';
import { startAudit } from '../../person-act-audits';
import { offboardingStartBodySchema } from '../../../lifecycle/offboarding-request';
import { onboardingRequestSchema } from '../../../lifecycle/onboarding-request';
import { earlyDeletionOf } from '../../../lifecycle/deletion-authority';
import { lifecycleWorkflowId } from '../../../lifecycle/workflow-ids';
import { earlyDeletionForbidden, mayHastenDeletion } from '../early-deletion';
import { ApiError } from '../errors';
import { startQuerySchema } from '../request-bodies';
import { type ApiRoute, type RouteContext, type RouteResult, linksFor, parseRequest } from '../route-spec';

/** One audit line per start request the run took (a repeat names the open run), none for a 409. */
function auditStart(context: RouteContext, run: StartedRun, externalID: string): void {
  const record = startAudit(run, externalID);
  if (record) context.audit(record);
}

function startedRunResult(run: StartedRun, externalID: string): RouteResult {
  const body = {
    status: run.status,
    lifecycle: run.lifecycle,
    externalID,
    workflowId: run.workflowId,
    runId: run.runId,
    links: linksFor(run.lifecycle, externalID),
  };
  if (run.status === 'already-completed') {
    throw new ApiError(
      409,
      'already_completed',
      `An ${run.lifecycle} run for "${externalID}" already ended (${run.closedStatus}); nothing was started. ` +
        'POST again with ?rerun=true to start a new one (e.g. for a rehire).',
      { ...body, closedStatus: run.closedStatus },
    );
  }
  return {
    statusCode: run.status === 'started' ? 202 : 200,
    body,
    headers: { location: body.links.person ?? '' },
  };
}

const startResponses = (lifecycle: string) => ({
  202: { description: `A new ${lifecycle} run started.`, schema: 'StartedRun' },
  200: {
    description: `The person's ${lifecycle} run is already open: that run (status \`already-running\`); nothing new started.`,
    schema: 'StartedRun',
  },
  400: {
    description: 'Invalid body or query: every bad field in `problems`; nothing started.',
    schema: 'Error',
  },
  409: {
    description:
      'A run for this person already completed (`error: already_completed`); nothing started. Add `?rerun=true` to start again.',
    schema: 'Error',
  },
});

export const runRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/v1/onboardings',
    operationId: 'startOnboarding',
    tag: 'onboarding',
    summary: 'Start the onboarding of a new hire',
    description:
      'Creates the Staffbase account (with its invitation) on the invitation day derived from `startDate`, ' +
      'reminds the new hire until activation, and expires the invitation by policy. Idempotent per ' +
      '`externalID`: repeating the request while the run is open returns that run. A run that failed or was ' +
      'terminated may be started again as is; one that completed only with `?rerun=true`.',
    body: { schema: onboardingRequestSchema, component: 'OnboardingRequest', required: true },
    query: startQuerySchema,
    responses: startResponses('onboarding'),
    async handle(context) {
      const { body, query, deps } = context;
      const parsed = parseRequest({
        query: [startQuerySchema, query],
        body: [onboardingRequestSchema, body ?? {}],
      });
      const run = await startOnboarding(deps.temporalClient, parsed.body, deps.policies.onboarding, {
        rerun: parsed.query.rerun === 'true',
      });
      auditStart(context, run, parsed.body.externalID);
      return startedRunResult(run, parsed.body.externalID);
    },
  },
  {
    method: 'POST',
    path: '/v1/offboardings',
    operationId: 'startOffboarding',
    tag: 'offboarding',
    summary: 'Start the offboarding of a leaver',
    description:
      'At the end of `lastWorkingDay` (at once when absent or past): cancels an open onboarding, logs the ' +
      'person out everywhere, deactivates the account, and deletes it after the retention period ' +
      '(`retentionDays`, `deleteAt`, or the configured default) unless a legal hold is in place. ' +
      "Idempotent per `externalID`, like onboardings. A deletion sooner than the policy's retention " +
      '(`retentionDays` below it, 0, or a `deleteAt` earlier than the deactivation plus it) needs the support ' +
      "key: with the HR systems' key it is a 403 naming the rule (`rule: early-deletion-needs-admin-key`). " +
      '`lane: bulk` (an import of many leavers) looks the person up in a batch with others (one Staffbase ' +
      'request for up to 50); log-out and deactivation stay urgent. Default `urgent`: looked up alone, at once.',
    body: { schema: offboardingStartBodySchema, component: 'OffboardingRequest', required: true },
    query: startQuerySchema,
    responses: {
      ...startResponses('offboarding'),
      403: {
        description:
          "A deletion sooner than the policy's retention with the HR systems' key (`error: forbidden`, " +
          '`rule: early-deletion-needs-admin-key`, `field`); nothing started.',
        schema: 'Error',
      },
    },
    async handle(context) {
      const { body, query, deps, caller } = context;
      const parsed = parseRequest({
        query: [startQuerySchema, query],
        body: [offboardingStartBodySchema, body ?? {}],
      });
      const { lane, ...request } = parsed.body;
      const externalID = request.externalID;
      const early = earlyDeletionOf(request, deps.policies.offboarding, Date.now());
      if (early && !mayHastenDeletion(caller)) throw earlyDeletionForbidden(early, externalID);
      const run = await startOffboarding(deps.temporalClient, request, deps.policies.offboarding, {
        rerun: parsed.query.rerun === 'true',
        ...(lane !== undefined && { lane }),
      });
      auditStart(context, run, externalID);
      if (early && run.status === 'started') {
        context.audit({
          event: 'retention-shortened',
          externalID,
          workflowId: lifecycleWorkflowId('offboarding', externalID),
          reason: `at start: ${early.field} sooner than the policy's retention`,
          outcome: 'started',
        });
      }
      return startedRunResult(run, externalID);
    },
  },
];
