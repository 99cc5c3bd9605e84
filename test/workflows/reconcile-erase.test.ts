/**
 * The reconcile-erase Schedule (issue 30: snapshots hold names and emails) on the dev server (Schedules
 * need it): its workflow, run by real workers with a real SQLite store, deletes the snapshot rows of
 * plans applied, discarded or dry-run more than RECONCILE_KEEP_DAYS ago, and keeps the rows of a plan
 * that ended recently and of a plan still held for approval; every plan keeps its counts, entries and
 * decision. The act is an audit row with the count. And the Schedule: created daily with the setting.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { emptyCounts } from '../../lifecycle/reconcile/situations';
import { taskQueues } from '../../lifecycle/task-queues';
import {
  RECONCILE_ERASE_SCHEDULE_ID,
  ensureReconcileEraseSchedule,
} from '../../worker/reconcile-erase-schedule';
import type { reconcileErase } from '../../workflows/reconcile-erase';
import { type LifecycleTestStack, startLifecycleTestStack } from '../helpers/lifecycle-stack';
import { uniqueSuffix } from '../helpers/people';
import { type TempStore, openTempStore } from '../helpers/temp-store';
import { personRow } from '../lifecycle/reconcile/drift-corpus';

const day = 86_400_000;
const requestedBy = { kind: 'cli', user: 'test-admin' };

describe('reconcile-erase Schedule (dev server, real workers and store)', () => {
  let store: TempStore;
  let stack: LifecycleTestStack;

  before(async () => {
    store = await openTempStore();
    stack = await startLifecycleTestStack({ server: 'dev-server', store });
  });
  after(async () => {
    await stack?.close();
    await store?.close();
  });

  /** The plan's last status change, moved into the past (the store stamps the current time). */
  function endedDaysAgo(planId: string, days: number): void {
    const db = new Database(store.file);
    try {
      db.prepare('UPDATE reconcile_plan SET updated_at = ? WHERE id = ?').run(
        new Date(Date.now() - days * day).toISOString(),
        planId,
      );
    } finally {
      db.close();
    }
  }

  /** A plan over a two-person snapshot, classified as `status`, with one entry. */
  async function planOf(
    name: string,
    status: 'dry-run' | 'held-for-approval' | 'applying',
  ): Promise<{ planId: string; snapshotId: string }> {
    const snapshotId = `snapshot-${randomUUID()}`;
    const planId = `plan-${randomUUID()}`;
    const id = `${name}-${uniqueSuffix()}`;
    await store.reconcile.createSnapshot({
      snapshotId,
      source: 'test',
      rows: [1, 2].map((n) =>
        personRow({
          externalID: `${id}-${n}`,
          status: 'active',
          userName: `${id}-${n}`,
          firstName: 'Grace',
          lastName: 'Hopper',
          email: `${id}-${n}@example.test`,
        }),
      ),
    });
    await store.reconcile.createPlan({
      planId,
      snapshotId,
      dryRun: status === 'dry-run',
      absent: 'ignore',
      requestedBy,
      policies: {},
    });
    await store.reconcile.replaceEntries(planId, [
      {
        externalID: `${id}-1`,
        situation: 'joiner',
        action: 'start-onboarding',
        reason: 'active in HR, no account',
      },
    ]);
    const counts = { ...emptyCounts(), joiner: 1, 'in-sync': 1 };
    assert.ok(
      await store.reconcile.recordClassification(planId, {
        status,
        counts,
        safetyReasons:
          status === 'held-for-approval'
            ? ['1 offboardings to start, more than RECONCILE_HOLD_ABOVE (0)']
            : [],
        offboardingsToStart: 0,
        managedAccounts: 0,
        activePeople: 2,
      }),
    );
    return { planId, snapshotId };
  }

  const rowsOf = async (snapshotId: string) => (await store.reconcile.snapshotRows(snapshotId, 0)).length;

  it('erases the snapshot rows of plans ended more than N days ago, keeps the plans, and audits the count', async () => {
    const applied = await planOf('applied', 'applying');
    assert.ok(await store.reconcile.transition(applied.planId, ['applying'], 'applied'));
    endedDaysAgo(applied.planId, 31);
    const discarded = await planOf('discarded', 'held-for-approval');
    assert.ok(await store.reconcile.decide(discarded.planId, 'discard', requestedBy, 'export cut short'));
    endedDaysAgo(discarded.planId, 40);
    const dryRun = await planOf('dry-run', 'dry-run');
    endedDaysAgo(dryRun.planId, 35);
    // Kept: ended 10 days ago; and a plan still waiting for approval, however old (applying needs its rows).
    const recent = await planOf('recent', 'applying');
    assert.ok(await store.reconcile.transition(recent.planId, ['applying'], 'applied'));
    endedDaysAgo(recent.planId, 10);
    const held = await planOf('held', 'held-for-approval');
    endedDaysAgo(held.planId, 90);

    const workflowId = `reconcile-erase-test-${uniqueSuffix()}`;
    const run = () =>
      stack.runWorkers(() =>
        stack.env.client.workflow.execute<typeof reconcileErase>('reconcileErase', {
          workflowId: `${workflowId}-${randomUUID()}`,
          taskQueue: taskQueues.lifecycle,
          args: [{ keepDays: 30 }],
        }),
      );
    const result = await run();
    assert.deepEqual([result.result, result.snapshots, result.count], ['erased', 3, 6]);

    for (const erased of [applied, discarded, dryRun]) assert.equal(await rowsOf(erased.snapshotId), 0);
    assert.equal(await rowsOf(recent.snapshotId), 2);
    assert.equal(await rowsOf(held.snapshotId), 2);
    // What an auditor needs stays: status, counts, the decision, the entries.
    const plan = await store.reconcile.plan(discarded.planId);
    assert.deepEqual(
      [plan?.status, plan?.counts?.joiner, plan?.decision?.reason],
      ['discarded', 1, 'export cut short'],
    );
    const entries = await store.reconcile.entries(applied.planId, {});
    assert.deepEqual(
      entries.entries.map((entry) => [entry.situation, entry.action]),
      [['joiner', 'start-onboarding']],
    );

    const { rows } = await store.audit.find({ action: 'reconcile-snapshots-erased' });
    assert.equal(rows.length, 1);
    assert.deepEqual([rows[0]?.actor.kind, rows[0]?.outcome], ['worker', 'erased']);
    assert.match(
      String(rows[0]?.reason),
      /^rows of 3 reconciliation snapshots erased, their plans ended before .*\(RECONCILE_KEEP_DAYS=30\) \[count: 6\]$/,
    );
    assert.doesNotMatch(String(rows[0]?.reason), /Hopper|example\.test/);

    // Again: nothing left to erase, and the recent one still kept.
    const again = await run();
    assert.deepEqual([again.snapshots, again.count], [0, 0]);
    assert.equal(await rowsOf(recent.snapshotId), 2);
    assert.deepEqual(await store.audit.verify(), { ok: true, rows: 2 });
  });

  it('runs daily from a Schedule with RECONCILE_KEEP_DAYS', async () => {
    const client = stack.env.client;
    assert.equal(await ensureReconcileEraseSchedule(client, { keepDays: 45 }), 'created');
    const handle = client.schedule.getHandle(RECONCILE_ERASE_SCHEDULE_ID);
    try {
      let description = await handle.describe();
      assert.equal(description.state.paused, false);
      assert.equal(description.action.type, 'startWorkflow');
      assert.equal(description.action.workflowType, 'reconcileErase');
      assert.equal(description.action.taskQueue, taskQueues.lifecycle);
      assert.deepEqual(description.action.args, [{ keepDays: 45 }]);
      assert.deepEqual(
        description.spec.intervals?.map((interval) => interval.every),
        [day],
      );
      // A new setting at the next start-up updates it.
      assert.equal(await ensureReconcileEraseSchedule(client, { keepDays: 7 }), 'updated');
      description = await handle.describe();
      assert.deepEqual(description.action.args, [{ keepDays: 7 }]);
    } finally {
      await handle.delete();
    }
  });
});
