/**
 * The response schemas of `/v1/reconciliations` (issue 30, docs/reconciliation.md): a plan's summary,
 * the list of recent plans, and one plan with a page of its entries. The HR console's Reconciliation
 * page reads its types from them (tooling/console-api-types.ts).
 */
import { situations, reconcileActions } from '../../lifecycle/reconcile/situations';
import { planStatuses } from '../../store';
import { type JsonSchema, ref, str } from './openapi-responses';

const actor = {
  type: 'object',
  required: ['kind', 'user'],
  properties: {
    kind: str('Which key or process: lifecycle-key, admin-key, dev-mode, cli.'),
    user: { type: ['string', 'null'], description: 'The trusted user header, or the CLI’s OS user.' },
  },
};

export const reconcileSchemas: Record<string, JsonSchema> = {
  ReconciliationPlan: {
    type: 'object',
    description: 'A reconciliation plan: its status, counts per situation and safety verdict.',
    required: ['planId', 'status', 'counts', 'safetyReasons', 'dryRun', 'absent', 'createdAt'],
    properties: {
      planId: str('`plan-<uuid>`.'),
      status: { type: 'string', enum: [...planStatuses] },
      counts: {
        type: 'object',
        description: 'People per situation (empty until the plan is made).',
        additionalProperties: { type: 'integer' },
      },
      safetyReasons: {
        type: 'array',
        description: 'Why the plan is held for approval; empty when it passed the safety checks.',
        items: { type: 'string' },
      },
      dryRun: { type: 'boolean' },
      absent: { type: 'string', enum: ['ignore', 'leaver'] },
      createdAt: str('When the plan was requested (UTC).'),
      decision: {
        type: 'object',
        description: 'Who approved or discarded a held plan, why and when.',
        required: ['by', 'reason', 'at'],
        properties: {
          by: actor,
          reason: { type: ['string', 'null'] },
          at: str('UTC.'),
        },
      },
      appliedAt: str('When applying finished (UTC).'),
    },
  },
  ReconciliationList: {
    type: 'object',
    required: ['plans'],
    properties: { plans: { type: 'array', items: ref('ReconciliationPlan') } },
  },
  ReconciliationEntry: {
    type: 'object',
    description: 'One person of a plan; names fields and account ids, never a name or an address.',
    required: ['externalID', 'situation', 'action', 'reason'],
    properties: {
      externalID: { type: ['string', 'null'], description: 'null for an account without one.' },
      situation: { type: 'string', enum: [...situations] },
      action: { type: 'string', enum: [...reconcileActions] },
      reason: str(),
      staffbaseId: str('Only for an account without an externalID.'),
    },
  },
  ReconciliationPlanPage: {
    allOf: [
      ref('ReconciliationPlan'),
      {
        type: 'object',
        required: ['entries'],
        properties: {
          entries: { type: 'array', items: ref('ReconciliationEntry') },
          nextAfterSeq: {
            type: 'integer',
            description: 'Absent on the last page: pass it as `afterSeq` for the next.',
          },
        },
      },
    ],
  },
};
