/**
 * Reconciliation plans for the CLI and the HR API (docs/reconciliation.md): store a snapshot, start
 * its reconcile run (workflow `reconcile`, ID `reconcile-<planId>`), wait until the plan is made,
 * approve or discard a held plan, and read a plan with its entries. The snapshot and the plan live in
 * the store; the run gets the plan id only.
 */
import { randomUUID } from 'node:crypto';
import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { type LifecyclePolicies } from '../config/policies';
import type { AbsentPolicy, PlanEntry, SituationCounts } from '../lifecycle/reconcile/situations';
import type { SnapshotRow } from '../lifecycle/reconcile/snapshot-row';
import { taskQueues } from '../lifecycle/task-queues';
import type { LifecycleStore, PlanActor, PlanRecord, PlanStatus } from '../store';
import type { reconcile } from '../workflows/reconcile';
import {
  type ReconcileDecisionRequest,
  decideReconcilePlanUpdate,
  planNotHeldType,
  reconcileWorkflowId,
} from '../workflows/reconcile-messages';
import { ActionRefusedError } from './action-errors';

export interface NewPlanRequest {
  rows: Iterable<SnapshotRow> | AsyncIterable<SnapshotRow>;
  /** Where the snapshot came from: `cli`, `http` (no path, no URL). */
  source: string;
  dryRun: boolean;
  absent: AbsentPolicy;
  requestedBy: PlanActor;
  policies: LifecyclePolicies;
  /**
   * The day the plan compares dates with; default today in the policy's time zone. Not offered by the
   * CLI or the API: tests and the bench fix it to match a seeded corpus.
   */
  asOf?: string;
}

/** The `--json` shape of a plan (issue 30): exactly these keys. */
export interface PlanView {
  planId: string;
  status: PlanStatus;
  counts: SituationCounts | Record<string, never>;
  entries: PlanEntryView[];
}

export interface PlanEntryView {
  externalID: string | null;
  situation: PlanEntry['situation'];
  action: PlanEntry['action'];
  reason: string;
  /** Only for an account without an externalID. */
  staffbaseId?: string;
}

export class PlanNotFoundError extends Error {
  override readonly name = 'PlanNotFoundError';
  constructor(readonly planId: string) {
    super(`No reconciliation plan ${planId}`);
  }
}

/** Statuses in which a plan waits for nobody but a person (or is over). */
const settledStatuses: readonly PlanStatus[] = ['dry-run', 'held-for-approval', 'applied', 'discarded'];

/** How often a waiting caller looks at the plan in the store. */
const POLL_MS = 200;

export function entryView(entry: PlanEntry): PlanEntryView {
  return {
    externalID: entry.externalID,
    situation: entry.situation,
    action: entry.action,
    reason: entry.reason,
    ...(entry.externalID === null && entry.staffbaseId !== undefined && { staffbaseId: entry.staffbaseId }),
  };
}

/** Stores the snapshot and the plan, and starts the plan's reconcile run. */
export async function startReconcilePlan(
  client: Client,
  store: LifecycleStore,
  request: NewPlanRequest,
): Promise<PlanRecord> {
  const planId = `plan-${randomUUID()}`;
  const snapshot = await store.reconcile.createSnapshot({
    snapshotId: `snapshot-${randomUUID()}`,
    source: request.source,
    rows: request.rows,
  });
  const plan = await store.reconcile.createPlan({
    planId,
    snapshotId: snapshot.snapshotId,
    dryRun: request.dryRun,
    absent: request.absent,
    ...(request.asOf !== undefined && { asOf: request.asOf }),
    requestedBy: request.requestedBy,
    policies: request.policies,
  });
  await client.workflow.start<typeof reconcile>('reconcile', {
    workflowId: reconcileWorkflowId(planId),
    taskQueue: taskQueues.lifecycle,
    args: [{ planId }],
  });
  return plan;
}

/**
 * Waits until the plan is made and, when nothing holds it, applied: dry-run, held-for-approval,
 * applied or discarded. A run that fails on the way is reported, not waited on forever.
 */
export async function waitForSettledPlan(
  client: Client,
  store: LifecycleStore,
  planId: string,
  timeoutMs = 10 * 60_000,
): Promise<PlanRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const plan = await store.reconcile.plan(planId);
    if (!plan) throw new PlanNotFoundError(planId);
    if (settledStatuses.includes(plan.status)) return plan;
    const run = await client.workflow.getHandle(reconcileWorkflowId(planId)).describe();
    if (run.status.name !== 'RUNNING') {
      const again = await store.reconcile.plan(planId);
      if (again && settledStatuses.includes(again.status)) return again;
      throw new Error(
        `The reconcile run of plan ${planId} ended ${run.status.name} with the plan ${plan.status}`,
      );
    }
    if (Date.now() > deadline) throw new Error(`Plan ${planId} is still ${plan.status}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Approves or discards a held plan: an update of its run, which records the decision in the store and
 * the audit trail. Refused (ActionRefusedError) when the plan is not held for approval.
 */
export async function decideReconcilePlan(
  client: Client,
  store: LifecycleStore,
  planId: string,
  request: ReconcileDecisionRequest,
): Promise<PlanRecord> {
  const plan = await store.reconcile.plan(planId);
  if (!plan) throw new PlanNotFoundError(planId);
  if (plan.status !== 'held-for-approval')
    throw new ActionRefusedError(`plan ${planId} is ${plan.status}, not held for approval`, planNotHeldType);
  try {
    const answer = await client.workflow
      .getHandle(reconcileWorkflowId(planId))
      .executeUpdate(decideReconcilePlanUpdate, { args: [request] });
    if (!answer.decided)
      throw new ActionRefusedError(
        `plan ${planId} is ${answer.status}, not held for approval`,
        planNotHeldType,
      );
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new PlanNotFoundError(planId);
    if (
      error instanceof WorkflowUpdateFailedError &&
      error.cause instanceof ApplicationFailure &&
      error.cause.type === planNotHeldType
    )
      throw new ActionRefusedError(error.cause.message, planNotHeldType);
    throw error;
  }
  const decided = await store.reconcile.plan(planId);
  if (!decided) throw new PlanNotFoundError(planId);
  return decided;
}

/** A plan in its `--json` shape, every entry (in pages from the store) or one situation's. */
export async function planView(
  store: LifecycleStore,
  planId: string,
  options: { situation?: string } = {},
): Promise<PlanView> {
  const plan = await store.reconcile.plan(planId);
  if (!plan) throw new PlanNotFoundError(planId);
  const entries: PlanEntryView[] = [];
  for (let afterSeq: number | undefined = 0; afterSeq !== undefined;) {
    const page: Awaited<ReturnType<LifecycleStore['reconcile']['entries']>> = await store.reconcile.entries(
      planId,
      { afterSeq, limit: 1000, ...(options.situation !== undefined && { situation: options.situation }) },
    );
    entries.push(...page.entries.map(entryView));
    afterSeq = page.nextAfterSeq;
  }
  return { planId: plan.planId, status: plan.status, counts: plan.counts ?? {}, entries };
}
