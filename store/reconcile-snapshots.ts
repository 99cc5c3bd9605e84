/**
 * The reconciliation's snapshot rows and the directory a plan reads (store/reconcile-plans.ts): the parts
 * that hold names and emails, so each has its erasure — the directory copy when the plan is classified,
 * the snapshot rows RECONCILE_KEEP_DAYS after the plan ends.
 */
import type { ReconcileAccount } from '../lifecycle/reconcile/accounts';
import type { SnapshotRow } from '../lifecycle/reconcile/snapshot-row';
import { type StoreConnection } from './connection';

const WRITE_BATCH = 200;

/** A plan in one of these is over: nothing reads its snapshot again. */
const endedPlanStatuses = ['applied', 'discarded', 'dry-run'] as const;

export function reconcileSnapshots(connection: StoreConnection) {
  const { db } = connection;
  const now = () => new Date().toISOString();

  return {
    /** Stores a snapshot's rows in batches (streamed: the rows are not collected). */
    async createSnapshot(input: {
      snapshotId: string;
      source: string;
      rows: Iterable<SnapshotRow> | AsyncIterable<SnapshotRow>;
    }): Promise<{ snapshotId: string; rows: number; activePeople: number }> {
      let seq = 0;
      let activePeople = 0;
      let batch: { snapshot_id: string; seq: number; row_number: number; row_json: string }[] = [];
      const flush = async () => {
        if (batch.length > 0) await db.insertInto('reconcile_snapshot_row').values(batch).execute();
        batch = [];
      };
      for await (const row of input.rows) {
        seq += 1;
        if (row.kind === 'valid' && row.person.status === 'active') activePeople += 1;
        batch.push({
          snapshot_id: input.snapshotId,
          seq,
          row_number: row.row,
          row_json: JSON.stringify(row),
        });
        if (batch.length >= WRITE_BATCH) await flush();
      }
      await flush();
      await db
        .insertInto('reconcile_snapshot')
        .values({
          id: input.snapshotId,
          created_at: now(),
          source: input.source,
          row_count: seq,
          active_people: activePeople,
          erase_after: null,
          erased_at: null,
        })
        .execute();
      return { snapshotId: input.snapshotId, rows: seq, activePeople };
    },

    /**
     * The plan made from a snapshot of this `source` (the drop folder's `drop:sha256:<hash>`: once per
     * file content), the newest should there be several; undefined when there is none.
     */
    async planIdOfSource(source: string): Promise<string | undefined> {
      const row = await db
        .selectFrom('reconcile_snapshot')
        .innerJoin('reconcile_plan', 'reconcile_plan.snapshot_id', 'reconcile_snapshot.id')
        .select('reconcile_plan.id')
        .where('reconcile_snapshot.source', '=', source)
        .orderBy('reconcile_plan.created_at', 'desc')
        .executeTakeFirst();
      return row?.id;
    },

    /** Snapshot rows in file order, after `afterSeq`. */
    async snapshotRows(
      snapshotId: string,
      afterSeq: number,
      limit = 500,
    ): Promise<{ seq: number; row: SnapshotRow }[]> {
      const rows = await db
        .selectFrom('reconcile_snapshot_row')
        .select(['seq', 'row_json'])
        .where('snapshot_id', '=', snapshotId)
        .where('seq', '>', afterSeq)
        .orderBy('seq')
        .limit(limit)
        .execute();
      return rows.map((row) => ({ seq: Number(row.seq), row: JSON.parse(row.row_json) as SnapshotRow }));
    },

    /** The snapshot row with this spreadsheet number (the first, should a file repeat one). */
    async snapshotRow(snapshotId: string, rowNumber: number): Promise<SnapshotRow | undefined> {
      const row = await db
        .selectFrom('reconcile_snapshot_row')
        .select('row_json')
        .where('snapshot_id', '=', snapshotId)
        .where('row_number', '=', rowNumber)
        .orderBy('seq')
        .executeTakeFirst();
      return row === undefined ? undefined : (JSON.parse(row.row_json) as SnapshotRow);
    },

    /** A page of the directory a plan reads; a retried page writes nothing twice. */
    async storeDirectoryAccounts(planId: string, accounts: readonly ReconcileAccount[]): Promise<void> {
      if (accounts.length === 0) return;
      await db
        .insertInto('reconcile_directory_account')
        .values(
          accounts.map((account) => ({
            plan_id: planId,
            staffbase_id: account.id,
            account_json: JSON.stringify(account),
          })),
        )
        .onConflict((conflict) => conflict.columns(['plan_id', 'staffbase_id']).doNothing())
        .execute();
    },

    async directoryAccounts(planId: string, afterId: string, limit = 500): Promise<ReconcileAccount[]> {
      const rows = await db
        .selectFrom('reconcile_directory_account')
        .select(['staffbase_id', 'account_json'])
        .where('plan_id', '=', planId)
        .where('staffbase_id', '>', afterId)
        .orderBy('staffbase_id')
        .limit(limit)
        .execute();
      return rows.map((row) => JSON.parse(row.account_json) as ReconcileAccount);
    },

    async dropDirectoryAccounts(planId: string): Promise<void> {
      await db.deleteFrom('reconcile_directory_account').where('plan_id', '=', planId).execute();
    },

    /** The active people of the snapshot of the last applied plan (the truncation rule). */
    async lastAppliedActivePeople(): Promise<number | undefined> {
      const row = await db
        .selectFrom('reconcile_plan')
        .innerJoin('reconcile_snapshot', 'reconcile_snapshot.id', 'reconcile_plan.snapshot_id')
        .select('reconcile_snapshot.active_people')
        .where('reconcile_plan.status', '=', 'applied')
        .orderBy('reconcile_plan.applied_at', 'desc')
        .executeTakeFirst();
      return row === undefined ? undefined : Number(row.active_people);
    },

    /** A plan reached its end (applied or discarded): its snapshot's rows may go after `keepDays`. */
    async scheduleSnapshotErasure(
      snapshotId: string,
      keepDays: number,
      at: Date = new Date(),
    ): Promise<void> {
      const eraseAfter = new Date(at.getTime() + keepDays * 24 * 60 * 60 * 1000).toISOString();
      await db
        .updateTable('reconcile_snapshot')
        .set({ erase_after: eraseAfter })
        .where('id', '=', snapshotId)
        .where('erase_after', 'is', null)
        .execute();
    },

    /** Erases the rows of every snapshot whose time has come; returns how many snapshots. */
    async eraseExpiredSnapshotRows(at: Date = new Date()): Promise<number> {
      const due = await db
        .selectFrom('reconcile_snapshot')
        .select('id')
        .where('erase_after', '<=', at.toISOString())
        .where('erased_at', 'is', null)
        .execute();
      for (const { id } of due) {
        await db.deleteFrom('reconcile_snapshot_row').where('snapshot_id', '=', id).execute();
        await db
          .updateTable('reconcile_snapshot')
          .set({ erased_at: at.toISOString() })
          .where('id', '=', id)
          .execute();
      }
      return due.length;
    },

    /**
     * The reconcile-erase Schedule's erasure (workflows/reconcile-erase.ts): deletes the rows (names,
     * emails) of every snapshot whose plan ended — applied, discarded, or a dry run — at or before
     * `endedBefore`, by the plan's last status change, so the current RECONCILE_KEEP_DAYS decides and
     * not the one in force when the plan ended. The snapshot's record and its plan (counts, entries,
     * decision) stay. Idempotent: an erased snapshot is not counted again.
     */
    async eraseSnapshotRowsOfPlansEndedBefore(
      endedBefore: string,
      at: Date = new Date(),
    ): Promise<{ snapshots: number; rows: number }> {
      const due = await db
        .selectFrom('reconcile_snapshot')
        .innerJoin('reconcile_plan', 'reconcile_plan.snapshot_id', 'reconcile_snapshot.id')
        .select('reconcile_snapshot.id')
        .where('reconcile_snapshot.erased_at', 'is', null)
        .where('reconcile_plan.status', 'in', [...endedPlanStatuses])
        .where('reconcile_plan.updated_at', '<=', endedBefore)
        .execute();
      let rows = 0;
      for (const { id } of due) {
        const deleted = await db
          .deleteFrom('reconcile_snapshot_row')
          .where('snapshot_id', '=', id)
          .executeTakeFirst();
        rows += Number(deleted.numDeletedRows);
        await db
          .updateTable('reconcile_snapshot')
          .set({ erased_at: at.toISOString() })
          .where('id', '=', id)
          .execute();
      }
      return { snapshots: due.length, rows };
    },
  };
}
