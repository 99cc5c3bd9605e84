/**
 * Actions on an open onboarding. They are signals: the run takes them in order, on its own time, so
 * the answer is 202 Accepted; GET /v1/people/{externalID} shows the effect.
 */
import { cancelOnboarding, changeStartDate, signalActivated } from '../../lifecycle-actions';
import { activatedBodySchema, cancelBodySchema, startDateBodySchema } from '../request-bodies';
import { type ApiRoute, type RouteResult, linksFor, parseRequest, runReference } from '../route-spec';
import { onboardingSignalAudit } from '../../person-act-audits';

const accepted = (action: string, externalID: string): RouteResult => ({
  statusCode: 202,
  body: {
    status: 'accepted',
    action,
    ...runReference('onboarding', externalID),
    links: linksFor('onboarding', externalID),
  },
});

const signalResponses = {
  202: { description: 'The open onboarding run received the action.', schema: 'ActionAccepted' },
  400: { description: 'Invalid path or body: every bad field in `problems`.', schema: 'Error' },
  404: { description: 'No open onboarding run for this person (`error: no_open_run`).', schema: 'Error' },
};

export const onboardingActionRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/v1/onboardings/{externalID}/activated',
    operationId: 'onboardingActivated',
    tag: 'onboarding',
    summary: 'Report that the new hire activated their account',
    description:
      'From an HR system or webhook: ends the wait for activation at once (without it, the run notices ' +
      'the activation by its periodic status checks).',
    body: { schema: activatedBodySchema, component: 'ActivatedRequest', required: false },
    responses: signalResponses,
    async handle({ params, body, deps, audit }) {
      const parsed = parseRequest({ externalID: params.externalID, body: [activatedBodySchema, body ?? {}] });
      await signalActivated(deps.temporalClient, parsed.externalID, parsed.body.source ?? 'hr-api');
      audit(onboardingSignalAudit('onboarding-activation-reported', parsed.externalID));
      return accepted('activated', parsed.externalID);
    },
  },
  {
    method: 'POST',
    path: '/v1/onboardings/{externalID}/cancel',
    operationId: 'cancelOnboarding',
    tag: 'onboarding',
    summary: 'Cancel an onboarding (offer withdrawn)',
    description:
      'The run stops; by the configured policy it deletes a still-pending account. An activated account ' +
      'is never deleted.',
    body: { schema: cancelBodySchema, component: 'CancelRequest', required: false },
    responses: signalResponses,
    async handle({ params, body, deps, audit }) {
      const parsed = parseRequest({ externalID: params.externalID, body: [cancelBodySchema, body ?? {}] });
      await cancelOnboarding(deps.temporalClient, parsed.externalID, parsed.body.reason);
      audit(onboardingSignalAudit('onboarding-cancelled', parsed.externalID));
      return accepted('cancel', parsed.externalID);
    },
  },
  {
    method: 'POST',
    path: '/v1/onboardings/{externalID}/start-date',
    operationId: 'changeStartDate',
    tag: 'onboarding',
    summary: 'Move the start date of a scheduled onboarding',
    description:
      'Moves the invitation day with it. Taken into account only while the invitation is still ' +
      'scheduled; once it went out, the run ignores a new start date.',
    body: { schema: startDateBodySchema, component: 'StartDateChange', required: true },
    responses: signalResponses,
    async handle({ params, body, deps, audit }) {
      const parsed = parseRequest({ externalID: params.externalID, body: [startDateBodySchema, body ?? {}] });
      await changeStartDate(deps.temporalClient, parsed.externalID, parsed.body.startDate);
      audit(onboardingSignalAudit('start-date-changed', parsed.externalID));
      return accepted('start-date', parsed.externalID);
    },
  },
];
