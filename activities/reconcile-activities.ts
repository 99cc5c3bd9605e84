/**
 * The reconciliation's activities (workflows/reconcile.ts, docs/reconciliation.md). Plans, snapshots and
 * the directory stay in the store; workflows pass plan ids only.
 *
 * - `readReconcileDirectoryPage`: ONE `GET /users` page per attempt, on the Staffbase queue in the bulk
 *   lane; the page's accounts go to the store, never into workflow history.
 * - `classifyReconcilePlan`: the classifier over the stored snapshot, the stored directory and the open
 *   runs (Temporal visibility), then the safety verdict; the entries go to the store.
 * - `decideReconcilePlan`: approve or discard a held plan, audited.
 * - `applyReconcileEntries`: starts a page of the plan's runs through the one home of each start
 *   (client/lifecycle-runs.ts, client/support-runs.ts), recording each entry's outcome, so a second
 *   apply of the same plan starts nothing.
 * - `finishReconcilePlan`: applied or discarded, and the snapshot's rows are set to be erased.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { type LifecyclePolicies } from '../config/policies';
import { DEFAULT_RECONCILE_KEEP_DAYS } from '../config/defaults';
import { reconcileAccountOf } from '../lifecycle/reconcile/accounts';
import { type OpenRun, Reconciliation, type RunLifecycle } from '../lifecycle/reconcile/classify';
import {
  type ReconcileThresholds,
  defaultReconcileThresholds,
  safetyVerdict,
} from '../lifecycle/reconcile/safety';
import { lifecycleStageSearchAttribute, externalIdSearchAttribute } from '../lifecycle/search-attributes';
import { ALL_USER_STATUSES } from '../staffbase/api-choices';
import type { StaffbaseClient } from '../staffbase/client';
import type { LifecycleStore, PlanActor, PlanRecord, PlanStatus } from '../store';
import type { Client } from '@temporalio/client';
import type { OffboardingPolicy, OffboardingRequest } from '../lifecycle/offboarding-request';
import type { OnboardingPolicy, OnboardingRequest } from '../lifecycle/onboarding-request';
import type { MoverRequest } from '../lifecycle/support-requests';
import { withRetryDecisions } from './activity-failures';
import { applyReconcileEntry, storeOf } from './reconcile-apply';
import { whileHeartbeating } from './heartbeating';

/**
 * The one home of each start (client/lifecycle-runs.ts startOnboarding/startOffboarding,
 * client/support-runs.ts startMover), handed in by whoever builds the activities
 * (client/reconcile-starters.ts): activities sit below client/, so they get the functions, not the imports.
 */
export interface ReconcileRunStarters {
  onboarding(
    client: Client,
    request: OnboardingRequest,
    policy: OnboardingPolicy,
    options: { lane: 'bulk'; rerun: boolean },
  ): Promise<{ status: 'started' | 'already-running' | 'already-completed' }>;
  offboarding(
    client: Client,
    request: OffboardingRequest,
    policy: OffboardingPolicy,
    options: { lane: 'bulk' },
  ): Promise<{ status: 'started' | 'already-running' | 'already-completed' }>;
  change(client: Client, request: MoverRequest): Promise<{ status: 'started' | 'already-running' }>;
}

export interface ReconcileActivityDependencies {
  staffbase: StaffbaseClient;
  store?: LifecycleStore;
  /** The worker's RECONCILE_HOLD_ABOVE, … (config/reconcile-safety.ts); default: the defaults. */
  reconcileThresholds?: ReconcileThresholds;
  /** RECONCILE_KEEP_DAYS: days a snapshot's rows are kept after its plan is applied or discarded. */
  reconcileKeepDays?: number;
  /** Absent: applying a plan fails (a worker that was not given them). */
  runStarters?: ReconcileRunStarters;
}

export interface DirectoryPageRead {
  /** `total` as Staffbase counted it with this page. */
  total: number;
  /** Users on the page: the next offset moves by this. */
  received: number;
}

export interface ClassifiedPlan {
  status: PlanStatus;
  entries: number;
}

export interface AppliedPage {
  /** Where the next page starts; undefined when every entry is applied. */
  nextAfterSeq: number | undefined;
  /** Runs started by this page. */
  started: number;
}

export interface ReconcileDecision {
  planId: string;
  decision: 'approve' | 'discard';
  by: PlanActor;
  reason?: string;
}

/** Entries started per apply activity: a page of starts, each a Temporal call (no Staffbase request). */
const APPLY_PAGE = 50;
const READ_PAGE = 500;
const heartbeatIntervalMs = 2_000;

/** Today in the time zone, YYYY-MM-DD. */
export function todayIn(timeZone: string, at: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/** Open runs that decide `in-progress`: onboardings, offboardings and changes. */
export const openReconcileRunsQuery =
  "ExecutionStatus='Running' AND WorkflowType IN ('onboarding','offboarding','mover')";

async function planOf(store: LifecycleStore, planId: string): Promise<PlanRecord> {
  const plan = await store.reconcile.plan(planId);
  if (!plan) throw ApplicationFailure.nonRetryable(`No reconciliation plan ${planId}`, 'PlanNotFound');
  return plan;
}

async function* openRuns(): AsyncGenerator<OpenRun> {
  const listing = Context.current().client.workflow.list({ query: openReconcileRunsQuery, pageSize: 1000 });
  for await (const execution of listing) {
    const lifecycle: RunLifecycle = execution.type === 'mover' ? 'change' : (execution.type as RunLifecycle);
    const externalID =
      execution.typedSearchAttributes.get(externalIdSearchAttribute) ??
      (execution.type === 'mover' ? execution.workflowId.slice('mover-'.length) : undefined);
    if (externalID === undefined) continue;
    const stage = execution.typedSearchAttributes.get(lifecycleStageSearchAttribute) ?? 'running';
    yield { externalID, lifecycle, stage };
  }
}

export function createReconcileActivities(deps: ReconcileActivityDependencies) {
  const thresholds = deps.reconcileThresholds ?? defaultReconcileThresholds;
  const keepDays = deps.reconcileKeepDays ?? DEFAULT_RECONCILE_KEEP_DAYS;

  return {
    /** One `GET /users` page (every managed status) into the store; the page's counts back. */
    async readReconcileDirectoryPage(query: {
      planId: string;
      offset: number;
      limit: number;
    }): Promise<DirectoryPageRead> {
      const store = storeOf(deps.store);
      return withRetryDecisions(() =>
        whileHeartbeating(heartbeatIntervalMs, async () => {
          const page = await deps.staffbase.listUsersPage({
            statuses: [...ALL_USER_STATUSES],
            offset: query.offset,
            limit: query.limit,
          });
          const accounts = page.users.flatMap((user) => reconcileAccountOf(user) ?? []);
          await store.reconcile.storeDirectoryAccounts(query.planId, accounts);
          return { total: page.total, received: page.users.length };
        }),
      );
    },

    /** Classifies the stored snapshot against the stored directory and the open runs; stores the plan. */
    async classifyReconcilePlan(planId: string): Promise<ClassifiedPlan> {
      const store = storeOf(deps.store);
      // Where expired snapshot rows are erased: before every new plan (RECONCILE_KEEP_DAYS).
      await store.reconcile.eraseExpiredSnapshotRows();
      const plan = await planOf(store, planId);
      if (plan.status !== 'planning') {
        // A retry after the classification was recorded: the stored plan stands.
        const stored = await store.reconcile.entries(planId, { limit: 1 });
        return { status: plan.status, entries: stored.entries.length };
      }
      return whileHeartbeating(heartbeatIntervalMs, async () => {
        const policies = plan.policies as LifecyclePolicies;
        const today = plan.asOf ?? todayIn(policies.offboarding.timeZone);
        const reconciliation = new Reconciliation({ today, absent: plan.absent });
        for (let afterSeq = 0; ;) {
          const rows = await store.reconcile.snapshotRows(plan.snapshotId, afterSeq, READ_PAGE);
          for (const { row } of rows) reconciliation.addRow(row);
          if (rows.length < READ_PAGE) break;
          afterSeq = rows[rows.length - 1]?.seq ?? afterSeq;
        }
        for await (const run of openRuns()) reconciliation.addOpenRun(run);
        for (let afterId = ''; ;) {
          const accounts = await store.reconcile.directoryAccounts(planId, afterId, READ_PAGE);
          reconciliation.addDirectoryPage(accounts);
          if (accounts.length < READ_PAGE) break;
          afterId = accounts[accounts.length - 1]?.id ?? afterId;
        }
        const entries = await store.reconcile.replaceEntries(planId, reconciliation.entries());
        const summary = reconciliation.summary();
        const lastAppliedActivePeople = await store.reconcile.lastAppliedActivePeople();
        const verdict = safetyVerdict(
          {
            offboardingsToStart: summary.offboardingsToStart,
            managedAccounts: summary.managedAccounts,
            activePeople: summary.activePeople,
            ...(lastAppliedActivePeople !== undefined && { lastAppliedActivePeople }),
          },
          thresholds,
        );
        const status = plan.dryRun ? 'dry-run' : verdict.held ? 'held-for-approval' : 'applying';
        await store.reconcile.recordClassification(planId, {
          status,
          counts: summary.counts,
          safetyReasons: verdict.held ? verdict.reasons : [],
          offboardingsToStart: summary.offboardingsToStart,
          managedAccounts: summary.managedAccounts,
          activePeople: summary.activePeople,
        });
        await store.reconcile.dropDirectoryAccounts(planId);
        if (status === 'dry-run') await store.reconcile.scheduleSnapshotErasure(plan.snapshotId, keepDays);
        return { status, entries };
      });
    },

    /** Approve or discard a held plan (compare-and-set), audited with who and why. */
    async decideReconcilePlan(decision: ReconcileDecision): Promise<{ decided: boolean; status: string }> {
      const store = storeOf(deps.store);
      const decided = await store.reconcile.decide(
        decision.planId,
        decision.decision,
        decision.by,
        decision.reason ?? null,
      );
      const plan = await planOf(store, decision.planId);
      if (decided) {
        await store.audit.append({
          actor: { kind: decision.by.kind, user: decision.by.user ?? null },
          action: decision.decision === 'approve' ? 'reconcile-approve' : 'reconcile-discard',
          runId: decision.planId,
          outcome: plan.status,
          reason: decision.reason ?? null,
        });
        if (plan.status === 'discarded')
          await store.reconcile.scheduleSnapshotErasure(plan.snapshotId, keepDays);
      }
      return { decided, status: plan.status };
    },

    /** Starts the runs of a page of not-yet-applied entries and records each one's outcome. */
    async applyReconcileEntries(input: { planId: string; afterSeq: number }): Promise<AppliedPage> {
      const store = storeOf(deps.store);
      const plan = await planOf(store, input.planId);
      if (plan.status === 'approved') await store.reconcile.transition(plan.planId, ['approved'], 'applying');
      else if (plan.status !== 'applying')
        throw ApplicationFailure.nonRetryable(
          `Plan ${plan.planId} is ${plan.status}, not to be applied`,
          'PlanNotApplicable',
        );
      const page = await store.reconcile.entries(plan.planId, {
        afterSeq: input.afterSeq,
        limit: APPLY_PAGE,
        pendingStarts: true,
      });
      let started = 0;
      for (const entry of page.entries) {
        const outcome = await applyReconcileEntry(deps, plan, entry);
        if (outcome === 'started') started += 1;
        await store.reconcile.markEntryApplied(plan.planId, entry.seq, outcome);
        if (entry.action === 'start-offboarding' || entry.action === 'schedule-offboarding') {
          await store.audit.append({
            actor: { kind: 'reconcile' },
            action: 'reconcile-offboarding',
            externalID: entry.externalID,
            runId: plan.planId,
            outcome,
          });
        }
      }
      return { nextAfterSeq: page.nextAfterSeq, started };
    },

    /** Marks an applied plan `applied`; its snapshot's rows go RECONCILE_KEEP_DAYS later. */
    async finishReconcilePlan(planId: string): Promise<void> {
      const store = storeOf(deps.store);
      const plan = await planOf(store, planId);
      await store.reconcile.transition(planId, ['applying'], 'applied', {
        applied_at: new Date().toISOString(),
      });
      await store.reconcile.scheduleSnapshotErasure(plan.snapshotId, keepDays);
    },
  };
}

export type ReconcileActivities = ReturnType<typeof createReconcileActivities>;
