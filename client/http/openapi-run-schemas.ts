/**
 * The response schemas for what the runs themselves report — a lifecycle run's status and outcome,
 * an attention answer, a bulk run's progress and outcome — written from the workflows' message types
 * (workflows/*-messages.ts, lifecycle/attention.ts). The HR console's types are generated from them
 * (tooling/console-api-types.ts), so a field the console reads is a field this document promises.
 */
import { type JsonSchema, ref, str } from './openapi-responses';

const int = { type: 'integer' };
const bool = { type: 'boolean' };
const oneOf = (...values: string[]) => ({ type: 'string', enum: values });
const object = (required: string[], properties: Record<string, JsonSchema>, open = false): JsonSchema => ({
  type: 'object',
  required,
  properties,
  // Open where the workflow may add fields over time: a client reads what it knows.
  ...(open && { additionalProperties: true }),
});

export const runSchemas: Record<string, JsonSchema> = {
  LeaveOutcome: object(['result', 'externalID', 'reactivated'], {
    result: oneOf('returned', 'ended', 'cancelled', 'kept', 'ended-by-offboarding', 'refused'),
    externalID: str(),
    staffbaseUserId: str(),
    deactivatedAt: str(),
    reactivated: { ...bool, description: 'Whether this leave reactivated the account.' },
    keptBecause: oneOf('reactivated-since', 'account-replaced', 'user-not-found', 'deactivated-before-leave'),
    refusedBecause: oneOf('onboarding-open', 'offboarding-open'),
    reason: str(),
  }),
  LeaveStatus: object(['stage', 'externalID', 'from'], {
    stage: oneOf('scheduled', 'deactivating', 'on-leave', 'reactivating', 'needs-attention', 'completed'),
    externalID: str(),
    from: str('The first day of leave.'),
    until: str('The first day back; absent: open-ended.'),
    staffbaseUserId: str(),
    deactivateAt: str('The end of the working day before `from` (policy time zone).'),
    reactivateAt: str('The start of `until` (policy time zone).'),
    deactivatedAt: str(),
    attention: ref('AttentionReason'),
    outcome: ref('LeaveOutcome'),
  }),
  StartedLeave: object(['status', 'lifecycle', 'externalID', 'workflowId', 'links'], {
    status: oneOf('started', 'already-running'),
    lifecycle: { const: 'leave' },
    externalID: str(),
    workflowId: str('`leave-<externalID>`.'),
    runId: str(),
    links: { type: 'object', additionalProperties: { type: 'string' } },
  }),
  LeaveActionResult: object(['action', 'lifecycle', 'externalID', 'workflowId'], {
    action: str(),
    lifecycle: { const: 'leave' },
    externalID: str(),
    workflowId: str(),
    leave: ref('LeaveStatus'),
    outcome: { ...ref('LeaveOutcome'), description: 'For end and cancel: how the leave ended.' },
    links: { type: 'object', additionalProperties: { type: 'string' } },
  }),
  Lifecycle: oneOf('onboarding', 'offboarding'),
  OnboardingStatus: object(
    ['stage', 'externalID', 'remindersSent'],
    {
      stage: oneOf(
        'scheduled',
        'creating-account',
        'needs-attention',
        'awaiting-activation',
        'finishing',
        'completed',
      ),
      externalID: str(),
      staffbaseUserId: str(),
      startDate: str(),
      invitedAt: str(),
      remindersSent: int,
      nextAction: object(['kind', 'at'], {
        kind: oneOf('send-invitation', 'send-reminder', 'check-status', 'expire'),
        at: str(),
      }),
      attention: ref('AttentionReason'),
      outcome: ref('OnboardingOutcome'),
    },
    true,
  ),
  OnboardingOutcome: object(
    ['result', 'externalID', 'remindersSent'],
    {
      result: oneOf(
        'activated',
        'expired',
        'cancelled',
        'rehire-refused',
        'account-deleted-elsewhere',
        'refused-on-leave',
      ),
      externalID: str(),
      staffbaseUserId: str(),
      remindersSent: int,
      activatedVia: oneOf('signal', 'status-check', 'already-activated', 'reactivated'),
      accountAction: oneOf('left-pending', 'deleted', 'never-created', 'kept'),
      settledOffboarding: oneOf('cancelled', 'deleted-before-rehire'),
      vanishedWhileReactivating: { type: 'array', items: str() },
      reason: str(),
    },
    true,
  ),
  OffboardingOutcome: object(
    ['result', 'externalID'],
    {
      result: oneOf('deleted', 'cancelled', 'cancelled-by-rehire', 'kept', 'user-not-found'),
      externalID: str(),
      staffbaseUserId: str(),
      deactivatedAt: str(),
      deletedAt: str(),
      reactivated: bool,
      alreadyGone: bool,
      keptBecause: oneOf('reactivated-since', 'account-replaced'),
      cancelledOnboarding: bool,
      reason: str(),
    },
    true,
  ),
  OnboardingRunState: {
    allOf: [
      ref('RunState'),
      { type: 'object', properties: { status: ref('OnboardingStatus'), outcome: ref('OnboardingOutcome') } },
    ],
  },
  OffboardingRunState: {
    allOf: [
      ref('RunState'),
      {
        type: 'object',
        properties: { status: ref('OffboardingStatus'), outcome: ref('OffboardingOutcome') },
      },
    ],
  },
  AttentionAnswer: object(['result', 'stage'], {
    result: {
      ...oneOf('resolved', 'still-needs-attention', 'run-ended'),
      description:
        '`resolved`: the step went through, the run goes on; `still-needs-attention`: refused again; ' +
        '`run-ended`: the run stopped waiting for another reason meanwhile (cancelled, expired), nothing retried.',
    },
    attention: ref('AttentionReason'),
    stage: str('The run’s stage after the retry.'),
  }),
  BulkFailure: object(['staffbaseUserId', 'reason'], { staffbaseUserId: str(), reason: str() }),
  BulkProgress: object(
    [
      'operation',
      'phase',
      'dryRun',
      'filter',
      'statuses',
      'done',
      'failed',
      'skipped',
      'pagesDone',
      'run',
      'failures',
      'startedAt',
    ],
    {
      operation: str('`population-logout` or `cleanup-<kind>`.'),
      phase: oneOf('counting', 'awaiting-confirmation', 'running', 'completed'),
      dryRun: bool,
      filter: str('The filter the run pages through (statuses are ANDed onto it).'),
      statuses: { type: 'array', items: str() },
      total: int,
      done: int,
      failed: int,
      skipped: int,
      pagesDone: int,
      run: { ...int, description: 'Which run of the continue-as-new chain answers (1 = the first).' },
      confirmAbove: int,
      confirmed: bool,
      failures: { type: 'array', items: ref('BulkFailure') },
      startedAt: str(),
    },
    true,
  ),
  BulkOutcome: object(
    ['result', 'operation', 'filter', 'total', 'done', 'failed', 'skipped', 'pagesDone', 'runs', 'failures'],
    {
      result: oneOf('completed', 'dry-run', 'cancelled', 'invalid-filter', 'too-many-failures', 'incomplete'),
      operation: str(),
      filter: str(),
      total: int,
      done: int,
      failed: int,
      skipped: int,
      pagesDone: int,
      runs: int,
      sample: {
        type: 'array',
        description: 'Dry runs: who would be affected.',
        items: { type: 'object', additionalProperties: true },
      },
      failures: { type: 'array', items: ref('BulkFailure') },
      reason: str(),
    },
    true,
  ),
  BulkState: object(['workflowId', 'runId', 'runStatus', 'startTime'], {
    workflowId: str(),
    runId: str(),
    runStatus: str("Temporal's view: RUNNING, COMPLETED, FAILED, TERMINATED, CANCELED, TIMED_OUT."),
    startTime: str(),
    closeTime: str(),
    progress: ref('BulkProgress'),
    outcome: ref('BulkOutcome'),
    failure: str('When the run failed or was terminated: why.'),
    links: { type: 'object', additionalProperties: { type: 'string' } },
  }),
  BulkRunList: object(['runs', 'count'], {
    runs: {
      type: 'array',
      items: object(['workflowId', 'workflowType', 'runStatus', 'startTime'], {
        workflowId: str(),
        workflowType: str(),
        runStatus: str(),
        startTime: str(),
        closeTime: str(),
        links: { type: 'object', additionalProperties: { type: 'string' } },
      }),
    },
    count: int,
  }),
};
