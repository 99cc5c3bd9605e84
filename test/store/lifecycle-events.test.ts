/**
 * The outbox of lifecycle events (store/lifecycle-events.ts) on SQLite and PostgreSQL: a new milestone
 * enqueues one row per subscriber in its transaction, numbered per person; a repeated milestone
 * enqueues nothing; only a stream's first undelivered event is deliverable, a parked one holds the
 * rest until it is retried.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LifecycleStore } from '../../store';
import { type StoreDatabases, type StoreKind, startStoreDatabases } from '../helpers/store-databases';

function outboxCases(kind: StoreKind): void {
  describe(`the lifecycle event outbox on ${kind}`, () => {
    let databases: StoreDatabases;
    let store: LifecycleStore;

    before(async () => {
      databases = await startStoreDatabases(kind);
      ({ store } = await databases.freshStore());
    });
    after(() => databases?.stop());

    const record = (externalID: string, kind: string, minute: number, subscriberIds: string[]) =>
      store.people.recordMilestone({
        externalID,
        runId: `run-${externalID}`,
        kind,
        at: `2026-12-07T10:${String(minute).padStart(2, '0')}:00.000Z`,
        event: {
          eventId: `evt_${externalID}_${kind}`,
          lifecycle: 'onboarding',
          milestone: kind,
          subscriberIds,
        },
      });
    const heads = async () =>
      (await store.events.deliverableHeads({ except: [], limit: 50 })).map(
        (row) => `${row.subscriberId}:${row.externalID}#${row.sequence}`,
      );

    it('numbers a person’s events, one row per subscriber; a repeated milestone adds nothing', async () => {
      assert.equal(await record('p1', 'started', 0, ['a', 'b']), 'recorded');
      assert.equal(await record('p1', 'invited', 1, ['a']), 'recorded');
      assert.equal(await record('p1', 'invited', 1, ['a']), 'duplicate');
      // A milestone no subscriber takes uses no number.
      assert.equal(await record('p1', 'reminder', 2, []), 'recorded');
      assert.equal(await record('p1', 'activated', 3, ['a', 'b']), 'recorded');
      assert.deepEqual(
        (await store.events.stream('a', 'p1')).map((row) => [row.milestone, row.sequence, row.status]),
        [
          ['started', 1, 'pending'],
          ['invited', 2, 'pending'],
          ['activated', 3, 'pending'],
        ],
      );
      assert.deepEqual(
        (await store.events.stream('b', 'p1')).map((row) => row.sequence),
        [1, 3],
      );
      assert.deepEqual(
        (await store.people.milestones('p1')).map((milestone) => milestone.kind),
        ['started', 'invited', 'reminder', 'activated'],
      );
    });

    it('hands out only each stream’s head; a parked head holds its stream until retried', async () => {
      assert.deepEqual((await heads()).sort(), ['a:p1#1', 'b:p1#1']);
      await store.events.markDelivered(
        { subscriberId: 'a', eventId: 'evt_p1_started' },
        '2026-12-07T11:00:00.000Z',
      );
      assert.deepEqual((await heads()).sort(), ['a:p1#2', 'b:p1#1']);
      assert.equal(
        await store.events.park(
          { subscriberId: 'a', eventId: 'evt_p1_invited' },
          '2026-12-08T11:00:00.000Z',
          'x',
        ),
        'parked',
      );
      assert.deepEqual(await heads(), ['b:p1#1'], 'the parked event holds a:p1#3');
      assert.deepEqual(
        (await store.events.parked()).map((row) => row.eventId),
        ['evt_p1_invited'],
      );
      // Only a pending row parks; a retry puts the parked one back, and the stream goes on in order.
      assert.equal(
        await store.events.park(
          { subscriberId: 'a', eventId: 'evt_p1_started' },
          '2026-12-08T11:00:00.000Z',
          'x',
        ),
        'not-pending',
      );
      assert.equal(await store.events.retryParked({ subscriberId: 'a' }), 1);
      assert.deepEqual((await heads()).sort(), ['a:p1#2', 'b:p1#1']);
      assert.equal(await store.events.retryParked({}), 0);
    });
  });
}

outboxCases('sqlite');
outboxCases('postgres');
