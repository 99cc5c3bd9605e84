/**
 * The reconcile-erase Schedule's activity (workflows/reconcile-erase.ts): deletes the snapshot rows (the
 * names and emails HR sent) of every reconciliation plan that ended — applied, discarded or a dry run —
 * more than `keepDays` days ago. The plans stay: counts, entries, safety reasons and decisions, what an
 * auditor needs. On the workflow queue: no Staffbase request. Idempotent, so a retry is harmless. Its
 * audit line and row (`reconcile-snapshots-erased`, with the count of rows) are the worker's audit
 * interceptor's, from the result, like every audited act.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { LifecycleStore } from '../store';

export interface ReconcileEraseInput {
  /** RECONCILE_KEEP_DAYS, copied into the Schedule's input: days a snapshot outlives its plan's end. */
  keepDays: number;
}

export interface ReconcileEraseResult {
  result: 'erased';
  /** Snapshot rows (people) deleted now. */
  count: number;
  /** Snapshots whose rows were deleted now. */
  snapshots: number;
  /** The cut-off: snapshots of plans ended at or before it were erased (UTC). */
  endedBefore: string;
  auditReason: string;
}

const DAY_MS = 86_400_000;

/** `store` absent (tests that need none): the activity fails for good, saying so, and erases nothing. */
export function createReconcileEraseActivities(store: Pick<LifecycleStore, 'reconcile'> | undefined) {
  return {
    async eraseReconcileSnapshots(input: ReconcileEraseInput): Promise<ReconcileEraseResult> {
      if (!store) throw ApplicationFailure.nonRetryable('this worker runs without its store', 'NoStore');
      if (!Number.isInteger(input.keepDays) || input.keepDays < 0)
        throw ApplicationFailure.nonRetryable('keepDays: must be a whole number of days ≥ 0', 'InvalidInput');
      const endedBefore = new Date(Date.now() - input.keepDays * DAY_MS).toISOString();
      const { snapshots, rows } = await store.reconcile.eraseSnapshotRowsOfPlansEndedBefore(endedBefore);
      return {
        result: 'erased',
        count: rows,
        snapshots,
        endedBefore,
        auditReason: `rows of ${snapshots} reconciliation snapshots erased, their plans ended before ${endedBefore} (RECONCILE_KEEP_DAYS=${input.keepDays})`,
      };
    },
  };
}

export type ReconcileEraseActivities = ReturnType<typeof createReconcileEraseActivities>;
