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

  it('cover every irreversible activity by type', () => {
    // Every deletion and deactivation the workers register, whatever its module.
    const registered = Object.keys(createActivities({} as ActivityDependencies));
    const irreversible = registered.filter((name) => /^(delete|deactivate)/.test(name));
    assert.ok(irreversible.length >= 9, irreversible.join(', '));
    for (const name of irreversible) assert.ok(name in auditedActivities, `${name} is audited`);
    assert.deepEqual(Object.keys(auditedActivities).sort(), [
      'deactivateAccount',
      'deactivateById',
      'deactivateUser',
      'deleteAccount',
      'deleteCleanupAccount',
      'deleteDeactivatedAccount',
      'deletePendingUser',
      'deleteUser',
      'deleteUserInStatus',
      'logoutUserById',
      'recordRetentionRaisedToFloor',
    ]);
  });
});

describe('audit interceptor on the Staffbase workers (time-skipping server, simulator)', () => {
  let stack: LifecycleTestStack;
  const records: AuditRecord[] = [];
  useLifecycleTestStack(
    { server: 'time-skipping', longLivedWorkers: true, audit: (record) => records.push(record) },
    (started) => (stack = started),
  );

  it('writes one line for the deactivation and one for the deletion of a leaver, without personal data', async () => {
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
