/**
 * Leaves of absence (workflows/leave.ts): start one, move its first day back, end it now, call it off.
 * Starts and actions go through client/leave-runs.ts, as the CLI's do; each act writes an audit line.
 */
import { cancelBodySchema } from '../request-bodies';
import { leavePolicyOf, leaveRequestSchema, leaveUntilSchema } from '../../../lifecycle/leave-request';
import { lifecycleWorkflowId } from '../../../lifecycle/workflow-ids';
import { leaveEndAudit, leaveStartAudit, leaveUntilAudit } from '../../leave-audits';
import { cancelLeave, changeLeaveUntil, endLeave, startLeave } from '../../leave-runs';
import { type ApiRoute, type RouteContext, type RouteResult, parseRequest } from '../route-spec';

/** Where HR follows and acts on one person's leave. */
export function leaveLinks(externalID: string): Record<string, string> {
  const id = encodeURIComponent(externalID);
  return {
    person: `/v1/people/${id}`,
    until: `/v1/leaves/${id}/until`,
    end: `/v1/leaves/${id}/end`,
    cancel: `/v1/leaves/${id}/cancel`,
  };
}

const acted = (action: string, externalID: string, result: Record<string, unknown>): RouteResult => ({
  statusCode: 200,
  body: {
    action,
    lifecycle: 'leave',
    externalID,
    workflowId: lifecycleWorkflowId('leave', externalID),
    ...result,
    links: leaveLinks(externalID),
  },
});

const actionResponses = (success: string) => ({
  200: { description: success, schema: 'LeaveActionResult' },
  400: { description: 'Invalid path or body: every bad field in `problems`.', schema: 'Error' },
  404: { description: 'No open leave for this person (`error: no_open_run`).', schema: 'Error' },
  409: {
    description:
      'The leave refused the action (`error: action_refused`); `reason` says why (e.g. `AlreadyEnded`).',
    schema: 'Error',
  },
  504: { description: 'No worker answered in time (`error: temporal_timeout`).', schema: 'Error' },
});

/** End or cancel: answers once the leave has ended, with its outcome. */
async function ending(context: RouteContext, act: 'end' | 'cancel'): Promise<RouteResult> {
  const parsed = parseRequest({
    externalID: context.params.externalID,
    body: [cancelBodySchema, context.body ?? {}],
  });
  const run = act === 'end' ? endLeave : cancelLeave;
  const outcome = await run(context.deps.temporalClient, parsed.externalID, parsed.body.reason);
  context.audit(leaveEndAudit(parsed.externalID, act, outcome));
  return acted(act, parsed.externalID, { outcome });
}

export const leaveRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/v1/leaves',
    operationId: 'startLeave',
    tag: 'leave',
    summary: 'Put a person on leave',
    description:
      'At the end of the working day before `from` (OFFBOARDING_END_OF_WORKING_DAY, policy time zone) the ' +
      'account is logged out and deactivated; at the start of `until` (the first day back) it is reactivated — ' +
      'only the account this leave deactivated, and only while it is still deactivated (else the leave ends ' +
      '`kept`). Without `until` the leave lasts until ended. A leave never deletes. Refused (409, reason ' +
      '`onboarding-open` or `offboarding-open`) while the person has an open onboarding or offboarding. ' +
      'Idempotent per `externalID`: while a leave is open, a repeat returns it.',
    body: { schema: leaveRequestSchema, component: 'LeaveRequest', required: true },
    responses: {
      202: { description: 'A new leave started.', schema: 'StartedLeave' },
      200: {
        description: "The person's open leave (status `already-running`); nothing new started.",
        schema: 'StartedLeave',
      },
      400: { description: 'Invalid body: every bad field in `problems`; nothing started.', schema: 'Error' },
      409: {
        description:
          'Refused (`error: action_refused`, `reason` `onboarding-open` or `offboarding-open`); nothing started.',
        schema: 'Error',
      },
    },
    async handle(context) {
      const parsed = parseRequest({ body: [leaveRequestSchema, context.body ?? {}] });
      const externalID = parsed.body.externalID;
      const policy = leavePolicyOf(context.deps.policies.offboarding);
      const run = await startLeave(context.deps.temporalClient, parsed.body, policy);
      context.audit(leaveStartAudit(externalID, run.status));
      const links = leaveLinks(externalID);
      return {
        statusCode: run.status === 'started' ? 202 : 200,
        body: { ...run, externalID, links },
        headers: { location: links.person ?? '' },
      };
    },
  },
  {
    method: 'POST',
    path: '/v1/leaves/{externalID}/until',
    operationId: 'changeLeaveUntil',
    tag: 'leave',
    summary: 'Move the first day back (extend or shorten the leave)',
    description: 'A day that has already begun ends the leave now (reactivating what it deactivated).',
    body: { schema: leaveUntilSchema, component: 'LeaveUntilChange', required: true },
    responses: actionResponses("The new first day back: the leave's status (`leave`)."),
    async handle(context) {
      const parsed = parseRequest({
        externalID: context.params.externalID,
        body: [leaveUntilSchema, context.body ?? {}],
      });
      const status = await changeLeaveUntil(
        context.deps.temporalClient,
        parsed.externalID,
        parsed.body.until,
      );
      context.audit(leaveUntilAudit(parsed.externalID, status));
      return acted('until', parsed.externalID, { leave: status });
    },
  },
  {
    method: 'POST',
    path: '/v1/leaves/{externalID}/end',
    operationId: 'endLeave',
    tag: 'leave',
    summary: 'End a leave now',
    description:
      'Reactivates now the account this leave deactivated (only while it is still deactivated). Answers once ' +
      'the leave has ended, with its outcome.',
    body: { schema: cancelBodySchema, component: 'CancelRequest', required: false },
    responses: actionResponses('The leave ended: `outcome`.'),
    handle: (context) => ending(context, 'end'),
  },
  {
    method: 'POST',
    path: '/v1/leaves/{externalID}/cancel',
    operationId: 'cancelLeave',
    tag: 'leave',
    summary: 'Call a leave off',
    description:
      'Before the deactivation nothing changes in Staffbase; after it the account is reactivated (as by end). ' +
      'Answers once the leave has ended as cancelled, with its outcome.',
    body: { schema: cancelBodySchema, component: 'CancelRequest', required: false },
    responses: actionResponses('The leave ended as cancelled: `outcome`.'),
    handle: (context) => ending(context, 'cancel'),
  },
];
