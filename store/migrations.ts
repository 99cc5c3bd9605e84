/**
 * The store's schema, as one list of migrations in code, applied in order by Kysely's Migrator on
 * either database. Only portable column types (text, integer) and plain indexes: the same migration
 * gives the same schema on SQLite and PostgreSQL (primary keys say NOT NULL, which SQLite does not
 * imply). Never edit a released migration; add the next one.
 */
import type { Kysely as KyselyDb } from 'kysely' with { 'resolution-mode': 'import' };
import type { Migration } from 'kysely/migration' with { 'resolution-mode': 'import' };
import { GENESIS_HASH } from './audit-chain';
import { type StoreConnection } from './connection';
import { loadKyselyMigration } from './kysely-module';
import { refreshPairings } from './milestone-pairing';

// Migrations see the schema as it was when they were written, not today's types.
type AnyDb = KyselyDb<Record<string, Record<string, unknown>>>;

const initialSchema: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('person')
      .addColumn('external_id', 'text', (column) => column.primaryKey().notNull())
      .addColumn('first_name', 'text')
      .addColumn('last_name', 'text')
      .addColumn('email', 'text')
      .addColumn('search_text', 'text', (column) => column.notNull())
      .addColumn('lifecycle', 'text', (column) => column.notNull())
      .addColumn('stage', 'text', (column) => column.notNull())
      .addColumn('start_date', 'text')
      .addColumn('last_working_day', 'text')
      .addColumn('attention_code', 'text')
      .addColumn('outcome', 'text')
      .addColumn('open_run_id', 'text')
      .addColumn('latest_run_id', 'text', (column) => column.notNull())
      .addColumn('run_started_at', 'text', (column) => column.notNull())
      .addColumn('sequence', 'integer', (column) => column.notNull())
      .addColumn('updated_at', 'text', (column) => column.notNull())
      .execute();
    await db.schema
      .createIndex('person_lifecycle_stage')
      .on('person')
      .columns(['lifecycle', 'stage'])
      .execute();
    await db.schema.createIndex('person_start_date').on('person').column('start_date').execute();
    await db.schema.createIndex('person_last_working_day').on('person').column('last_working_day').execute();

    await db.schema
      .createTable('milestone')
      .addColumn('external_id', 'text', (column) => column.notNull())
      .addColumn('run_id', 'text', (column) => column.notNull())
      .addColumn('kind', 'text', (column) => column.notNull())
      .addColumn('at', 'text', (column) => column.notNull())
      // A retried or replayed write of the same milestone inserts nothing.
      .addPrimaryKeyConstraint('milestone_pk', ['run_id', 'kind', 'at'])
      .execute();
    await db.schema.createIndex('milestone_external_id').on('milestone').column('external_id').execute();

    await db.schema
      .createTable('audit_trail')
      .addColumn('seq', 'integer', (column) => column.primaryKey().notNull())
      .addColumn('at', 'text', (column) => column.notNull())
      .addColumn('actor_kind', 'text', (column) => column.notNull())
      .addColumn('actor_user', 'text')
      .addColumn('action', 'text', (column) => column.notNull())
      .addColumn('external_id', 'text')
      .addColumn('run_id', 'text')
      .addColumn('outcome', 'text')
      .addColumn('reason', 'text')
      .addColumn('reason_hash', 'text')
      .addColumn('prev_hash', 'text', (column) => column.notNull())
      .addColumn('hash', 'text', (column) => column.notNull())
      .execute();
    await db.schema.createIndex('audit_trail_external_id').on('audit_trail').column('external_id').execute();
    await db.schema.createIndex('audit_trail_at').on('audit_trail').column('at').execute();
    await db.schema
      .createTable('audit_head')
      .addColumn('id', 'integer', (column) => column.primaryKey().notNull())
      .addColumn('seq', 'integer', (column) => column.notNull())
      .addColumn('hash', 'text', (column) => column.notNull())
      .execute();
    await db.insertInto('audit_head').values({ id: 1, seq: 0, hash: GENESIS_HASH }).execute();
  },
};

/**
 * Reports pick milestones by kind within a period (store/reports.ts): covering, so they read the
 * index alone, never the table's rows.
 */
const milestoneKindAtIndex: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createIndex('milestone_kind_at')
      .on('milestone')
      .columns(['kind', 'at', 'external_id', 'run_id'])
      .execute();
  },
};

/** The outbox of lifecycle events (docs/events.md) and the per-person sequence it numbers them by. */
const lifecycleEventOutbox: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('lifecycle_event')
      .addColumn('subscriber_id', 'text', (column) => column.notNull())
      .addColumn('event_id', 'text', (column) => column.notNull())
      .addColumn('external_id', 'text', (column) => column.notNull())
      .addColumn('sequence', 'integer', (column) => column.notNull())
      .addColumn('lifecycle', 'text', (column) => column.notNull())
      .addColumn('milestone', 'text', (column) => column.notNull())
      .addColumn('run_id', 'text', (column) => column.notNull())
      .addColumn('at', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('delivered_at', 'text')
      .addColumn('parked_at', 'text')
      .addColumn('failure', 'text')
      .addPrimaryKeyConstraint('lifecycle_event_pk', ['subscriber_id', 'event_id'])
      .execute();
    await db.schema
      .createIndex('lifecycle_event_stream')
      .on('lifecycle_event')
      .columns(['subscriber_id', 'external_id', 'sequence'])
      .unique()
      .execute();
    await db.schema.createIndex('lifecycle_event_status').on('lifecycle_event').column('status').execute();
    await db.schema
      .createTable('lifecycle_event_sequence')
      .addColumn('external_id', 'text', (column) => column.primaryKey().notNull())
      .addColumn('last_sequence', 'integer', (column) => column.notNull())
      .execute();
  },
};

const reconciliationPlans: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('reconcile_snapshot')
      .addColumn('id', 'text', (column) => column.primaryKey().notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('source', 'text', (column) => column.notNull())
      .addColumn('row_count', 'integer', (column) => column.notNull())
      .addColumn('active_people', 'integer', (column) => column.notNull())
      .addColumn('erase_after', 'text')
      .addColumn('erased_at', 'text')
      .execute();
    await db.schema
      .createTable('reconcile_snapshot_row')
      .addColumn('snapshot_id', 'text', (column) => column.notNull())
      .addColumn('seq', 'integer', (column) => column.notNull())
      .addColumn('row_number', 'integer', (column) => column.notNull())
      .addColumn('row_json', 'text', (column) => column.notNull())
      .addPrimaryKeyConstraint('reconcile_snapshot_row_pk', ['snapshot_id', 'seq'])
      .execute();
    await db.schema
      .createIndex('reconcile_snapshot_row_number')
      .on('reconcile_snapshot_row')
      .columns(['snapshot_id', 'row_number'])
      .execute();
    await db.schema
      .createTable('reconcile_plan')
      .addColumn('id', 'text', (column) => column.primaryKey().notNull())
      .addColumn('snapshot_id', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('updated_at', 'text', (column) => column.notNull())
      .addColumn('dry_run', 'integer', (column) => column.notNull())
      .addColumn('absent_policy', 'text', (column) => column.notNull())
      .addColumn('as_of', 'text')
      .addColumn('requested_by_kind', 'text', (column) => column.notNull())
      .addColumn('requested_by_user', 'text')
      .addColumn('policies_json', 'text', (column) => column.notNull())
      .addColumn('counts_json', 'text')
      .addColumn('safety_reasons_json', 'text')
      .addColumn('offboardings_to_start', 'integer')
      .addColumn('managed_accounts', 'integer')
      .addColumn('active_people', 'integer')
      .addColumn('decided_by_kind', 'text')
      .addColumn('decided_by_user', 'text')
      .addColumn('decision_reason', 'text')
      .addColumn('decided_at', 'text')
      .addColumn('applied_at', 'text')
      .execute();
    await db.schema
      .createIndex('reconcile_plan_created_at')
      .on('reconcile_plan')
      .column('created_at')
      .execute();
    await db.schema
      .createTable('reconcile_plan_entry')
      .addColumn('plan_id', 'text', (column) => column.notNull())
      .addColumn('seq', 'integer', (column) => column.notNull())
      .addColumn('external_id', 'text')
      .addColumn('staffbase_id', 'text')
      .addColumn('situation', 'text', (column) => column.notNull())
      .addColumn('action', 'text', (column) => column.notNull())
      .addColumn('reason', 'text', (column) => column.notNull())
      .addColumn('row_number', 'integer')
      .addColumn('detail_json', 'text')
      .addColumn('applied_outcome', 'text')
      .addColumn('applied_at', 'text')
      .addPrimaryKeyConstraint('reconcile_plan_entry_pk', ['plan_id', 'seq'])
      .execute();
    await db.schema
      .createIndex('reconcile_plan_entry_situation')
      .on('reconcile_plan_entry')
      .columns(['plan_id', 'situation', 'seq'])
      .execute();
    await db.schema
      .createTable('reconcile_directory_account')
      .addColumn('plan_id', 'text', (column) => column.notNull())
      .addColumn('staffbase_id', 'text', (column) => column.notNull())
      .addColumn('account_json', 'text', (column) => column.notNull())
      .addPrimaryKeyConstraint('reconcile_directory_account_pk', ['plan_id', 'staffbase_id'])
      .execute();
  },
};

/**
 * What the reports count by, on the milestone rows (store/milestone-pairing.ts, docs/reports.md): each
 * report becomes a GROUP BY per period over one covering index instead of reading every row.
 * Durations are ms (bigint: 30 days do not fit PostgreSQL's integer). The backfill pairs the rows
 * already there, person by person, and gives a wait still open the code its run is parked with now.
 */
const milestoneReportColumns: Migration = {
  async up(db: AnyDb) {
    // Kysely runs SQLite's migrations outside a transaction; this one has many steps (a process
    // stopped half-way would leave columns a rerun trips over), so on SQLite it takes one of its own.
    if (db.isTransaction) await addMilestoneReportColumns(db);
    else await db.transaction().execute((trx) => addMilestoneReportColumns(trx));
  },
};

async function addMilestoneReportColumns(db: AnyDb): Promise<void> {
  const columns: [string, 'text' | 'integer' | 'bigint'][] = [
    ['ending_kind', 'text'],
    ['ending_after_ms', 'bigint'],
    ['since_invitation_ms', 'bigint'],
    ['reminders', 'integer'],
    ['wait_ms', 'bigint'],
    ['run_started_at', 'text'],
    ['after_hold', 'integer'],
    ['attention_code', 'text'],
  ];
  for (const [name, type] of columns) await db.schema.alterTable('milestone').addColumn(name, type).execute();
  // The store's milestone table is now as the pairing code reads it.
  const store = db as unknown as StoreConnection['db'];
  for (let after = ''; ;) {
    const people = await store
      .selectFrom('milestone')
      .select('external_id')
      .distinct()
      .where('external_id', '>', after)
      .orderBy('external_id')
      .limit(500)
      .execute();
    const last = people.at(-1);
    if (!last) break;
    await refreshPairings(
      store,
      people.map((person) => person.external_id),
    );
    after = last.external_id;
  }
  await store
    .updateTable('milestone')
    .set((eb) => ({
      attention_code: eb
        .selectFrom('person')
        .select('person.attention_code')
        .whereRef('person.open_run_id', '=', 'milestone.run_id')
        .where('person.stage', '=', 'needs-attention'),
    }))
    .where('milestone.kind', '=', 'needs-attention')
    .where('milestone.wait_ms', 'is', null)
    .execute();
  // Built after the backfill (cheaper than kept current row by row). Covering for the reports (they
  // read no table row) and for what used milestone_kind_at, which it replaces: the same leading
  // (kind, at), then the pairings, then whose row it is.
  await db.schema.dropIndex('milestone_kind_at').execute();
  await db.schema
    .createIndex('milestone_kind_at_report')
    .on('milestone')
    .columns(['kind', 'at', ...columns.map(([name]) => name), 'external_id', 'run_id'])
    .execute();
  // leaver-timeliness reads the offboarding people's last working days from this index alone.
  await db.schema
    .createIndex('person_lifecycle_last_working_day')
    .on('person')
    .columns(['lifecycle', 'last_working_day', 'external_id'])
    .execute();
}

/** Every migration, in order. The names are the record of what ran (table `store_migration`). */
export const storeMigrations: Readonly<Record<string, Migration>> = {
  '2026-12-07-0001-person-index-milestones-audit': initialSchema,
  '2026-12-07-0004-milestone-kind-at-index': milestoneKindAtIndex,
  '2026-12-07-0005-lifecycle-event-outbox': lifecycleEventOutbox,
  '2026-12-07-0010-reconciliation-plans': reconciliationPlans,
  '2026-12-08-0011-milestone-report-columns': milestoneReportColumns,
};

export interface MigrationReport {
  /** The migrations this call applied (empty: the schema was current). */
  applied: string[];
}

export class StoreMigrationError extends Error {
  override readonly name = 'StoreMigrationError';
}

const sqliteBusy = (error: unknown) =>
  error instanceof Error && /^SQLITE_BUSY/.test(String((error as { code?: unknown }).code));

/**
 * Kysely takes no migration lock on SQLite (one connection is all it expects), so two processes opening
 * a new file both find nothing applied: the second then fails on a table the first just created (and
 * committed, with its record of the migration, in one transaction). Its retry finds the schema current.
 */
const sqliteLostRace = (error: unknown) =>
  sqliteBusy(error) || (error instanceof Error && /already exists|duplicate column name/.test(error.message));

/**
 * Applies the migrations not applied yet. Concurrent callers are safe: PostgreSQL takes Kysely's
 * migration lock; on SQLite the loser of the race (busy, or a table the winner created) retries and
 * then finds the schema current.
 */
export async function migrateStore(connection: StoreConnection): Promise<MigrationReport> {
  const { Migrator } = await loadKyselyMigration();
  const migrator = new Migrator({
    db: connection.db,
    provider: { getMigrations: () => Promise.resolve({ ...storeMigrations }) },
    migrationTableName: 'store_migration',
    migrationLockTableName: 'store_migration_lock',
  });
  for (let attempt = 1; ; attempt += 1) {
    const { error, results = [] } = await migrator.migrateToLatest();
    if (error === undefined) {
      return { applied: results.filter((result) => result.status === 'Success').map((r) => r.migrationName) };
    }
    if (connection.kind === 'sqlite' && sqliteLostRace(error) && attempt < 20) {
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      continue;
    }
    const failed = results.find((result) => result.status === 'Error')?.migrationName;
    throw new StoreMigrationError(
      `The store's migration${failed ? ` ${failed}` : ''} failed: ${error instanceof Error ? error.message : 'unknown error'}`,
      { cause: error },
    );
  }
}
