/**
 * Actions on an open offboarding. They are Temporal updates: the run checks each one and answers,
 * so the response says at once whether it was taken (200, with the run's new status) or refused
 * (409, with the reason, e.g. `LegalHold` for delete-now under a legal hold).
 */
import {
  cancelOffboarding,
  changeRetention,
  deleteNow,
  placeLegalHold,
  releaseLegalHold,
} from '../../lifecycle-actions';
import { type RetentionChange } from '../../../lifecycle/offboarding-request';
import {
  cancelBodySchema,
  emptyBodySchema,
  legalHoldBodySchema,
  retentionBodySchema,
} from '../request-bodies';
import {
  type ApiRoute,
  type RouteContext,
  type RouteResult,
  linksFor,
  parseRequest,
  runReference,
} from '../route-spec';

const updated = (action: string, externalID: string, result: Record<string, unknown>): RouteResult => ({
  statusCode: 200,
  body: {
    action,
    ...runReference('offboarding', externalID),
    ...result,
    links: linksFor('offboarding', externalID),
  },
});

const updateResponses = (success: string) => ({
  200: { description: success, schema: 'OffboardingActionResult' },
  400: { description: 'Invalid path or body: every bad field in `problems`.', schema: 'Error' },
  404: { description: 'No open offboarding run for this person (`error: no_open_run`).', schema: 'Error' },
  409: {
    description: 'The run refused the action (`error: action_refused`); `reason` says why.',
    schema: 'Error',
  },
  504: { description: 'No worker answered in time (`error: temporal_timeout`).', schema: 'Error' },
});

/** An update with a status answer: the run's status after the action. */
async function statusUpdate(
  context: RouteContext,
  action: string,
  body: [typeof emptyBodySchema | typeof legalHoldBodySchema | typeof retentionBodySchema, unknown],
  run: (externalID: string, body: Record<string, unknown>) => Promise<unknown>,
): Promise<RouteResult> {
  const parsed = parseRequest({ externalID: context.params.externalID, body: [body[0], body[1] ?? {}] });
  const offboarding = await run(parsed.externalID, parsed.body);
  return updated(action, parsed.externalID, { offboarding });
}

export const offboardingActionRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/v1/offboardings/{externalID}/cancel',
    operationId: 'cancelOffboarding',
    tag: 'offboarding',
    summary: 'Cancel an offboarding (reversal, rehire)',
    description:
      'Before the deactivation nothing changes in Staffbase; after it the account is reactivated. ' +
      'Answers once the run has ended as cancelled, with its outcome. Refused once the deletion started.',
    body: { schema: cancelBodySchema, component: 'CancelRequest', required: false },
    responses: updateResponses('The offboarding ended as cancelled: `outcome`.'),
    async handle(context) {
      const parsed = parseRequest({
        externalID: context.params.externalID,
        body: [cancelBodySchema, context.body ?? {}],
      });
      const outcome = await cancelOffboarding(
        context.deps.temporalClient,
        parsed.externalID,
        parsed.body.reason,
      );
      return updated('cancel', parsed.externalID, { outcome });
    },
  },
  {
    method: 'POST',
    path: '/v1/offboardings/{externalID}/delete-now',
    operationId: 'deleteNow',
    tag: 'offboarding',
    summary: 'Delete the account now instead of after the retention period',
    description: 'Refused (409, reason `LegalHold`) while a legal hold is in place.',
    body: { schema: emptyBodySchema, component: 'EmptyRequest', required: false },
    responses: updateResponses("Deletion brought forward: the run's status (`offboarding`)."),
    handle: (context) =>
      statusUpdate(context, 'delete-now', [emptyBodySchema, context.body], (externalID) =>
        deleteNow(context.deps.temporalClient, externalID),
      ),
  },
  {
    method: 'POST',
    path: '/v1/offboardings/{externalID}/legal-hold',
    operationId: 'placeLegalHold',
    tag: 'offboarding',
    summary: 'Place a legal hold: no deletion until it is released',
    body: { schema: legalHoldBodySchema, component: 'LegalHoldRequest', required: true },
    responses: updateResponses("Legal hold in place: the run's status (`offboarding.legalHold`)."),
    handle: (context) =>
      statusUpdate(context, 'legal-hold', [legalHoldBodySchema, context.body], (externalID, body) =>
        placeLegalHold(context.deps.temporalClient, externalID, String(body.reason)),
      ),
  },
  {
    method: 'POST',
    path: '/v1/offboardings/{externalID}/legal-hold/release',
    operationId: 'releaseLegalHold',
    tag: 'offboarding',
    summary: 'Release the legal hold; the deletion follows its schedule again',
    body: { schema: emptyBodySchema, component: 'EmptyRequest', required: false },
    responses: updateResponses("Legal hold released: the run's status (`offboarding`)."),
    handle: (context) =>
      statusUpdate(context, 'legal-hold-release', [emptyBodySchema, context.body], (externalID) =>
        releaseLegalHold(context.deps.temporalClient, externalID),
      ),
  },
  {
    method: 'POST',
    path: '/v1/offboardings/{externalID}/retention',
    operationId: 'changeRetention',
    tag: 'offboarding',
    summary: 'Change when the account is deleted',
    description:
      '`retentionDays` (days after the deactivation) or `deleteAt` (an ISO date-time with zone): exactly one.',
    body: { schema: retentionBodySchema, component: 'RetentionChange', required: true },
    responses: updateResponses("New deletion time: the run's status (`offboarding.deleteAt`)."),
    handle: (context) =>
      statusUpdate(context, 'retention', [retentionBodySchema, context.body], (externalID, body) =>
        changeRetention(
          context.deps.temporalClient,
          externalID,
          (body.retentionDays !== undefined
            ? { retentionDays: body.retentionDays }
            : { deleteAt: body.deleteAt }) as RetentionChange,
        ),
      ),
  },
];
