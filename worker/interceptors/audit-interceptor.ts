/**
 * The worker side of the audit trail: an activity inbound interceptor that writes one audit line
 * (and counts it in the worker's metrics) for every irreversible Staffbase call that completed —
 * deletions, deactivations, and the logouts of a population logout. It sits around the activities
 * instead of inside them so that the activities stay about Staffbase, and so that no irreversible
 * activity can be added to the list without being audited by type.
 *
 * Only identifiers go into the line (Staffbase id, externalID, workflow id) and the activity's
 * result; never an activity's whole input or output, which may hold names or emails.
 */
import { type Context } from '@temporalio/activity';
import {
  type ActivityExecuteInput,
  type ActivityInboundCallsInterceptor,
  type ActivityInterceptorsFactory,
  type Next,
} from '@temporalio/worker';
import { type AuditEvent, type AuditRecord, type AuditSink } from '../../lifecycle/audit/audit-record';

/** The irreversible activities, by type, and the audit event each writes. */
export const auditedActivities: Readonly<Record<string, AuditEvent>> = {
  deleteUser: 'account-deleted',
  deleteDeactivatedAccount: 'account-deleted',
  deletePendingUser: 'account-deleted',
  deleteUserInStatus: 'account-deleted',
  deleteAccount: 'account-deleted',
  deleteCleanupAccount: 'account-deleted',
  deactivateUser: 'account-deactivated',
  deactivateAccount: 'account-deactivated',
  deactivateById: 'account-deactivated',
  logoutUserById: 'user-logged-out-by-population-logout',
  // Not a Staffbase call: the record of a run raising its deletion to the worker's floor.
  recordRetentionRaisedToFloor: 'retention-raised-to-floor',
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const stringField = (value: unknown, key: string): string | undefined =>
  isRecord(value) && typeof value[key] === 'string' ? value[key] : undefined;

/** `onboarding-emp-1` → `emp-1`: the lifecycles' workflow ids carry the externalID. */
function externalIdOfWorkflow(workflowId: string | undefined): string | undefined {
  const match = /^(?:onboarding|offboarding)-(.+)$/.exec(workflowId ?? '');
  return match?.[1];
}

/** The audit record of one completed call, from its first argument and its result. */
export function auditRecordOf(
  event: AuditEvent,
  firstArg: unknown,
  result: unknown,
  workflowId: string | undefined,
): AuditRecord {
  const staffbaseUserId = typeof firstArg === 'string' ? firstArg : stringField(firstArg, 'staffbaseUserId');
  const outcome = typeof result === 'string' ? result : stringField(result, 'result');
  return {
    event,
    staffbaseUserId,
    externalID: stringField(firstArg, 'externalID') ?? externalIdOfWorkflow(workflowId),
    workflowId,
    via: 'worker',
    outcome,
    reason: stringField(result, 'reason'),
  };
}

class AuditInboundInterceptor implements ActivityInboundCallsInterceptor {
  constructor(
    private readonly context: Context,
    private readonly event: AuditEvent,
    private readonly sink: AuditSink,
  ) {}

  async execute(
    input: ActivityExecuteInput,
    next: Next<ActivityInboundCallsInterceptor, 'execute'>,
  ): Promise<unknown> {
    const result: unknown = await next(input);
    const { info } = this.context;
    const record = auditRecordOf(this.event, input.args[0], result, info.workflowExecution?.workflowId);
    this.sink(record);
    this.context.metricMeter
      .createCounter(
        'staffbase_lifecycle_audit_events',
        'events',
        'Irreversible or mass actions, by event and outcome',
      )
      .add(1, { event: record.event, outcome: record.outcome ?? 'unknown' });
    return result;
  }
}

/** The interceptor factory for `Worker.create({ interceptors: { activity: [...] } })`. */
export function auditActivityInterceptors(sink: AuditSink): ActivityInterceptorsFactory {
  return (context) => {
    const event = auditedActivities[context.info.activityType];
    return event ? { inbound: new AuditInboundInterceptor(context, event, sink) } : {};
  };
}
