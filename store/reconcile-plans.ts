/**
 * Reconciliation plans in the store (issue 30, docs/reconciliation.md): HR snapshots (their rows), plans
 * with their status, counts, safety reasons and decision, and the plan's entries. Snapshots and plans
 * never travel in a Temporal payload: workflows pass plan ids, activities read and write here.
 *
 * Snapshot rows and the directory accounts a plan reads hold names and emails: the accounts are dropped
 * once the plan is classified, the rows `RECONCILE_KEEP_DAYS` after the plan is applied or discarded
 * (`eraseExpiredSnapshotRows`, called before each new plan is classified).
 */
import type { AbsentPolicy, PlanEntry, SituationCounts } from '../lifecycle/reconcile/situations';
import { type StoreConnection } from './connection';
import { reconcileSnapshots } from './reconcile-snapshots';
import { StoreInputError } from './store-input-error';
import { type ReconcilePlanEntryTable, type ReconcilePlanTable } from './tables';

export const planStatuses = [
  /** Reading the directory and classifying: no entries yet. */
  'planning',
  'dry-run',
  'held-for-approval',
  'approved',
  'applying',
  'applied',
  'discarded',
] as const;
export type PlanStatus = (typeof planStatuses)[number];

export interface PlanActor {
  kind: string;
  user?: string | null;
}

export interface PlanRecord {
  planId: string;
  snapshotId: string;
  status: PlanStatus;
  createdAt: string;
  updatedAt: string;
  dryRun: boolean;
  absent: AbsentPolicy;
  asOf: string | null;
  requestedBy: { kind: string; user: string | null };
  policies: unknown;
  counts: SituationCounts | null;
  safetyReasons: string[];
  offboardingsToStart: number | null;
  managedAccounts: number | null;
  activePeople: number | null;
  decision: { by: { kind: string; user: string | null }; reason: string | null; at: string } | null;
  appliedAt: string | null;
}

export interface StoredPlanEntry extends PlanEntry {
  seq: number;
  /** What applying did; absent before. */
  applied?: string;
}

export interface PlanEntriesPage {
  entries: StoredPlanEntry[];
  /** The `afterSeq` of the next page; undefined on the last. */
  nextAfterSeq: number | undefined;
}

export const PLAN_ENTRIES_PAGE_MAX = 1000;
const WRITE_BATCH = 200;

/** Actions that start a run: what applying works through. */
export const startingActions = [
  'start-onboarding',
  'schedule-onboarding',
  'start-offboarding',
  'schedule-offboarding',
  'start-change',
] as const;

function planRecord(row: ReconcilePlanTable): PlanRecord {
  return {
    planId: row.id,
    snapshotId: row.snapshot_id,
    status: row.status as PlanStatus,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    dryRun: row.dry_run === 1,
    absent: row.absent_policy as AbsentPolicy,
    asOf: row.as_of,
    requestedBy: { kind: row.requested_by_kind, user: row.requested_by_user },
    policies: JSON.parse(row.policies_json) as unknown,
    counts: row.counts_json === null ? null : (JSON.parse(row.counts_json) as SituationCounts),
    safetyReasons: row.safety_reasons_json === null ? [] : (JSON.parse(row.safety_reasons_json) as string[]),
    offboardingsToStart: row.offboardings_to_start === null ? null : Number(row.offboardings_to_start),
    managedAccounts: row.managed_accounts === null ? null : Number(row.managed_accounts),
    activePeople: row.active_people === null ? null : Number(row.active_people),
    decision:
      row.decided_at === null
        ? null
        : {
            by: { kind: row.decided_by_kind ?? 'unknown', user: row.decided_by_user },
            reason: row.decision_reason,
            at: row.decided_at,
          },
    appliedAt: row.applied_at,
  };
}

function entryOf(row: ReconcilePlanEntryTable): StoredPlanEntry {
  const detail =
    row.detail_json === null
      ? {}
      : (JSON.parse(row.detail_json) as Pick<PlanEntry, 'differences' | 'problems'>);
  return {
    seq: Number(row.seq),
    externalID: row.external_id,
    situation: row.situation as PlanEntry['situation'],
    action: row.action as PlanEntry['action'],
    reason: row.reason,
    ...(row.staffbase_id !== null && { staffbaseId: row.staffbase_id }),
    ...(row.row_number !== null && { row: Number(row.row_number) }),
    ...detail,
    ...(row.applied_outcome !== null && { applied: row.applied_outcome }),
  };
}

function pageLimit(limit: number | undefined, fallback: number): number {
  const value = limit ?? fallback;
  if (!Number.isInteger(value) || value < 1 || value > PLAN_ENTRIES_PAGE_MAX)
    throw new StoreInputError('limit', `must be a whole number from 1 to ${PLAN_ENTRIES_PAGE_MAX}`);
  return value;
}

export function reconcilePlans(connection: StoreConnection) {
  const { db } = connection;
  const now = () => new Date().toISOString();

  async function plan(planId: string): Promise<PlanRecord | undefined> {
    const row = await db.selectFrom('reconcile_plan').selectAll().where('id', '=', planId).executeTakeFirst();
    return row === undefined ? undefined : planRecord(row);
  }

  /** Moves a plan from one of `from` to `to` (compare-and-set): false when it was elsewhere. */
  async function transition(
    planId: string,
    from: readonly PlanStatus[],
    to: PlanStatus,
    extra: Partial<ReconcilePlanTable> = {},
  ): Promise<boolean> {
    const result = await db
      .updateTable('reconcile_plan')
      .set({ ...extra, status: to, updated_at: now() })
      .where('id', '=', planId)
      .where('status', 'in', [...from])
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  return {
    ...reconcileSnapshots(connection),

    async createPlan(input: {
      planId: string;
      snapshotId: string;
      dryRun: boolean;
      absent: AbsentPolicy;
      asOf?: string;
      requestedBy: PlanActor;
      policies: unknown;
    }): Promise<PlanRecord> {
      const at = now();
      await db
        .insertInto('reconcile_plan')
        .values({
          id: input.planId,
          snapshot_id: input.snapshotId,
          status: 'planning',
          created_at: at,
          updated_at: at,
          dry_run: input.dryRun ? 1 : 0,
          absent_policy: input.absent,
          as_of: input.asOf ?? null,
          requested_by_kind: input.requestedBy.kind,
          requested_by_user: input.requestedBy.user ?? null,
          policies_json: JSON.stringify(input.policies),
          counts_json: null,
          safety_reasons_json: null,
          offboardings_to_start: null,
          managed_accounts: null,
          active_people: null,
          decided_by_kind: null,
          decided_by_user: null,
          decision_reason: null,
          decided_at: null,
          applied_at: null,
        })
        .execute();
      const created = await plan(input.planId);
      if (!created) throw new Error('The plan just written is missing');
      return created;
    },

    plan,

    /** The most recent plans, newest first. */
    async recentPlans(limit = 20): Promise<PlanRecord[]> {
      const rows = await db
        .selectFrom('reconcile_plan')
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(pageLimit(limit, 20))
        .execute();
      return rows.map(planRecord);
    },

    /** Replaces a plan's entries (a retried classification writes the same plan again). */
    async replaceEntries(planId: string, entries: Iterable<PlanEntry>): Promise<number> {
      await db.deleteFrom('reconcile_plan_entry').where('plan_id', '=', planId).execute();
      let seq = 0;
      let batch: ReconcilePlanEntryTable[] = [];
      const flush = async () => {
        if (batch.length > 0) await db.insertInto('reconcile_plan_entry').values(batch).execute();
        batch = [];
      };
      for (const entry of entries) {
        seq += 1;
        const detail = {
          ...(entry.differences && { differences: entry.differences }),
          ...(entry.problems && { problems: entry.problems }),
        };
        batch.push({
          plan_id: planId,
          seq,
          external_id: entry.externalID,
          staffbase_id: entry.staffbaseId ?? null,
          situation: entry.situation,
          action: entry.action,
          reason: entry.reason,
          row_number: entry.row ?? null,
          detail_json: Object.keys(detail).length > 0 ? JSON.stringify(detail) : null,
          applied_outcome: null,
          applied_at: null,
        });
        if (batch.length >= WRITE_BATCH) await flush();
      }
      await flush();
      return seq;
    },

    /** A page of a plan's entries in plan order, optionally of one situation. */
    async entries(
      planId: string,
      options: { situation?: string; afterSeq?: number; limit?: number; pendingStarts?: boolean } = {},
    ): Promise<PlanEntriesPage> {
      const limit = pageLimit(options.limit, 100);
      let query = db
        .selectFrom('reconcile_plan_entry')
        .selectAll()
        .where('plan_id', '=', planId)
        .where('seq', '>', options.afterSeq ?? 0);
      if (options.situation !== undefined) query = query.where('situation', '=', options.situation);
      if (options.pendingStarts === true)
        query = query.where('action', 'in', [...startingActions]).where('applied_outcome', 'is', null);
      const rows = await query
        .orderBy('seq')
        .limit(limit + 1)
        .execute();
      const page = rows.slice(0, limit).map(entryOf);
      return { entries: page, nextAfterSeq: rows.length > limit ? page[page.length - 1]?.seq : undefined };
    },

    /** Records what applying an entry did; an entry applied before keeps its first outcome. */
    async markEntryApplied(planId: string, seq: number, outcome: string): Promise<boolean> {
      const result = await db
        .updateTable('reconcile_plan_entry')
        .set({ applied_outcome: outcome, applied_at: now() })
        .where('plan_id', '=', planId)
        .where('seq', '=', seq)
        .where('applied_outcome', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /** The classification's result: `planning` → dry-run, held-for-approval or applying. */
    async recordClassification(
      planId: string,
      result: {
        status: 'dry-run' | 'held-for-approval' | 'applying';
        counts: SituationCounts;
        safetyReasons: string[];
        offboardingsToStart: number;
        managedAccounts: number;
        activePeople: number;
      },
    ): Promise<boolean> {
      return transition(planId, ['planning'], result.status, {
        counts_json: JSON.stringify(result.counts),
        safety_reasons_json: JSON.stringify(result.safetyReasons),
        offboardings_to_start: result.offboardingsToStart,
        managed_accounts: result.managedAccounts,
        active_people: result.activePeople,
      });
    },

    /** Approves or discards a held plan, with who and why; false when the plan is not held. */
    async decide(
      planId: string,
      decision: 'approve' | 'discard',
      by: PlanActor,
      reason: string | null,
    ): Promise<boolean> {
      return transition(planId, ['held-for-approval'], decision === 'approve' ? 'approved' : 'discarded', {
        decided_by_kind: by.kind,
        decided_by_user: by.user ?? null,
        decision_reason: reason,
        decided_at: now(),
      });
    },

    transition,
  };
}

export type ReconcilePlans = ReturnType<typeof reconcilePlans>;
