/** The audit records the HR API and the CLI share: one per act taken, identifiers and outcomes only. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bulkRetryAudits,
  offboardingActionAudit,
  offboardingCancelAudit,
  startAudit,
} from '../../client/person-act-audits';

describe('audit records of acts on a person', () => {
  it('a start the service took is a line; a start refused as already completed is none', () => {
    assert.deepEqual(
      startAudit({ status: 'started', lifecycle: 'offboarding', workflowId: 'offboarding-emp-1' }, 'emp-1'),
      {
        event: 'offboarding-started',
        externalID: 'emp-1',
        workflowId: 'offboarding-emp-1',
        outcome: 'started',
      },
    );
    assert.equal(
      startAudit(
        {
          status: 'already-completed',
          lifecycle: 'onboarding',
          workflowId: 'onboarding-emp-1',
          closedStatus: 'COMPLETED',
        },
        'emp-1',
      ),
      undefined,
    );
  });

  it('an offboarding cancel after the deactivation says it reactivated the account', () => {
    const reactivated = offboardingCancelAudit('emp-2', {
      result: 'cancelled',
      externalID: 'emp-2',
      staffbaseUserId: 'sb-2',
      reactivated: true,
    });
    assert.equal(reactivated.outcome, 'reactivated');
    assert.equal(reactivated.staffbaseUserId, 'sb-2');
    assert.equal(reactivated.workflowId, 'offboarding-emp-2');
    assert.equal(
      offboardingCancelAudit('emp-3', { result: 'cancelled', externalID: 'emp-3' }).outcome,
      'cancelled',
    );
  });

  it('an offboarding action is a line with the stage it left the run in, identifiers only', () => {
    assert.deepEqual(
      offboardingActionAudit('legal-hold-placed', 'emp-6', {
        stage: 'on-hold',
        externalID: 'emp-6',
        staffbaseUserId: 'sb-6',
        legalHold: { reason: 'case-1', since: '2026-01-01T00:00:00Z' },
      }),
      {
        event: 'legal-hold-placed',
        externalID: 'emp-6',
        workflowId: 'offboarding-emp-6',
        staffbaseUserId: 'sb-6',
        outcome: 'on-hold',
      },
    );
  });

  it('a bulk retry writes one line per run it retried, none for a dry run', () => {
    const runs = [
      {
        lifecycle: 'onboarding' as const,
        externalID: 'emp-4',
        workflowId: 'onboarding-emp-4',
        result: 'resolved' as const,
      },
      {
        lifecycle: 'offboarding' as const,
        externalID: 'emp-5',
        workflowId: 'offboarding-emp-5',
        result: 'failed' as const,
      },
    ];
    const summary = {
      query: '',
      dryRun: false,
      found: 2,
      resolved: 1,
      stillWaiting: 0,
      notWaiting: 0,
      failed: 1,
      runs,
    };
    assert.deepEqual(
      bulkRetryAudits(summary).map((record) => [
        record.event,
        record.externalID,
        record.workflowId,
        record.outcome,
      ]),
      [
        ['retry-requested', 'emp-4', 'onboarding-emp-4', 'resolved'],
        ['retry-requested', 'emp-5', 'offboarding-emp-5', 'failed'],
      ],
    );
    assert.deepEqual(bulkRetryAudits({ ...summary, dryRun: true }), []);
  });
});
