/**
 * A reconciliation run (issue 30, docs/reconciliation.md), one per plan: reads the Staffbase directory
 * page by page (one activity and one request per page, on the Staffbase queue in the bulk lane, so at
 * the tenant's rate and behind single runs), classifies the stored snapshot against it and the open
 * runs, then applies the plan — unless it is a dry run, or the safety verdict holds it until the admin
 * approves or discards it. The snapshot, the directory and the plan stay in the store: only the plan id
 * and small counts pass through this history.
 */
import { ApplicationFailure, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { AppliedPage, ReconcileActivities } from '../activities/reconcile-activities';
import { priorityLanes } from '../lifecycle/priority-lanes';
import { taskQueues } from '../lifecycle/task-queues';
import { staffbaseActivityOptions } from './activity-options';
import {
  type ReconcileDecisionRequest,
  decideReconcilePlanUpdate,
  planNotHeldType,
  reconcileStatusQuery,
} from './reconcile-messages';

/** Users per directory request: Staffbase's largest page. */
export const RECONCILE_DIRECTORY_PAGE_SIZE = 100;

export interface ReconcileInput {
  planId: string;
  /** Users per directory request; default RECONCILE_DIRECTORY_PAGE_SIZE. */
  pageSize?: number;
}

export interface ReconcileResult {
  status: string;
  /** Staffbase requests made: one per directory page. */
  requests: number;
  /** Runs the apply started. */
  started: number;
}

const staffbase = proxyActivities<Pick<ReconcileActivities, 'readReconcileDirectoryPage'>>({
  ...staffbaseActivityOptions,
  taskQueue: taskQueues.staffbaseApi,
  priority: { priorityKey: priorityLanes.bulk },
});

// The store and Temporal only: on the workflow queue, off the Staffbase budget.
const store = proxyActivities<
  Pick<
    ReconcileActivities,
    'classifyReconcilePlan' | 'decideReconcilePlan' | 'applyReconcileEntries' | 'finishReconcilePlan'
  >
>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function reconcile(input: ReconcileInput): Promise<ReconcileResult> {
  const { planId } = input;
  const pageSize = input.pageSize ?? RECONCILE_DIRECTORY_PAGE_SIZE;
  let status = 'planning';
  let decision: ReconcileDecisionRequest['decision'] | undefined;
  let deciding = false;

  setHandler(reconcileStatusQuery, () => status);
  setHandler(
    decideReconcilePlanUpdate,
    async (request) => {
      deciding = true;
      try {
        const answer = await store.decideReconcilePlan({ planId, ...request });
        status = answer.status;
        if (answer.decided) decision = request.decision;
        return answer;
      } finally {
        deciding = false;
      }
    },
    {
      validator: (request: ReconcileDecisionRequest) => {
        if (status !== 'held-for-approval' || decision !== undefined || deciding)
          throw ApplicationFailure.create({
            type: planNotHeldType,
            message: `plan ${planId} is ${status}, not held for approval`,
            nonRetryable: true,
          });
        if (request.decision !== 'approve' && request.decision !== 'discard')
          throw ApplicationFailure.create({
            message: 'decision: must be approve or discard',
            nonRetryable: true,
          });
      },
    },
  );

  // Offsets move by what each page held, and the last page is the one that reaches `total`: never a
  // request more than there are pages.
  let requests = 0;
  for (let offset = 0; ;) {
    const page = await staffbase.readReconcileDirectoryPage({ planId, offset, limit: pageSize });
    requests += 1;
    offset += page.received;
    if (page.received === 0 || offset >= page.total) break;
  }

  status = (await store.classifyReconcilePlan(planId)).status;
  if (status === 'held-for-approval') {
    await condition(() => decision !== undefined && !deciding);
  }
  if (status !== 'approved' && status !== 'applying') return { status, requests, started: 0 };

  let started = 0;
  for (let afterSeq: number | undefined = 0; afterSeq !== undefined;) {
    const page: AppliedPage = await store.applyReconcileEntries({ planId, afterSeq });
    started += page.started;
    afterSeq = page.nextAfterSeq;
  }
  await store.finishReconcilePlan(planId);
  status = 'applied';
  return { status, requests, started };
}
