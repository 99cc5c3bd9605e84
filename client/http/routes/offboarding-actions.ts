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
import { type AuditEvent } from '../../../lifecycle/audit/audit-record';
import { offboardingActionAudit, offboardingCancelAudit } from '../../person-act-audits';
import { type RetentionChange } from '../../../lifecycle/offboarding-request';
import { type OffboardingStatus } from '../../../workflows/offboarding-messages';
import { earlyDeletionRule } from '../../../lifecycle/deletion-authority';
import { mayHastenDeletion } from '../early-deletion';
import { ApiError } from '../errors';
import { offboardingStatusOf, shortensRetention } from '../../retention-change';
import {
  actReasonBodySchema,
  cancelBodySchema,
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
  body: [typeof actReasonBodySchema | typeof legalHoldBodySchema | typeof retentionBodySchema, unknown],
  run: (externalID: string, body: Record<string, unknown>) => Promise<OffboardingStatus>,
): Promise<RouteResult> {
  const parsed = parseRequest({ externalID: context.params.externalID, body: [body[0], body[1] ?? {}] });
  const offboarding = await run(parsed.externalID, parsed.body);
  return updated(action, parsed.externalID, { offboarding });
}

/**
 * A support-key update without input but an optional `reason` (delete-now, release): the action,
 * audited as `event` with the reason.
 */
function bodilessUpdate(
  action: string,
  event: AuditEvent,
  act: (client: RouteContext['deps']['temporalClient'], externalID: string) => Promise<OffboardingStatus>,
): Pick<ApiRoute, 'access' | 'body' | 'handle'> {
  return {
    access: 'admin',
    body: { schema: actReasonBodySchema, component: 'ActReasonRequest', required: false },
    handle: (context) =>
      statusUpdate(context, action, [actReasonBodySchema, context.body], async (externalID, body) => {
        const status = await act(context.deps.temporalClient, externalID);
        const reason = typeof body.reason === 'string' ? body.reason : undefined;
        context.audit({ ...offboardingActionAudit(event, externalID, status), ...(reason && { reason }) });
        return status;
      }),
  };
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
      context.audit(offboardingCancelAudit(parsed.externalID, outcome));
      return updated('cancel', parsed.externalID, { outcome });
    },
  },
  {
    method: 'POST',
    path: '/v1/offboardings/{externalID}/delete-now',
    operationId: 'deleteNow',
    tag: 'offboarding',
    summary: 'Delete the account now instead of after the retention period',
    description:
      'Support key only. Refused (409, reason `LegalHold`) while a legal hold is in place. An optional ' +
      '`reason` (e.g. the ticket) goes into the audit trail with who asked.',
    responses: updateResponses("Deletion brought forward: the run's status (`offboarding`)."),
    ...bodilessUpdate('delete-now', 'delete-now-requested', deleteNow),
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
      statusUpdate(context, 'legal-hold', [legalHoldBodySchema, context.body], async (externalID, body) => {
        const status = await placeLegalHold(context.deps.temporalClient, externalID, String(body.reason));
        context.audit({
          ...offboardingActionAudit('legal-hold-placed', externalID, status),
          reason: String(body.reason),
        });
        return status;
      }),
  },
  {
    method: 'POST',
    path: '/v1/offboardings/{externalID}/legal-hold/release',
    operationId: 'releaseLegalHold',
    tag: 'offboarding',
    summary: 'Release the legal hold; the deletion follows its schedule again',
    description:
      'Support key only: releasing a hold lets a deletion that was held back go ahead (perhaps at once). ' +
      'Placing a hold takes either key.',
    responses: updateResponses("Legal hold released: the run's status (`offboarding`)."),
    ...bodilessUpdate('legal-hold-release', 'legal-hold-released', releaseLegalHold),
  },
  {
    method: 'POST',
    path: '/v1/offboardings/{externalID}/retention',
    operationId: 'changeRetention',
    tag: 'offboarding',
    summary: 'Change when the account is deleted',
    description:
      '`retentionDays` (days after the deactivation) or `deleteAt` (an ISO date-time with zone): exactly one. ' +
      'Keeping the account longer takes either key; bringing the deletion forward (shorter than the current ' +
      'deletion time, or than the configured retention before the deactivation) needs the support key (403).',
    body: { schema: retentionBodySchema, component: 'RetentionChange', required: true },
    responses: {
      ...updateResponses("New deletion time: the run's status (`offboarding.deleteAt`)."),
      403: {
        description:
          'A shorter retention with the HR systems’ key (`error: forbidden`, `rule: early-deletion-needs-admin-key`).',
        schema: 'Error',
      },
    },
    handle: (context) =>
      statusUpdate(context, 'retention', [retentionBodySchema, context.body], async (externalID, body) => {
        const change = (
          body.retentionDays !== undefined
            ? { retentionDays: body.retentionDays }
            : { deleteAt: body.deleteAt }
        ) as RetentionChange;
        const client = context.deps.temporalClient;
        const shortens = shortensRetention(
          await offboardingStatusOf(client, externalID),
          change,
          context.deps.policies.offboarding,
          Date.now(),
        );
        if (shortens && !mayHastenDeletion(context.caller)) {
          throw new ApiError(
            403,
            'forbidden',
            `Bringing a deletion forward needs the support key (LIFECYCLE_ADMIN_API_KEY) (rule ${earlyDeletionRule}); this key may only keep the account longer.`,
            {
              rule: earlyDeletionRule,
              field: 'retentionDays' in change ? 'retentionDays' : 'deleteAt',
              externalID,
            },
          );
        }
        const status = await changeRetention(client, externalID, change);
        context.audit(
          offboardingActionAudit(shortens ? 'retention-shortened' : 'retention-changed', externalID, status),
        );
        return status;
      }),
  },
];
