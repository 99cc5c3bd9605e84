import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ActivityDependencies, createActivities } from '../../activities';
import { startOffboarding } from '../../client/lifecycle-runs';
import { type AuditRecord, auditFields, auditSink } from '../../lifecycle/audit/audit-record';
import { auditRecordOf, auditedActivities } from '../../worker/interceptors/audit-interceptor';
import { type LifecycleTestStack, useLifecycleTestStack } from '../helpers/lifecycle-stack';
import { offboardingPolicy, uniqueSuffix } from '../helpers/people';

describe('audit records', () => {
  it('name the account by identifiers only, from the activity’s argument and result', () => {
    assert.deepEqual(
      auditRecordOf(
        'account-deleted',
        { staffbaseUserId: 'sb-1', externalID: 'emp-1', deactivationMark: 'x' },
        { result: 'kept', reason: 'reactivated-since' },
        'offboarding-emp-1',
      ),
      {
        event: 'account-deleted',
        staffbaseUserId: 'sb-1',
        externalID: 'emp-1',
        workflowId: 'offboarding-emp-1',
        via: 'worker',
        outcome: 'kept',
        reason: 'reactivated-since',
      },
    );
    // A bare Staffbase id (deleteUser, logoutUserById): the externalID comes from the lifecycle's workflow id.
    const record = auditRecordOf('account-deleted', 'sb-2', 'already-gone', 'onboarding-emp-2');
    assert.equal(record.externalID, 'emp-2');
    assert.equal(
      auditRecordOf('account-deleted', 'sb-3', 'deleted', 'cleanup-pending-accounts').externalID,
      undefined,
    );
  });

  it('keep to their fields: no control characters, nothing but the known fields', () => {
    const lines: Record<string, unknown>[] = [];
    const sink = auditSink((_message, fields) => lines.push(fields));
    sink({
      event: 'delete-now-requested',
      requestedBy: 'grace\nforged: true',
      ...({ email: 'ada@example.com' } as Partial<AuditRecord>),
    });
    assert.deepEqual(lines, [
      { audit: true, event: 'delete-now-requested', requestedBy: 'grace forged: true' },
    ]);
    assert.deepEqual(auditFields({ event: 'cleanup-confirmed', count: 3 }), {
      audit: true,
      event: 'cleanup-confirmed',
      count: 3,
    });
  });

  it('cover every activity that acts on a person, by type', () => {
    // Every write the workers register, whatever its module: creations, changes, logouts, recovery
    // codes, reactivations, deactivations, deletions. Reads (read, find, look, list, is, get) are not acts.
    const registered = Object.keys(createActivities({} as ActivityDependencies));
    // applyReconcileEntries starts lifecycle runs through the one home of starts (their acts are audited
    // by the runs' own activities) and writes the plan's audit rows itself: it calls no Staffbase write.
    const startsRunsOnly = new Set(['applyReconcileEntries']);
    const acts = registered.filter(
      (name) =>
        /^(delete|deactivate|reactivate|logout|endSessions|sendRecoveryCode|create|ensure|update|add|apply)/.test(
          name,
        ) && !startsRunsOnly.has(name),
    );
    assert.ok(acts.length >= 21, acts.join(', '));
    for (const name of acts) assert.ok(name in auditedActivities, `${name} is audited`);
    // Whatever is neither audited nor a read, notifier or coordination step would be an unaudited act.
    const notActs = registered.filter((name) => !(name in auditedActivities));
    for (const name of notActs) {
      assert.match(
        name,
        // offboardingRetentionFloor and bulkSafetyLimits read the worker's own configuration;
        // checkActivatedAmong reads statuses (the activation sweep); runsWaitingOnAccount and
        // offboardingsInRetentionOfUser ask Temporal which runs an event concerns (Staffbase's events);
        // requestBatchedLookup, deliverBatchedLookupAnswers and batchedLookupPending only signal or query
        // runs (bulk offboardings' look-ups); recordPersonStage writes the project's own person index,
        // never Staffbase; endLeaveForLeaver ends a leave run (no Staffbase request, like the cancel…
        // coordination steps), leaveRefusal asks Temporal whether another run of the person is open and
        // settleBeforeOnboarding does that and then cancelOffboardingForRehire's work (Temporal only); lifecycleEventHeads, deliverLifecycleEvent and parkLifecycleEvent read the
        // event outbox and deliver to subscribers (docs/events.md), never to Staffbase; the reconciliation's
        // plan steps (classify, decide, apply, finish) work on the store and start runs (above).
        /^(read|find|look|list|is|get|resolve|notify|sendInvitationReminder|cancel|endLeaveForLeaver$|leaveRefusal$|settleBeforeOnboarding$|offboardingRetentionFloor$|bulkSafetyLimits$|checkActivatedAmong$|runsWaitingOnAccount$|offboardingsInRetentionOfUser$|requestBatchedLookup$|deliverBatchedLookupAnswers$|batchedLookupPending$|recordPersonStage$|lifecycleEventHeads$|deliverLifecycleEvent$|parkLifecycleEvent$|applyReconcileEntries$|classifyReconcilePlan$|decideReconcilePlan$|finishReconcilePlan$)/,
        `${name}: audit it, or say here why it does not act on a person`,
      );
    }
    assert.deepEqual(Object.keys(auditedActivities).sort(), [
      'addUserToGroup',
      'applyMoverChange',
      'createAccount',
      'deactivateAccount',
      'deactivateById',
      'deactivateUser',
      'deleteAccount',
      'deleteCleanupAccount',
      'deleteDeactivatedAccount',
      'deletePendingUser',
      'deleteUser',
      'deleteUserInStatus',
      'endSessions',
      'ensureOnboardingUser',
      // The store-erase Schedule's activity (not in createActivities: it needs the store).
      'eraseDeletedPeopleNames',
      // The reconcile-erase Schedule's activity: snapshot rows of ended plans deleted, with the count.
      'eraseReconcileSnapshots',
      'logoutAccount',
      'logoutEverywhere',
      'logoutUserById',
      'reactivateById',
      'reactivateUser',
      'recordRetentionRaisedToFloor',
      'sendRecoveryCode',
      'sendRecoveryCodeTo',
      'updateUserFields',
    ]);
  });

  it('take the Staffbase id from the result where the argument is an externalID, and only codes as reasons', () => {
    const recovery = auditRecordOf(
      'recovery-code-sent',
      'emp-7',
      {
        result: 'refused',
        staffbaseUserId: 'sb-7',
        refusal: 'refused-by-staffbase',
        reason: 'ada@example.com is taken',
      },
      'recovery-code-emp-7',
      { argumentMayBeExternalId: true },
    );
    assert.equal(recovery.staffbaseUserId, 'sb-7');
    assert.equal(recovery.externalID, 'emp-7');
    assert.equal(
      recovery.reason,
      'refused-by-staffbase',
      'never Staffbase’s message, which may quote an email',
    );
    const created = auditRecordOf(
      'account-created',
      { request: { externalID: 'emp-8', email: 'ada@example.com' }, rehirePolicy: 'reactivate' },
      { userId: 'sb-8', status: 'pending', outcome: 'created' },
      'onboarding-emp-8',
    );
    assert.deepEqual(
      [created.externalID, created.staffbaseUserId, created.outcome],
      ['emp-8', 'sb-8', 'created'],
    );
    assert.ok(!JSON.stringify(auditFields(created)).includes('ada@'));
  });
});

describe('audit interceptor on the Staffbase workers (time-skipping server, simulator)', () => {
  let stack: LifecycleTestStack;
  const records: AuditRecord[] = [];
  useLifecycleTestStack(
    { server: 'time-skipping', longLivedWorkers: true, audit: (record) => records.push(record) },
    (started) => (stack = started),
  );

  it('writes one line for the logout, the deactivation and the deletion of a leaver, without personal data', async () => {
    const id = uniqueSuffix();
    const externalID = `audited-${id}`;
    const user = await stack.control.seedUser({
      externalID,
      userName: `audited.${id}`,
      firstName: 'Grace',
      lastName: 'Hopper',
      emails: [{ value: `grace.${id}@example.test`, primary: true }],
      status: 'activated',
    });
    const run = stack.track(
      await startOffboarding(stack.env.client, { externalID, retentionDays: 1 }, offboardingPolicy()),
    );
    await stack.env.client.workflow.getHandle(run.workflowId).result();
    const mine = records.filter((record) => record.workflowId === run.workflowId);
    assert.deepEqual(
      mine.map((record) => [record.event, record.outcome]),
      [
        ['user-logged-out', 'logged-out'],
        ['account-deactivated', 'deactivated'],
        ['account-deleted', 'deleted'],
      ],
    );
    for (const record of mine) {
      assert.equal(record.staffbaseUserId, user.id);
      assert.equal(record.externalID, externalID);
      const text = JSON.stringify(auditFields(record));
      for (const personal of ['Grace', 'Hopper', `grace.${id}@example.test`, `audited.${id}`]) {
        assert.ok(!text.includes(personal), `${personal} is not in the audit line`);
      }
    }
  });
});
