/**
 * Actions on an open onboarding. They are signals: the run takes them in order, on its own time, so
 * the answer is 202 Accepted; GET /v1/people/{externalID} shows the effect.
 */
import { type Client } from '@temporalio/client';
import { type z } from 'zod';
import { type AuditEvent } from '../../../lifecycle/audit/audit-record';
import { cancelOnboarding, changeStartDate, signalActivated } from '../../lifecycle-actions';
import { activatedBodySchema, cancelBodySchema, startDateBodySchema } from '../request-bodies';
import { type ApiRoute, linksFor, parseRequest, runReference } from '../route-spec';
import { onboardingSignalAudit } from '../../person-act-audits';

const signalResponses = {
  202: { description: 'The open onboarding run received the action.', schema: 'ActionAccepted' },
  400: { description: 'Invalid path or body: every bad field in `problems`.', schema: 'Error' },
  404: { description: 'No open onboarding run for this person (`error: no_open_run`).', schema: 'Error' },
};

/**
 * `POST /v1/onboardings/{externalID}/<action>`: the body checked by its schema, the signal sent to
 * the person's open onboarding, the act audited, 202 with the run's links.
 */
function onboardingSignalRoute<Body extends z.ZodType>(spec: {
  action: string;
  operationId: string;
  summary: string;
  description: string;
  body: { schema: Body; component: string; required: boolean };
  auditEvent: AuditEvent;
  send: (client: Client, externalID: string, body: z.output<Body>) => Promise<void>;
}): ApiRoute {
  const { action, auditEvent, send, ...route } = spec;
  return {
    ...route,
    method: 'POST',
    path: `/v1/onboardings/{externalID}/${action}`,
    tag: 'onboarding',
    responses: signalResponses,
    async handle({ params, body, deps, audit }) {
      const parsed = parseRequest({ externalID: params.externalID, body: [spec.body.schema, body ?? {}] });
      // parseRequest's conditional type stays unresolved for a generic schema; it is this schema's output.
      await send(deps.temporalClient, parsed.externalID, parsed.body as z.output<Body>);
      audit(onboardingSignalAudit(auditEvent, parsed.externalID));
      return {
        statusCode: 202,
        body: {
          status: 'accepted',
          action,
          ...runReference('onboarding', parsed.externalID),
          links: linksFor('onboarding', parsed.externalID),
        },
      };
    },
  };
}

export const onboardingActionRoutes: ApiRoute[] = [
  onboardingSignalRoute({
    action: 'activated',
    operationId: 'onboardingActivated',
    summary: 'Report that the new hire activated their account',
    description:
      'From an HR system or webhook: ends the wait for activation at once (without it, the run notices ' +
      'the activation by its periodic status checks).',
    body: { schema: activatedBodySchema, component: 'ActivatedRequest', required: false },
    auditEvent: 'onboarding-activation-reported',
    send: (client, externalID, body) => signalActivated(client, externalID, body.source ?? 'hr-api'),
  }),
  onboardingSignalRoute({
    action: 'cancel',
    operationId: 'cancelOnboarding',
    summary: 'Cancel an onboarding (offer withdrawn)',
    description:
      'The run stops; by the configured policy it deletes a still-pending account. An activated account ' +
      'is never deleted.',
    body: { schema: cancelBodySchema, component: 'CancelRequest', required: false },
    auditEvent: 'onboarding-cancelled',
    send: (client, externalID, body) => cancelOnboarding(client, externalID, body.reason),
  }),
  onboardingSignalRoute({
    action: 'start-date',
    operationId: 'changeStartDate',
    summary: 'Move the start date of a scheduled onboarding',
    description:
      'Moves the invitation day with it. Taken into account only while the invitation is still ' +
      'scheduled; once it went out, the run ignores a new start date.',
    body: { schema: startDateBodySchema, component: 'StartDateChange', required: true },
    auditEvent: 'start-date-changed',
    send: (client, externalID, body) => changeStartDate(client, externalID, body.startDate),
  }),
];
