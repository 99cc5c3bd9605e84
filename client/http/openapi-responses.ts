/**
 * The response schemas of the OpenAPI document, written by hand: they come from the workflows' status
 * types, not from zod. `openapi.ts` assembles the document around them.
 */
import { errorCodes } from './errors';

export type JsonSchema = Record<string, unknown>;

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const str = (description?: string) => ({ type: 'string', ...(description && { description }) });
const links = {
  type: 'object',
  description: 'Paths of the routes that follow or act on this run.',
  additionalProperties: { type: 'string' },
};

/** Responses, written by hand: they come from the workflows' status types, not from zod. */
export const responseSchemas: Record<string, JsonSchema> = {
  Error: {
    type: 'object',
    required: ['error', 'message'],
    properties: {
      error: {
        type: 'string',
        enum: Object.keys(errorCodes),
        description: Object.entries(errorCodes)
          .map(([code, meaning]) => `\`${code}\`: ${meaning}`)
          .join('\n'),
      },
      message: str('For people.'),
      problems: {
        type: 'array',
        description: 'For `invalid_request`: every bad field at once.',
        items: ref('Problem'),
      },
      reason: str("For `action_refused`: the run's reason code, e.g. `LegalHold`, `AlreadyDeleted`."),
    },
    additionalProperties: true,
  },
  Problem: {
    type: 'object',
    required: ['field', 'message'],
    properties: {
      field: str(
        'Dotted path of the field, e.g. `email` or `reminderPolicy.expireAfterDays`; `(input)` for the whole body.',
      ),
      message: str(),
    },
  },
  StartedRun: {
    type: 'object',
    required: ['status', 'lifecycle', 'externalID', 'workflowId', 'links'],
    properties: {
      status: {
        type: 'string',
        enum: ['started', 'already-running'],
        description: '`started` (202): a new run. `already-running` (200): the open run of this person.',
      },
      lifecycle: { type: 'string', enum: ['onboarding', 'offboarding'] },
      externalID: str(),
      workflowId: str('The Temporal workflow ID: `<lifecycle>-<externalID>`.'),
      runId: str('The Temporal run ID.'),
      links,
    },
  },
  ActionAccepted: {
    type: 'object',
    required: ['status', 'action', 'lifecycle', 'externalID', 'workflowId'],
    properties: {
      status: { const: 'accepted' },
      action: str(),
      lifecycle: { const: 'onboarding' },
      externalID: str(),
      workflowId: str(),
      links,
    },
  },
  OffboardingActionResult: {
    type: 'object',
    required: ['action', 'lifecycle', 'externalID', 'workflowId'],
    properties: {
      action: str(),
      lifecycle: { const: 'offboarding' },
      externalID: str(),
      workflowId: str(),
      offboarding: ref('OffboardingStatus'),
      outcome: { ...ref('OffboardingOutcome'), description: 'For cancel: how the run ended.' },
      links,
    },
  },
  OffboardingStatus: {
    type: 'object',
    required: ['stage', 'externalID'],
    properties: {
      stage: {
        type: 'string',
        enum: [
          'scheduled',
          'cancelling-onboarding',
          'logging-out',
          'deactivating',
          'retention',
          'on-hold',
          'deleting',
          'reactivating',
          'needs-attention',
          'completed',
        ],
      },
      externalID: str(),
      staffbaseUserId: str(),
      effectiveAt: str('When the offboarding takes effect (end of the last working day).'),
      deactivatedAt: str(),
      deleteAt: str('When the account will be deleted.'),
      legalHold: {
        type: 'object',
        properties: { reason: str(), since: str() },
      },
      attention: ref('AttentionReason'),
      outcome: ref('OffboardingOutcome'),
    },
    additionalProperties: true,
  },
  RunState: {
    type: 'object',
    required: ['workflowId', 'runId', 'runStatus', 'startTime'],
    properties: {
      workflowId: str(),
      runId: str(),
      runStatus: str("Temporal's view: RUNNING, COMPLETED, FAILED, TERMINATED, CANCELED, TIMED_OUT."),
      startTime: str(),
      closeTime: str(),
      status: {
        type: 'object',
        description: "While running: the workflow's own status (stage, next action, …).",
        additionalProperties: true,
      },
      outcome: {
        type: 'object',
        description: "When completed: the workflow's result (e.g. `result: activated`).",
        additionalProperties: true,
      },
      failure: str(
        'When failed, terminated or timed out: why — the innermost cause’s message (e.g. Staffbase’s own words), not the wrapper’s.',
      ),
      failureType: str('The innermost cause’s failure type, when it has one.'),
    },
  },
  PersonState: {
    type: 'object',
    required: ['externalID'],
    properties: {
      externalID: str(),
      name: str(
        'First and last name from the onboarding’s request, when the API can decrypt it (its payload key); absent otherwise.',
      ),
      onboarding: ref('OnboardingRunState'),
      offboarding: ref('OffboardingRunState'),
    },
  },
  AttentionReason: {
    type: 'object',
    description: 'Why a run waits in `needs-attention`.',
    required: ['code', 'message', 'since', 'step'],
    properties: {
      code: {
        type: 'string',
        enum: ['conflict', 'validation', 'not-found', 'auth', 'not-permitted'],
        description:
          '`conflict`: a userName or email belongs to another account (409); `validation`: Staffbase refused a ' +
          'field (400); `not-found`: something the request names does not exist (404, e.g. a group); `auth`: ' +
          'the API token was refused (401/403); `not-permitted`: a DELETE answered 404 while the account still ' +
          'exists (not permitted), nothing was deleted.',
      },
      field: str('The request field Staffbase named, e.g. `userName`, when it named one.'),
      message: str('Staffbase’s own words (redacted).'),
      since: str('When the run started waiting (ISO date-time).'),
      step: str('The refused step, e.g. `create-account`, `deactivate`.'),
    },
  },
  AttentionActionResult: {
    allOf: [
      ref('AttentionAnswer'),
      {
        type: 'object',
        required: ['action', 'lifecycle', 'externalID', 'workflowId'],
        properties: {
          action: str(),
          lifecycle: ref('Lifecycle'),
          externalID: str(),
          workflowId: str(),
          links,
        },
      },
    ],
  },
  ParkedLifecycleEvents: {
    type: 'object',
    required: ['parked'],
    properties: {
      parked: {
        type: 'array',
        items: {
          type: 'object',
          required: ['subscriberId', 'eventId', 'externalID', 'lifecycle', 'milestone', 'sequence', 'at'],
          properties: {
            subscriberId: str(),
            eventId: str('The CloudEvents id (and `webhook-id`): stable across redeliveries.'),
            externalID: str(),
            lifecycle: str(),
            milestone: str(),
            sequence: { type: 'integer', description: 'The person’s event number.' },
            at: str('When the milestone happened.'),
            parkedAt: { type: ['string', 'null'] },
            failure: { type: ['string', 'null'], description: 'The last failure’s kind.' },
          },
        },
      },
    },
  },
  LifecycleEventRetryResult: {
    type: 'object',
    required: ['action', 'retried', 'dispatcher'],
    properties: {
      action: { const: 'retry-lifecycle-events' },
      retried: { type: 'integer' },
      dispatcher: { type: 'string', enum: ['woken', 'not-running'] },
    },
  },
  PersonRetryResult: {
    type: 'object',
    required: ['action', 'externalID', 'retried'],
    properties: {
      action: { const: 'retry' },
      externalID: str(),
      retried: {
        type: 'array',
        description: 'Each run of the person that waited, with what its retry led to.',
        items: {
          allOf: [
            ref('AttentionAnswer'),
            {
              type: 'object',
              required: ['lifecycle', 'externalID', 'workflowId'],
              properties: { lifecycle: ref('Lifecycle'), externalID: str(), workflowId: str() },
            },
          ],
        },
      },
      links,
    },
  },
  BulkRetryResult: {
    type: 'object',
    required: ['query', 'dryRun', 'found', 'resolved', 'stillWaiting', 'notWaiting', 'failed', 'runs'],
    properties: {
      query: str('The visibility query that found the runs (paste it into the Temporal UI).'),
      dryRun: { type: 'boolean' },
      found: { type: 'integer' },
      resolved: { type: 'integer' },
      stillWaiting: { type: 'integer' },
      notWaiting: { type: 'integer', description: 'Stopped waiting between the listing and the retry.' },
      failed: { type: 'integer' },
      runs: {
        type: 'array',
        items: {
          type: 'object',
          required: ['lifecycle', 'externalID', 'workflowId', 'result'],
          properties: {
            lifecycle: ref('Lifecycle'),
            externalID: str(),
            workflowId: str(),
            code: str('The AttentionCode it waited on.'),
            result: {
              type: 'string',
              enum: ['resolved', 'still-needs-attention', 'not-waiting', 'failed', 'would-retry'],
            },
            answer: { type: 'object', additionalProperties: true },
            error: str('For `failed`: the innermost cause.'),
          },
        },
      },
    },
  },
  RunList: {
    type: 'object',
    required: ['runs', 'count', 'query'],
    properties: {
      runs: {
        type: 'array',
        items: {
          type: 'object',
          required: ['lifecycle', 'workflowId', 'runStatus', 'startTime'],
          properties: {
            lifecycle: str(),
            externalID: str(),
            stage: str(),
            workflowId: str(),
            runStatus: str(),
            startTime: str(),
            name: str('With `q`: the person’s name when it matched (and the API could decrypt it).'),
          },
        },
      },
      count: { type: 'integer' },
      query: str('The same filter as a Temporal visibility query (paste it into the Web UI).'),
    },
  },
  Health: {
    type: 'object',
    required: ['status', 'temporal'],
    properties: {
      status: { const: 'ok' },
      temporal: {
        type: 'object',
        properties: { reachable: { type: 'boolean' }, latencyMs: { type: 'integer' } },
      },
    },
  },
};
