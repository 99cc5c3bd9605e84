/**
 * The audit records of acts on one person that the HR API and the CLI both offer, built in one place
 * so both write the same line (the HTTP API and the CLI then add who asked, when and how). Identifiers
 * and outcomes only: never a field of the request, which may hold a name or an email.
 */
import { type AuditEvent, type AuditRecord } from '../lifecycle/audit/audit-record';
import { type PersonLifecycle, lifecycleWorkflowId } from '../lifecycle/workflow-ids';
import { type OffboardingOutcome, type OffboardingStatus } from '../workflows/offboarding-messages';
import { type StartedRun } from './lifecycle-runs';
import { type BulkRetrySummary } from './attention-actions';

export type PersonActAudit = Omit<AuditRecord, 'via' | 'requestedBy' | 'claimedBy' | 'at'>;

const startEvents: Record<PersonLifecycle, AuditEvent> = {
  onboarding: 'onboarding-started',
  offboarding: 'offboarding-started',
  leave: 'leave-started',
};

/** A start request the service took (started, or the open run found); none for `already-completed`. */
export function startAudit(
  run: Omit<StartedRun, 'lifecycle'> & { lifecycle: PersonLifecycle },
  externalID: string,
): PersonActAudit | undefined {
  if (run.status === 'already-completed') return undefined;
  return {
    event: startEvents[run.lifecycle],
    externalID,
    workflowId: run.workflowId,
    outcome: run.status,
  };
}

/** An action the open onboarding run was signalled (it takes it on its own time). */
export function onboardingSignalAudit(event: AuditEvent, externalID: string): PersonActAudit {
  return {
    event,
    externalID,
    workflowId: lifecycleWorkflowId('onboarding', externalID),
    outcome: 'signalled',
  };
}

/** A cancelled offboarding; after the deactivation that is a reactivation, and the line says so. */
export function offboardingCancelAudit(externalID: string, outcome: OffboardingOutcome): PersonActAudit {
  return {
    event: 'offboarding-cancelled',
    externalID,
    workflowId: lifecycleWorkflowId('offboarding', externalID),
    staffbaseUserId: outcome.staffbaseUserId,
    outcome: outcome.reactivated ? 'reactivated' : outcome.result,
  };
}

/** An update the open offboarding took (delete-now, legal hold, release, retention): its status after it. */
export function offboardingActionAudit(
  event: AuditEvent,
  externalID: string,
  status: OffboardingStatus,
): PersonActAudit {
  return {
    event,
    externalID,
    workflowId: lifecycleWorkflowId('offboarding', externalID),
    staffbaseUserId: status.staffbaseUserId,
    outcome: status.stage,
  };
}

/** A bulk retry: one line per run it retried (none for a dry run), each with what the retry led to. */
export function bulkRetryAudits(summary: BulkRetrySummary): PersonActAudit[] {
  if (summary.dryRun) return [];
  return summary.runs.map((run) => ({
    event: 'retry-requested',
    externalID: run.externalID,
    workflowId: run.workflowId,
    outcome: run.answer?.result ?? run.result,
  }));
}
