import { defineQuery, defineUpdate } from '@temporalio/workflow';

/**
 * The messages of a reconcile run (workflows/reconcile.ts), for the CLI and the HR API: approve or
 * discard a plan held for approval, and the run's status. Workflow ID `reconcile-<planId>`.
 */
export interface ReconcileDecisionRequest {
  decision: 'approve' | 'discard';
  /** Who decides: the admin key (`admin-key`) or the CLI (`cli`), and the operator when known. */
  by: { kind: string; user?: string | null };
  /** Why: audited. */
  reason?: string;
}

export interface ReconcileDecisionAnswer {
  decided: boolean;
  status: string;
}

export const decideReconcilePlanUpdate = defineUpdate<ReconcileDecisionAnswer, [ReconcileDecisionRequest]>(
  'decide',
);
export const reconcileStatusQuery = defineQuery<string>('reconcileStatus');

/** Update failure type: the plan is not held for approval. */
export const planNotHeldType = 'PlanNotHeld';

export function reconcileWorkflowId(planId: string): string {
  return `reconcile-${planId}`;
}
