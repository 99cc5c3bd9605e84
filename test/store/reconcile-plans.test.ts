/**
 * The store's reconciliation plans (store/reconcile-plans.ts) on a real SQLite file: snapshot rows in and
 * out in order, entries paged and filtered, compare-and-set of the plan's status, the last applied
 * snapshot's active count, and the erasure of snapshot rows RECONCILE_KEEP_DAYS after a plan ends.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PlanEntry } from '../../lifecycle/reconcile/situations';
import type { SnapshotRow } from '../../lifecycle/reconcile/snapshot-row';
import { StoreInputError } from '../../store';
import { type TempStore, openTempStore } from '../helpers/temp-store';

const row = (n: number, status: 'active' | 'terminated'): SnapshotRow => ({
  kind: 'valid',
  row: n + 1,
  person: { externalID: `E${n}`, status, ...(status === 'active' && { userName: `u${n}` }) },
});

describe('reconciliation plans in the store (SQLite)', () => {
  let store: TempStore;
  before(async () => {
    store = await openTempStore();
  });
  after(async () => {
    await store.close();
  });

  const newPlan = async (planId: string, snapshotId: string, rows: SnapshotRow[]) => {
    await store.reconcile.createSnapshot({ snapshotId, source: 'test', rows });
    return store.reconcile.createPlan({
      planId,
      snapshotId,
      dryRun: false,
      absent: 'ignore',
      requestedBy: { kind: 'cli', user: 'tester' },
      policies: { onboarding: {}, offboarding: {} },
    });
  };

  it('keeps a snapshot’s rows in file order and counts its active people', async () => {
    const rows = Array.from({ length: 450 }, (_, n) => row(n, n % 3 === 0 ? 'terminated' : 'active'));
    const plan = await newPlan('p-rows', 's-rows', rows);
    assert.equal(plan.status, 'planning');
    const first = await store.reconcile.snapshotRows('s-rows', 0, 400);
    const rest = await store.reconcile.snapshotRows('s-rows', first.at(-1)?.seq ?? 0, 400);
    assert.deepEqual(
      [...first, ...rest].map((stored) => stored.row),
      rows,
    );
    assert.deepEqual(await store.reconcile.snapshotRow('s-rows', 11), rows[10]);
  });

  it('pages entries, filters by situation, and records each entry’s outcome once', async () => {
    await newPlan('p-entries', 's-entries', []);
    const entries: PlanEntry[] = Array.from({ length: 7 }, (_, n) => ({
      externalID: n === 6 ? null : `E${n}`,
      situation: n % 2 === 0 ? 'joiner' : 'in-sync',
      action: n % 2 === 0 ? 'start-onboarding' : 'none',
      reason: 'r',
      ...(n === 6 && { staffbaseId: 'acc-6', situation: 'unmanaged' as const, action: 'report' as const }),
    }));
    assert.equal(await store.reconcile.replaceEntries('p-entries', entries), 7);
    // A retried classification replaces, never doubles.
    assert.equal(await store.reconcile.replaceEntries('p-entries', entries), 7);
    const page1 = await store.reconcile.entries('p-entries', { limit: 3 });
    assert.deepEqual(
      page1.entries.map((entry) => entry.seq),
      [1, 2, 3],
    );
    assert.equal(page1.nextAfterSeq, 3);
    const page3 = await store.reconcile.entries('p-entries', { limit: 3, afterSeq: 6 });
    assert.equal(page3.nextAfterSeq, undefined);
    assert.equal(page3.entries[0]?.externalID, null);
    assert.equal(page3.entries[0]?.staffbaseId, 'acc-6');
    const joiners = await store.reconcile.entries('p-entries', { situation: 'joiner' });
    assert.deepEqual(
      joiners.entries.map((entry) => entry.externalID),
      ['E0', 'E2', 'E4'],
    );
    assert.equal(await store.reconcile.markEntryApplied('p-entries', 1, 'started'), true);
    assert.equal(await store.reconcile.markEntryApplied('p-entries', 1, 'already-running'), false);
    const pending = await store.reconcile.entries('p-entries', { pendingStarts: true });
    assert.deepEqual(
      pending.entries.map((entry) => entry.externalID),
      ['E2', 'E4'],
    );
    await assert.rejects(store.reconcile.entries('p-entries', { limit: 0 }), StoreInputError);
  });

  it('moves a plan only from the status it is in; decides only a held plan', async () => {
    await newPlan('p-status', 's-status', [row(1, 'active'), row(2, 'active')]);
    const counts = { joiner: 0 } as never;
    const classified = {
      status: 'held-for-approval' as const,
      counts,
      safetyReasons: ['too many'],
      offboardingsToStart: 60,
      managedAccounts: 100,
      activePeople: 2,
    };
    assert.equal(await store.reconcile.recordClassification('p-status', classified), true);
    assert.equal(await store.reconcile.recordClassification('p-status', classified), false);
    assert.equal(
      await store.reconcile.decide('p-status', 'approve', { kind: 'admin-key', user: 'ann' }, 'ok'),
      true,
    );
    assert.equal(await store.reconcile.decide('p-status', 'discard', { kind: 'admin-key' }, null), false);
    const plan = await store.reconcile.plan('p-status');
    assert.equal(plan?.status, 'approved');
    assert.deepEqual(plan?.decision?.by, { kind: 'admin-key', user: 'ann' });
    assert.deepEqual(plan?.safetyReasons, ['too many']);
    assert.equal(await store.reconcile.lastAppliedActivePeople(), undefined);
    await store.reconcile.transition('p-status', ['approved'], 'applying');
    await store.reconcile.transition('p-status', ['applying'], 'applied', {
      applied_at: new Date().toISOString(),
    });
    assert.equal(await store.reconcile.lastAppliedActivePeople(), 2);
  });

  it('erases a snapshot’s rows RECONCILE_KEEP_DAYS after its plan ended, not before', async () => {
    await newPlan('p-erase', 's-erase', [row(1, 'active'), row(2, 'terminated')]);
    const ended = new Date('2027-01-01T00:00:00.000Z');
    await store.reconcile.scheduleSnapshotErasure('s-erase', 30, ended);
    assert.equal(await store.reconcile.eraseExpiredSnapshotRows(new Date('2027-01-30T23:59:59.000Z')), 0);
    assert.equal((await store.reconcile.snapshotRows('s-erase', 0)).length, 2);
    assert.equal(await store.reconcile.eraseExpiredSnapshotRows(new Date('2027-01-31T00:00:00.000Z')), 1);
    assert.equal((await store.reconcile.snapshotRows('s-erase', 0)).length, 0);
    // The other snapshots keep their rows; the plan keeps its counts.
    assert.equal((await store.reconcile.snapshotRows('s-rows', 0, 10)).length, 10);
    assert.equal((await store.reconcile.plan('p-erase'))?.planId, 'p-erase');
    assert.equal(await store.reconcile.eraseExpiredSnapshotRows(new Date('2027-02-28T00:00:00.000Z')), 0);
  });
});
