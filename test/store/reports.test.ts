/**
 * The report queries (store/reports.ts) on both databases, over a known mix of seeded milestones
 * (test/helpers/report-seed.ts): the exact figures per ISO week and month in Europe/Berlin, the
 * buckets that only the policy time zone gives, and bad input refused naming the field.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type LifecycleStore, type ReportName, StoreInputError } from '../../store';
import { isoWeek } from '../../store/report-periods';
import {
  REPORT_END_OF_WORKING_DAY,
  REPORT_PERIOD,
  REPORT_TIME_ZONE,
  expectedTotals,
  januaryWeeks,
  seedReportMix,
} from '../helpers/report-seed';
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

    before(async () => {
      databases = await startStoreDatabases(kind);
      ({ store } = await databases.freshStore());
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

    it('reconciliation-drift: an empty series with a note, until reconciliations are recorded', async () => {
      const drift = await store.reports.report(query('reconciliation-drift'));
      assert.deepEqual(drift.columns, []);
      assert.deepEqual(
        drift.rows.map((row) => [row.period, row.values]),
        januaryWeeks.map((week) => [week, {}]),
      );
      assert.match(drift.note, /not recorded in the store yet/);
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
