/**
 * The store-erase Schedule (issue 29, privacy in the store) on the dev server (Schedules need it): its
 * workflow, run by real workers with a real SQLite store, empties the name and email of a person deleted
 * more than STORE_ERASE_AFTER_DAYS ago and keeps a recent one; the act is an audit row with the count.
 * And the Schedule: created daily with the setting, paused at 0; the setting's parsing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '../../config/config-error';
import { storeEraseScheduleConfigFromEnv } from '../../config/schedules';
import { taskQueues } from '../../lifecycle/task-queues';
import { type LifecycleStore, openStore } from '../../store';
import { STORE_ERASE_SCHEDULE_ID, ensureStoreEraseSchedule } from '../../worker/store-erase-schedule';
import type { storeErase } from '../../workflows/store-erase';
import { type LifecycleTestStack, startLifecycleTestStack } from '../helpers/lifecycle-stack';
import { uniqueSuffix } from '../helpers/people';

const day = 86_400_000;

describe('store-erase Schedule (dev server, real workers and store)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'store-erase-'));
  let store: LifecycleStore;
  let stack: LifecycleTestStack;

  before(async () => {
    store = await openStore({ kind: 'sqlite', file: path.join(dir, 'store.sqlite') });
    stack = await startLifecycleTestStack({ server: 'dev-server', store });
  });
  after(async () => {
    await stack?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function deletedPerson(externalID: string, daysAgo: number): Promise<void> {
    const at = new Date(Date.now() - daysAgo * day).toISOString();
    const runId = `offboarding-${externalID}`;
    await store.people.upsertPerson({
      externalID,
      firstName: 'Grace',
      lastName: 'Hopper',
      email: `${externalID}@example.test`,
      lifecycle: 'offboarding',
      stage: 'completed',
      outcome: 'deleted',
      runId,
      runStartedAt: new Date(Date.now() - (daysAgo + 40) * day).toISOString(),
      sequence: 5,
      open: false,
      at,
    });
    await store.people.recordMilestone({ externalID, runId, kind: 'deleted', at });
  }

  it('reads STORE_ERASE_AFTER_DAYS: default 30, 0 switches off, a bad value is named', () => {
    assert.deepEqual(storeEraseScheduleConfigFromEnv({}), { afterDays: 30 });
    assert.deepEqual(storeEraseScheduleConfigFromEnv({ STORE_ERASE_AFTER_DAYS: '0' }), { afterDays: 0 });
    assert.deepEqual(storeEraseScheduleConfigFromEnv({ STORE_ERASE_AFTER_DAYS: '90' }), { afterDays: 90 });
    for (const bad of ['soon', '-1', '3651'])
      assert.throws(
        () => storeEraseScheduleConfigFromEnv({ STORE_ERASE_AFTER_DAYS: bad }),
        (error: unknown) =>
          error instanceof ConfigError && error.variables.includes('STORE_ERASE_AFTER_DAYS'),
      );
  });

  it('erases the name and email of people deleted more than N days ago, and audits it with the count', async () => {
    const old = `erase-old-${uniqueSuffix()}`;
    const recent = `erase-recent-${uniqueSuffix()}`;
    await deletedPerson(old, 40);
    await deletedPerson(recent, 10);
    const workflowId = `store-erase-test-${uniqueSuffix()}`;
    const result = await stack.runWorkers(() =>
      stack.env.client.workflow.execute<typeof storeErase>('storeErase', {
        workflowId,
        taskQueue: taskQueues.lifecycle,
        args: [{ afterDays: 30 }],
      }),
    );
    assert.equal(result.count, 1);
    const erased = await store.people.person(old);
    assert.deepEqual(
      [erased?.firstName, erased?.lastName, erased?.email, erased?.outcome],
      [null, null, null, 'deleted'],
    );
    assert.equal((await store.people.milestones(old)).length, 1, 'the milestones stay');
    assert.equal((await store.people.person(recent))?.lastName, 'Hopper');

    const { rows } = await store.audit.find({ action: 'store-erased' });
    assert.equal(rows.length, 1);
    assert.deepEqual(
      [rows[0]?.actor.kind, rows[0]?.runId, rows[0]?.outcome],
      ['worker', workflowId, 'erased'],
    );
    assert.match(String(rows[0]?.reason), /accounts deleted before .* \[count: 1\]$/);
    assert.deepEqual(await store.audit.verify(), { ok: true, rows: 1 });
  });

  it('runs daily from a Schedule with STORE_ERASE_AFTER_DAYS; 0 pauses it', async () => {
    const client = stack.env.client;
    assert.equal(await ensureStoreEraseSchedule(client, { afterDays: 45 }), 'created');
    const handle = client.schedule.getHandle(STORE_ERASE_SCHEDULE_ID);
    try {
      let description = await handle.describe();
      assert.equal(description.state.paused, false);
      assert.equal(description.action.type, 'startWorkflow');
      assert.equal(description.action.workflowType, 'storeErase');
      assert.equal(description.action.taskQueue, taskQueues.lifecycle);
      assert.deepEqual(description.action.args, [{ afterDays: 45 }]);
      assert.deepEqual(
        description.spec.intervals?.map((interval) => interval.every),
        [day],
      );
      assert.equal(await ensureStoreEraseSchedule(client, { afterDays: 0 }), 'paused');
      description = await handle.describe();
      assert.equal(description.state.paused, true);
      assert.match(description.state.note ?? '', /STORE_ERASE_AFTER_DAYS=0/);
    } finally {
      await handle.delete();
    }
  });
});
