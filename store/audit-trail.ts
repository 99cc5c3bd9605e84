/**
 * The audit trail: append-only rows, hash-chained (audit-chain.ts). Rows hold ids and facts, never a
 * name or email of the person whose lifecycle runs.
 *
 * Appends are serialised by a lock, so two writers never chain onto the same row:
 * - PostgreSQL: a transaction that locks the chain's head row (`SELECT … FOR UPDATE`).
 * - SQLite: one `BEGIN IMMEDIATE` transaction (the database's write lock), run synchronously on the
 *   raw handle. Synchronous on purpose: better-sqlite3 waits for a busy lock by blocking the thread,
 *   so a transaction that awaited between its statements could wait forever on another connection
 *   of the same process, whose commit needs this very thread. The statements are Kysely's, compiled.
 */
import { type StoreConnection } from './connection';
import { type ChainedFields, GENESIS_HASH, chainHash, reasonHash, sha256Hex } from './audit-chain';
import { isoMoment, nonEmpty } from './store-input-error';
import { type AuditTable } from './tables';

/** Who acted: the key kind (e.g. `api-key`, `admin-key`, `cli`, `worker`, `schedule`) and, when the
 * HR API sits behind an SSO proxy, the operator its trusted user header names. */
export interface AuditActor {
  kind: string;
  user?: string | null;
}

export interface AuditEntry {
  /** Default: now. */
  at?: string;
  actor: AuditActor;
  /** e.g. `delete-now`, `offboarding-start`, `legal-hold-release`. */
  action: string;
  externalID?: string | null;
  runId?: string | null;
  outcome?: string | null;
  /** Free text: erasable later (its hash stays in the chain). Never a name or an email. */
  reason?: string | null;
}

export interface AuditRow {
  seq: number;
  at: string;
  actor: { kind: string; user: string | null };
  action: string;
  externalID: string | null;
  runId: string | null;
  outcome: string | null;
  /** Null once erased (or never given); `reasonHash` tells which. */
  reason: string | null;
  reasonHash: string | null;
  prevHash: string;
  hash: string;
}

export type AuditVerification =
  | { ok: true; rows: number }
  | {
      ok: false;
      /** Rows checked and found sound, before the first bad one. */
      rows: number;
      /** The first row that was changed or removed. */
      badSeq: number;
      problem: 'changed' | 'removed';
      detail: string;
    };

export interface AuditTrail {
  append(entry: AuditEntry): Promise<AuditRow>;
  /** Walks the whole chain; names the first changed or removed row. */
  verify(): Promise<AuditVerification>;
  /** Rows after `afterSeq`, oldest first (at most `limit`, default 500). */
  rows(options?: { afterSeq?: number; limit?: number }): Promise<AuditRow[]>;
  /** Erases a row's reason text; its hash stays, so the chain still verifies. false: no such row. */
  eraseReason(seq: number): Promise<boolean>;
}

interface Head {
  seq: number;
  hash: string;
}

function chainedFields(row: Omit<AuditTable, 'prev_hash' | 'hash'>): ChainedFields {
  return {
    seq: row.seq,
    at: row.at,
    actorKind: row.actor_kind,
    actorUser: row.actor_user,
    action: row.action,
    externalID: row.external_id,
    runId: row.run_id,
    outcome: row.outcome,
    reasonHash: row.reason_hash,
  };
}

/** The checked entry as a row without its place in the chain. */
function entryRow(entry: AuditEntry): Omit<AuditTable, 'seq' | 'prev_hash' | 'hash'> {
  const text = (value: string | null | undefined, field: string, max = 256) =>
    value === null || value === undefined || value === '' ? null : nonEmpty(value, field, max);
  const reason = text(entry.reason, 'reason', 2000);
  return {
    at: entry.at === undefined ? new Date().toISOString() : isoMoment(entry.at, 'at'),
    actor_kind: nonEmpty(entry.actor.kind, 'actor.kind', 64),
    actor_user: text(entry.actor.user, 'actor.user'),
    action: nonEmpty(entry.action, 'action', 64),
    external_id: text(entry.externalID, 'externalID'),
    run_id: text(entry.runId, 'runId'),
    outcome: text(entry.outcome, 'outcome', 64),
    reason,
    reason_hash: reasonHash(reason),
  };
}

function chained(head: Head, unplaced: Omit<AuditTable, 'seq' | 'prev_hash' | 'hash'>): AuditTable {
  const placed = { ...unplaced, seq: head.seq + 1 };
  return { ...placed, prev_hash: head.hash, hash: chainHash(head.hash, chainedFields(placed)) };
}

export function auditRow(row: AuditTable): AuditRow {
  return {
    seq: Number(row.seq),
    at: row.at,
    actor: { kind: row.actor_kind, user: row.actor_user },
    action: row.action,
    externalID: row.external_id,
    runId: row.run_id,
    outcome: row.outcome,
    reason: row.reason,
    reasonHash: row.reason_hash,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

const VERIFY_PAGE = 1000;

export function auditTrail(connection: StoreConnection): AuditTrail {
  const { db } = connection;
  const headQuery = db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
  const headUpdate = (row: AuditTable) =>
    db.updateTable('audit_head').set({ seq: row.seq, hash: row.hash }).where('id', '=', 1);

  async function appendSqlite(unplaced: Omit<AuditTable, 'seq' | 'prev_hash' | 'hash'>): Promise<AuditTable> {
    const sqlite = connection.sqlite;
    if (!sqlite) throw new Error('An SQLite store without its handle');
    // Holds Kysely's own lock on the connection, so none of its queries runs inside this transaction.
    return db.connection().execute(() => {
      const selectHead = headQuery.compile();
      const write = sqlite.transaction((): AuditTable => {
        const head = sqlite.prepare(selectHead.sql).get(...selectHead.parameters) as Head | undefined;
        if (!head)
          throw new Error('The audit chain has no head row: run `staffbase-lifecycle store migrate`');
        const row = chained({ seq: Number(head.seq), hash: head.hash }, unplaced);
        const insert = db.insertInto('audit_trail').values(row).compile();
        const update = headUpdate(row).compile();
        sqlite.prepare(insert.sql).run(...insert.parameters);
        sqlite.prepare(update.sql).run(...update.parameters);
        return row;
      });
      // In a promise's executor, so a failure (e.g. the busy timeout) rejects instead of throwing.
      return new Promise<AuditTable>((resolve) => resolve(write.immediate()));
    });
  }

  function appendPostgres(unplaced: Omit<AuditTable, 'seq' | 'prev_hash' | 'hash'>): Promise<AuditTable> {
    return db.transaction().execute(async (trx) => {
      const head = await trx
        .selectFrom('audit_head')
        .select(['seq', 'hash'])
        .where('id', '=', 1)
        .forUpdate()
        .executeTakeFirst();
      if (!head) throw new Error('The audit chain has no head row: run `staffbase-lifecycle store migrate`');
      const row = chained({ seq: Number(head.seq), hash: head.hash }, unplaced);
      await trx.insertInto('audit_trail').values(row).execute();
      await trx.updateTable('audit_head').set({ seq: row.seq, hash: row.hash }).where('id', '=', 1).execute();
      return row;
    });
  }

  async function rows(options: { afterSeq?: number; limit?: number } = {}): Promise<AuditRow[]> {
    const found = await db
      .selectFrom('audit_trail')
      .selectAll()
      .where('seq', '>', options.afterSeq ?? 0)
      .orderBy('seq')
      .limit(options.limit ?? 500)
      .execute();
    return found.map(auditRow);
  }

  return {
    async append(entry) {
      const unplaced = entryRow(entry);
      const row =
        connection.kind === 'sqlite' ? await appendSqlite(unplaced) : await appendPostgres(unplaced);
      return auditRow(row);
    },

    rows,

    async verify() {
      let expected = 1;
      let prevHash = GENESIS_HASH;
      const bad = (badSeq: number, problem: 'changed' | 'removed', detail: string): AuditVerification => ({
        ok: false,
        rows: badSeq - 1,
        badSeq,
        problem,
        detail,
      });
      for (;;) {
        const page = await rows({ afterSeq: expected - 1, limit: VERIFY_PAGE });
        for (const row of page) {
          if (row.seq !== expected) return bad(expected, 'removed', `row ${expected} is missing`);
          const fields = { ...row, actorKind: row.actor.kind, actorUser: row.actor.user };
          if (chainHash(row.prevHash, fields) !== row.hash)
            return bad(row.seq, 'changed', `row ${row.seq} no longer matches its hash`);
          if (row.reason !== null && sha256Hex(row.reason) !== row.reasonHash)
            return bad(row.seq, 'changed', `row ${row.seq}'s reason no longer matches its hash`);
          if (row.prevHash !== prevHash)
            return bad(
              row.seq - 1,
              'changed',
              `row ${row.seq} links to another hash than row ${row.seq - 1}'s`,
            );
          prevHash = row.hash;
          expected += 1;
        }
        if (page.length < VERIFY_PAGE) break;
      }
      const head = await headQuery.executeTakeFirst();
      const last = expected - 1;
      if (head && Number(head.seq) > last)
        return bad(expected, 'removed', `row ${expected} is missing (the chain recorded ${head.seq} rows)`);
      if (head && Number(head.seq) === last && head.hash !== prevHash)
        return bad(last, 'changed', `row ${last} is not the row the chain recorded last`);
      return { ok: true, rows: last };
    },

    async eraseReason(seq) {
      const result = await db
        .updateTable('audit_trail')
        .set({ reason: null })
        .where('seq', '=', seq)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}
