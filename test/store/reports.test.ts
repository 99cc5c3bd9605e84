/**
 * The report queries (store/reports.ts) on both databases, over a known mix of seeded milestones
 * (test/helpers/report-seed.ts): the exact figures per ISO week and month in Europe/Berlin, the
 * buckets that only the policy time zone gives, and bad input refused naming the field.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type LifecycleStore,
  type ReportName,
  StoreInputError,
  openStore,
  storeMigrations,
} from '../../store';
import { type StoreConnection } from '../../store/connection';
import { loadKyselyMigration } from '../../store/kysely-module';
import { pairMilestones, rowKey } from '../../store/milestone-pairing';
import { personIndexWrites } from '../../store/person-index';
import { isoWeek } from '../../store/report-periods';
import {
  REPORT_END_OF_WORKING_DAY,
  REPORT_PERIOD,
  REPORT_TIME_ZONE,
  expectedDrift,
  expectedTotals,
  januaryWeeks,
  reportMixRuns,
  seedReconciliations,
  seedReportMix,
} from '../helpers/report-seed';
import type { Kysely as KyselyDb } from 'kysely' with { 'resolution-mode': 'import' };
import { type StoreConfig } from '../../config/store';
import { type StoreDatabases, type StoreKind, startStoreDatabases } from '../helpers/store-databases';

const query = (
  name: ReportName,
  overrides: Partial<{ from: string; to: string; by: 'week' | 'month'; timeZone: string }> = {},
) => ({
  name,
  ...REPORT_PERIOD,
  by: 'week' as const,
  timeZone: REPORT_TIME_ZONE,
  endOfWorkingDay: REPORT_END_OF_WORKING_DAY,
  ...overrides,
});

// The milestone table before migration 0011.
type OldMilestoneDb = KyselyDb<{
  milestone: { external_id: string; run_id: string; kind: string; at: string };
}>;

/** The report mix written straight into a database migrated only up to `lastMigration`. */
async function writeMixUnpaired(connection: StoreConnection, lastMigration: string): Promise<void> {
  const { Migrator } = await loadKyselyMigration();
  const names = Object.keys(storeMigrations);
  const earlier = Object.fromEntries(
    Object.entries(storeMigrations).slice(0, names.indexOf(lastMigration) + 1),
  );
  const { error } = await new Migrator({
    db: connection.db,
    provider: { getMigrations: () => Promise.resolve(earlier) },
    migrationTableName: 'store_migration',
    migrationLockTableName: 'store_migration_lock',
  }).migrateToLatest();
  assert.equal(error, undefined);
  // The milestone table as it was before 0011: only these four columns.
  const db = connection.db as unknown as OldMilestoneDb;
  for (const run of reportMixRuns('old')) {
    const runId = `run-${run.externalID}`;
    const first = run.milestones[0]?.[1] ?? '';
    await connection.db
      .insertInto('person')
      .values({
        external_id: run.externalID,
        first_name: null,
        last_name: null,
        email: null,
        search_text: '',
        lifecycle: run.lifecycle,
        stage: run.stage,
        start_date: null,
        last_working_day: run.lastWorkingDay ?? null,
        attention_code: run.attentionCode ?? null,
        outcome: run.outcome ?? null,
        open_run_id: run.open ? runId : null,
        latest_run_id: runId,
        run_started_at: first,
        sequence: run.milestones.length,
        updated_at: run.milestones.at(-1)?.[1] ?? first,
      })
      .execute();
    await db
      .insertInto('milestone')
      .values(run.milestones.map(([kind, at]) => ({ external_id: run.externalID, run_id: runId, kind, at })))
      .execute();
  }
}

describe('pairing milestones', () => {
  it('pairs the same whatever order the rows arrive in', () => {
    for (const run of reportMixRuns('p')) {
      const rows = run.milestones.map(([kind, at]) => ({ run_id: `run-${run.externalID}`, kind, at }));
      const inOrder = pairMilestones(rows);
      assert.deepEqual(pairMilestones([...rows].reverse()), inOrder, run.externalID);
    }
  });
});

describe('ISO weeks', () => {
  it('numbers weeks as ISO 8601 does at the turn of the year', () => {
    assert.equal(isoWeek('2027-01-03'), '2026-W53');
    assert.equal(isoWeek('2027-01-04'), '2027-W01');
    assert.equal(isoWeek('2025-12-29'), '2026-W01');
    assert.equal(isoWeek('2027-12-31'), '2027-W52');
  });
});

function reportCases(kind: StoreKind): void {
  describe(`reports on ${kind}`, () => {
    let databases: StoreDatabases;
    let store: LifecycleStore;
    let config: StoreConfig;

    before(async () => {
      databases = await startStoreDatabases(kind);
      ({ store, config } = await databases.freshStore());
      await seedReportMix(store, 'rep');
    });
    after(async () => {
      await databases?.stop();
    });

    for (const name of Object.keys(expectedTotals) as (keyof typeof expectedTotals)[]) {
      it(`${name}: the seeded figures over January, by week and by month alike`, async () => {
        const weekly = await store.reports.report(query(name));
        assert.deepEqual(weekly.total, expectedTotals[name]);
        assert.deepEqual(
          weekly.rows.map((row) => row.period),
          januaryWeeks,
        );
        assert.deepEqual(
          weekly.columns.map((column) => column.key).sort(),
          Object.keys(expectedTotals[name]).sort(),
        );
        const monthly = await store.reports.report(query(name, { by: 'month' }));
        assert.deepEqual(
          monthly.rows.map((row) => [row.period, row.from, row.to]),
          [['2027-01', '2027-01-01', '2027-01-31']],
        );
        assert.deepEqual(monthly.rows[0]?.values, expectedTotals[name]);
      });
    }

    it('buckets each event by its week in the policy time zone', async () => {
      const pick = (rows: { period: string; values: Record<string, number | null> }[], key: string) =>
        Object.fromEntries(rows.map((row) => [row.period, row.values[key]]));
      const funnel = await store.reports.report(query('activation-funnel'));
      // The 9-day hire was invited at 00:30 on Monday 4 January in Berlin: week 1, not week 53.
      assert.deepEqual(pick(funnel.rows, 'invited'), {
        '2026-W53': 0,
        '2027-W01': 3,
        '2027-W02': 1,
        '2027-W03': 0,
        '2027-W04': 0,
      });
      const inUtc = await store.reports.report(query('activation-funnel', { timeZone: 'UTC' }));
      assert.equal(pick(inUtc.rows, 'invited')['2026-W53'], 1);

      const speed = await store.reports.report(query('time-to-activate'));
      assert.deepEqual(pick(speed.rows, 'medianDays'), {
        '2026-W53': null,
        '2027-W01': 2,
        '2027-W02': 9,
        '2027-W03': null,
        '2027-W04': null,
      });

      const leavers = await store.reports.report(query('leaver-timeliness'));
      assert.deepEqual(pick(leavers.rows, 'medianHours'), {
        '2026-W53': null,
        '2027-W01': 0.03,
        '2027-W02': 3,
        '2027-W03': null,
        '2027-W04': null,
      });
      assert.equal(pick(leavers.rows, 'startedLate')['2027-W03'], 1);
      assert.equal(pick(leavers.rows, 'deletedOnSchedule')['2027-W03'], 1);
      assert.equal(pick(leavers.rows, 'deletedAfterHold')['2027-W04'], 1);

      const attention = await store.reports.report(query('needs-attention'));
      assert.deepEqual(pick(attention.rows, 'remindersPerActivation'), {
        '2026-W53': null,
        '2027-W01': 1,
        '2027-W02': 2,
        '2027-W03': null,
        '2027-W04': null,
      });
      assert.equal(pick(attention.rows, 'code:userNameTaken')['2027-W02'], 1);
    });

    it('counts only what happened within the period', async () => {
      const funnel = await store.reports.report(
        query('activation-funnel', { from: '2027-01-11', to: '2027-01-17' }),
      );
      assert.deepEqual(
        funnel.rows.map((row) => row.period),
        ['2027-W02'],
      );
      assert.equal(funnel.total.invited, 1);
      assert.equal(funnel.total.stillWaiting, 1);
      const leavers = await store.reports.report(
        query('leaver-timeliness', { from: '2027-02-01', to: '2027-02-28' }),
      );
      assert.equal(leavers.total.deactivated, 0);
      assert.equal(leavers.total.medianHours, null);
    });

    it('needs-attention: a resolved wait counts by the code it parked with, whatever the write order', async () => {
      const february = { from: '2027-02-01', to: '2027-02-28', by: 'month' as const };
      const write = (externalID: string, runId: string, kind: string, at: string, attentionCode?: string) =>
        store.people.recordMilestone({
          externalID,
          runId,
          kind,
          at,
          ...(attentionCode && { attentionCode }),
        });
      // Written newest first: the pairs are the same as in order.
      await write('att-1', 'run-att-1', 'resolved', '2027-02-02T12:00:00.000Z');
      await write('att-1', 'run-att-1', 'needs-attention', '2027-02-02T09:00:00.000Z', 'conflict');
      await write('att-2', 'run-att-2', 'needs-attention', '2027-02-09T09:00:00.000Z', 'auth');
      await write('att-2', 'run-att-2', 'resolved', '2027-02-09T10:00:00.000Z');
      await write('att-3', 'run-att-3', 'activated', '2027-02-09T09:00:00.000Z');
      await write('att-3', 'run-att-3', 'reminder', '2027-02-05T09:00:00.000Z');
      await write('att-3', 'run-att-3', 'invited', '2027-02-03T09:00:00.000Z');
      const attention = await store.reports.report(query('needs-attention', february));
      assert.deepEqual(attention.total, {
        entered: 2,
        resolved: 2,
        stillWaiting: 0,
        medianWaitHours: 2,
        p90WaitHours: 2.8,
        remindersPerActivation: 1,
        'code:auth': 1,
        'code:conflict': 1,
      });
      assert.deepEqual(
        attention.columns.slice(-2).map((column) => column.label),
        ['Code auth', 'Code conflict'],
      );
      const funnel = await store.reports.report(query('activation-funnel', february));
      assert.equal(funnel.total.invited, 1);
      assert.equal(funnel.total.activatedWithin7Days, 1);
      assert.equal(funnel.total.activatedWithin1Day, 0);
      const speed = await store.reports.report(query('time-to-activate', february));
      assert.deepEqual(speed.total, { activated: 1, medianDays: 6, p90Days: 6 });
    });

    it('reconciliation-drift: no columns and a note without a reconciliation; then the people per situation', async () => {
      const empty = await store.reports.report(query('reconciliation-drift'));
      assert.deepEqual(empty.columns, []);
      assert.deepEqual(
        empty.rows.map((row) => [row.period, row.values]),
        januaryWeeks.map((week) => [week, {}]),
      );
      assert.match(empty.note, /No data yet/);

      const raw = await databases.connect(config);
      await seedReconciliations(store, async (planId, at) => {
        await raw.db.updateTable('reconcile_plan').set({ created_at: at }).where('id', '=', planId).execute();
      });
      const drift = await store.reports.report(query('reconciliation-drift'));
      assert.equal(drift.columns[0]?.key, 'reconciliations');
      assert.deepEqual(
        Object.fromEntries(drift.rows.map((row) => [row.period, row.values])),
        expectedDrift.weeks,
      );
      assert.deepEqual(drift.total, expectedDrift.total);
      const monthly = await store.reports.report(query('reconciliation-drift', { by: 'month' }));
      assert.deepEqual(monthly.rows[0]?.values, expectedDrift.total);
    });

    it('pairs one person’s milestones written all at once (two pools on PostgreSQL) as if written one by one', async () => {
      const externalID = 'race-1';
      await store.people.upsertPerson({
        externalID,
        lifecycle: 'onboarding',
        stage: 'awaiting-activation',
        runId: 'run-race-1',
        runStartedAt: '2027-03-01T08:00:00.000Z',
        sequence: 1,
        open: true,
        at: '2027-03-01T08:00:00.000Z',
      });
      const raw = await databases.connect(config);
      // PostgreSQL: a second pool, as a second process would write. SQLite: one process writes through
      // one connection (two here would wait on each other's lock inside one thread).
      const second = kind === 'postgres' ? personIndexWrites(raw.db, kind) : store.people;
      // Three invitations, each with reminders and an ending, written all at once in shuffled order.
      const rows: { run_id: string; kind: string; at: string }[] = [];
      for (let round = 0; round < 3; round += 1) {
        const day = (n: number) => `2027-03-${String(2 + round * 8 + n).padStart(2, '0')}T09:00:00.000Z`;
        const run_id = `run-race-${round}`;
        rows.push({ run_id, kind: 'invited', at: day(0) });
        rows.push({ run_id, kind: 'reminder', at: day(2) }, { run_id, kind: 'reminder', at: day(4) });
        rows.push({ run_id, kind: round === 1 ? 'expired' : 'activated', at: day(5) });
      }
      const shuffled = rows.map((row, index) => ({ row, key: (index * 7) % rows.length }));
      shuffled.sort((a, b) => a.key - b.key);
      await Promise.all(
        shuffled.map(({ row }, index) =>
          (index % 2 === 0 ? store.people : second).recordMilestone({
            externalID,
            runId: row.run_id,
            kind: row.kind,
            at: row.at,
          }),
        ),
      );
      const stored = await raw.db
        .selectFrom('milestone')
        .select([
          'run_id',
          'kind',
          'at',
          'ending_kind',
          'ending_after_ms',
          'since_invitation_ms',
          'reminders',
        ])
        .where('external_id', '=', externalID)
        .execute();
      const expected = pairMilestones(rows);
      assert.equal(stored.length, rows.length);
      for (const row of stored) {
        const pair = expected.get(rowKey(row));
        const asNumber = (value: unknown) => (value === null ? null : Number(value));
        assert.deepEqual(
          [row.ending_kind, asNumber(row.ending_after_ms), asNumber(row.since_invitation_ms), row.reminders],
          [pair?.ending_kind, pair?.ending_after_ms, pair?.since_invitation_ms, pair?.reminders],
          `${row.kind} at ${row.at}`,
        );
      }
    });

    it('migration 0011 pairs the milestone rows already there: the same figures as written today', async () => {
      const before0011 = await databases.freshConfig();
      const connection = await databases.connect(before0011);
      await writeMixUnpaired(connection, '2026-12-07-0010-reconciliation-plans');
      const migrated = await openStore(before0011, { migrate: true });
      try {
        for (const name of Object.keys(expectedTotals) as (keyof typeof expectedTotals)[]) {
          const report = await migrated.reports.report(query(name));
          assert.deepEqual(report.total, expectedTotals[name], name);
        }
      } finally {
        await migrated.close();
      }
    });

    it('refuses a bad period, naming the field', async () => {
      const refusal = async (overrides: Parameters<typeof query>[1], field: string) =>
        assert.rejects(store.reports.report(query('time-to-activate', overrides)), (error: unknown) => {
          assert.ok(error instanceof StoreInputError);
          assert.equal(error.field, field);
          return true;
        });
      await refusal({ from: '2027-02-30' }, 'from');
      await refusal({ from: '2027-02-01', to: '2027-01-01' }, 'to');
      await refusal({ from: '2020-01-01', to: '2027-01-01' }, 'to');
      await refusal({ timeZone: 'Mars/Olympus' }, 'timeZone');
    });
  });
}

reportCases('sqlite');
reportCases('postgres');
