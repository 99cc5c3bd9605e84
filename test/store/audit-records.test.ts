/** How an audit record (the log line's fields) becomes an audit row: the mapping every writer shares. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { auditEntryOf } from '../../store';

describe('audit records as rows (store/audit-records.ts)', () => {
  it('maps who, what, which person and run, the outcome, and the reason with the other facts after it', () => {
    assert.deepEqual(
      auditEntryOf({
        event: 'delete-now-requested',
        externalID: 'emp-7',
        staffbaseUserId: 'sb-42',
        workflowId: 'offboarding-emp-7',
        via: 'admin-key',
        requestedBy: 'grace@sso',
        claimedBy: 'Ada (HR)',
        at: '2026-12-07T09:00:00.000Z',
        reason: 'ticket HR-1',
        outcome: 'retention',
      }),
      {
        at: '2026-12-07T09:00:00.000Z',
        actor: { kind: 'admin-key', user: 'grace@sso' },
        action: 'delete-now-requested',
        externalID: 'emp-7',
        runId: 'offboarding-emp-7',
        outcome: 'retention',
        reason: 'ticket HR-1 [claimedBy: Ada (HR); staffbaseUserId: sb-42]',
      },
    );
  });

  it('fills what a record lacks: the time it is written, an unknown actor, no reason; a count alone', () => {
    const before = Date.now();
    const entry = auditEntryOf({ event: 'store-erased', count: 3, at: '7 December' });
    assert.ok(Date.parse(entry.at ?? '') >= before, 'a time not in the store’s form is replaced by now');
    assert.deepEqual(
      { ...entry, at: undefined },
      {
        at: undefined,
        actor: { kind: 'unknown', user: null },
        action: 'store-erased',
        externalID: null,
        runId: null,
        outcome: null,
        reason: '[count: 3]',
      },
    );
    assert.equal(auditEntryOf({ event: 'account-deleted', via: 'worker' }).reason, null);
  });

  it('cleans text as the log line does: no control characters, bounded lengths', () => {
    const entry = auditEntryOf({
      event: 'account-changed',
      via: 'worker',
      reason: `line one\nline two${'x'.repeat(300)}`,
      outcome: 'o'.repeat(100),
    });
    assert.ok(!/[\n\r]/.test(entry.reason ?? ''));
    assert.equal(entry.reason?.length, 200);
    assert.equal(entry.outcome?.length, 64);
  });
});
