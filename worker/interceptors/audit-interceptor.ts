/**
 * The worker side of the audit trail: an activity inbound interceptor that writes one audit line
 * (and counts it in the worker's metrics) for every Staffbase call that acts on a person and
 * completed — creations, changes, logouts, recovery codes, reactivations, deactivations, deletions,
 * and the logouts of a population logout. It sits around the activities
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
  ensureOnboardingUser: 'account-created',
  createAccount: 'account-created',
  reactivateUser: 'account-reactivated',
  reactivateById: 'account-reactivated',
  logoutEverywhere: 'user-logged-out',
  endSessions: 'user-logged-out',
  logoutAccount: 'user-logged-out',
  applyMoverChange: 'account-changed',
  updateUserFields: 'account-changed',
  addUserToGroup: 'account-changed',
  sendRecoveryCode: 'recovery-code-sent',
  sendRecoveryCodeTo: 'recovery-code-sent',
  // Not a Staffbase call: the record of a run raising its deletion to the worker's floor.
  recordRetentionRaisedToFloor: 'retention-raised-to-floor',
  // Not a Staffbase call: the store-erase Schedule emptying names in the store's person index.
  eraseDeletedPeopleNames: 'store-erased',
  // Not a Staffbase call: the reconcile-erase Schedule deleting snapshot rows (names, emails) of ended plans.
  eraseReconcileSnapshots: 'reconcile-snapshots-erased',
};

/**
 * Activities whose string argument is an externalID (or either identifier), not a Staffbase id: their
 * line takes the Staffbase id from the result only.
 */
const externalIdArgument = new Set(['logoutEverywhere', 'sendRecoveryCode']);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const stringField = (value: unknown, key: string): string | undefined =>
  isRecord(value) && typeof value[key] === 'string' ? value[key] : undefined;

/**
 * `onboarding-emp-1` → `emp-1`: the lifecycles' and the single-person support operations' workflow
 * ids carry the externalID (lifecycle/workflow-ids.ts).
 */
function externalIdOfWorkflow(workflowId: string | undefined): string | undefined {
  const match = /^(?:onboarding|offboarding|mover|recovery-code|user-logout)-(.+)$/.exec(workflowId ?? '');
  return match?.[1];
}

/**
 * A result's field only when it is a code (`reactivated-since`, `sso-user`): some results carry
 * Staffbase's own message in `reason`, which can quote a person's name or email.
 */
function codeField(value: unknown, key: string): string | undefined {
  const text = stringField(value, key);
  return text !== undefined && /^[A-Za-z0-9_.:-]{1,64}$/.test(text) ? text : undefined;
}

/** The Staffbase id an activity's result names (`staffbaseUserId`, `account.staffbaseUserId`, `userId`). */
function staffbaseIdOfResult(result: unknown): string | undefined {
  return (
    stringField(result, 'staffbaseUserId') ??
    stringField(isRecord(result) ? result.account : undefined, 'staffbaseUserId') ??
    stringField(result, 'userId')
  );
}

/** The audit record of one completed call, from its first argument and its result. */
export function auditRecordOf(
  event: AuditEvent,
  firstArg: unknown,
  result: unknown,
  workflowId: string | undefined,
  options: { argumentMayBeExternalId?: boolean } = {},
): AuditRecord {
  const fromArgument =
    typeof firstArg === 'string'
      ? options.argumentMayBeExternalId
        ? undefined
        : firstArg
      : stringField(firstArg, 'staffbaseUserId');
  const staffbaseUserId = fromArgument ?? staffbaseIdOfResult(result);
  const outcome =
    typeof result === 'string' ? result : (stringField(result, 'result') ?? stringField(result, 'outcome'));
  const request = isRecord(firstArg) ? firstArg.request : undefined;
  return {
    event,
    staffbaseUserId,
    externalID:
      stringField(firstArg, 'externalID') ??
      stringField(request, 'externalID') ??
      externalIdOfWorkflow(workflowId),
    workflowId,
    via: 'worker',
    outcome,
    // `auditReason` is text our own code wrote for the audit (ids, dates, setting names), so it is
    // kept whole; any other reason only when it is a code.
    reason: stringField(result, 'auditReason') ?? codeField(result, 'refusal') ?? codeField(result, 'reason'),
    // A mass act's count (the store-erase Schedule's people erased).
    ...(isRecord(result) && typeof result.count === 'number' && { count: result.count }),
  };
}

/**
 * Writes a record's row in the store's audit trail (store/audit-records.ts); resolves once written.
 * [choice] No dedupe: a retried activity whose first attempt wrote its row and then failed to report
 * completion writes a second row for the same act: the trail may show an act twice, never zero times.
 */
export type AuditRowSink = (record: AuditRecord) => Promise<unknown>;

class AuditInboundInterceptor implements ActivityInboundCallsInterceptor {
  constructor(
    private readonly context: Context,
    private readonly event: AuditEvent,
    private readonly sink: AuditSink,
    private readonly rows: AuditRowSink | undefined,
  ) {}

  async execute(
    input: ActivityExecuteInput,
    next: Next<ActivityInboundCallsInterceptor, 'execute'>,
  ): Promise<unknown> {
    const result: unknown = await next(input);
    const { info } = this.context;
    const record = auditRecordOf(this.event, input.args[0], result, info.workflowExecution?.workflowId, {
      argumentMayBeExternalId: externalIdArgument.has(info.activityType),
    });
    this.sink(record);
    // Before the activity completes: a row that cannot be written fails the attempt (the log line is
    // written), and Temporal retries it like any failed attempt (the activities compare before they
    // act, e.g. a deletion retried finds the account `already-gone`).
    if (this.rows) await this.rows(record);
    this.context.metricMeter
      .createCounter(
        'staffbase_lifecycle_audit_events',
        'events',
        'Acts on people and mass actions, by event and outcome',
      )
      .add(1, { event: record.event, outcome: record.outcome ?? 'unknown' });
    return result;
  }
}

/** The interceptor factory for `Worker.create({ interceptors: { activity: [...] } })`. */
export function auditActivityInterceptors(
  sink: AuditSink,
  /** With the store: each record's row as well, awaited before the activity completes. */
  rows?: AuditRowSink,
): ActivityInterceptorsFactory {
  return (context) => {
    const event = auditedActivities[context.info.activityType];
    return event ? { inbound: new AuditInboundInterceptor(context, event, sink, rows) } : {};
  };
}
