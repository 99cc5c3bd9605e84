/**
 * The audit records of acts on a person's leave, built in one place so the HR API and the CLI write the
 * same line. Identifiers and outcomes only.
 */
import { lifecycleWorkflowId } from '../lifecycle/workflow-ids';
import type { LeaveOutcome, LeaveStatus } from '../workflows/leave-messages';
import type { PersonActAudit } from './person-act-audits';

export function leaveStartAudit(externalID: string, status: 'started' | 'already-running'): PersonActAudit {
  return {
    event: 'leave-started',
    externalID,
    workflowId: lifecycleWorkflowId('leave', externalID),
    outcome: status,
  };
}

export function leaveUntilAudit(externalID: string, status: LeaveStatus): PersonActAudit {
  return {
    event: 'leave-until-changed',
    externalID,
    workflowId: lifecycleWorkflowId('leave', externalID),
    staffbaseUserId: status.staffbaseUserId,
    outcome: status.stage,
  };
}

/** An ended or cancelled leave; a reactivation says so. */
export function leaveEndAudit(
  externalID: string,
  act: 'end' | 'cancel',
  outcome: LeaveOutcome,
): PersonActAudit {
  return {
    event: act === 'end' ? 'leave-ended' : 'leave-cancelled',
    externalID,
    workflowId: lifecycleWorkflowId('leave', externalID),
    staffbaseUserId: outcome.staffbaseUserId,
    outcome: outcome.reactivated ? 'reactivated' : outcome.result,
  };
}
