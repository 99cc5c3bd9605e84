/**
 * The outbox of lifecycle events (docs/events.md). The person index's milestone write enqueues, in
 * the same transaction, one row per subscriber that takes the event, numbered by a per-person sequence;
 * the dispatcher (workflows/lifecycle-event-dispatcher.ts) delivers each subscriber's rows of a person
 * in sequence order: only a stream's first row not yet delivered is ever handed out, so a failing or
 * parked delivery holds the later ones of that person for that subscriber.
 */
import type { Transaction } from 'kysely' with { 'resolution-mode': 'import' };
import { type StoreDb } from './connection';
import { isoMoment, nonEmpty } from './store-input-error';
import { type LifecycleEventTable, type StoreDatabase } from './tables';

export interface LifecycleEventRow {
  subscriberId: string;
  eventId: string;
  externalID: string;
  sequence: number;
  lifecycle: string;
  milestone: string;
  runId: string;
  at: string;
  status: LifecycleEventTable['status'];
  deliveredAt: string | null;
  parkedAt: string | null;
  failure: string | null;
}

const eventRow = (row: LifecycleEventTable): LifecycleEventRow => ({
  subscriberId: row.subscriber_id,
  eventId: row.event_id,
  externalID: row.external_id,
  sequence: row.sequence,
  lifecycle: row.lifecycle,
  milestone: row.milestone,
  runId: row.run_id,
  at: row.at,
  status: row.status,
  deliveredAt: row.delivered_at,
  parkedAt: row.parked_at,
  failure: row.failure,
});

export interface EventToEnqueue {
  eventId: string;
  externalID: string;
  lifecycle: string;
  milestone: string;
  runId: string;
  at: string;
  /** The subscribers that take this event's type (none: nothing is enqueued, no number is used). */
  subscriberIds: readonly string[];
}

/** Inside the milestone's transaction: the person's next sequence number, then one row per subscriber. */
export async function enqueueLifecycleEvent(
  trx: Transaction<StoreDatabase>,
  event: EventToEnqueue,
): Promise<number | undefined> {
  if (event.subscriberIds.length === 0) return undefined;
  const externalID = nonEmpty(event.externalID, 'externalID');
  // A write first: the transaction takes the database's write lock before it reads anything.
  const numbered = await trx
    .insertInto('lifecycle_event_sequence')
    .values({ external_id: externalID, last_sequence: 1 })
    .onConflict((conflict) =>
      conflict
        .column('external_id')
        .doUpdateSet((eb) => ({ last_sequence: eb('lifecycle_event_sequence.last_sequence', '+', 1) })),
    )
    .returning('last_sequence')
    .executeTakeFirstOrThrow();
  const sequence = Number(numbered.last_sequence);
  await trx
    .insertInto('lifecycle_event')
    .values(
      event.subscriberIds.map((subscriberId) => ({
        subscriber_id: subscriberId,
        event_id: nonEmpty(event.eventId, 'eventId'),
        external_id: externalID,
        sequence,
        lifecycle: nonEmpty(event.lifecycle, 'lifecycle', 64),
        milestone: nonEmpty(event.milestone, 'milestone', 64),
        run_id: nonEmpty(event.runId, 'runId'),
        at: isoMoment(event.at, 'at'),
        status: 'pending' as const,
        delivered_at: null,
        parked_at: null,
        failure: null,
      })),
    )
    .onConflict((conflict) => conflict.columns(['subscriber_id', 'event_id']).doNothing())
    .execute();
  return sequence;
}

export interface EventKey {
  subscriberId: string;
  eventId: string;
}

export interface LifecycleEventOutbox {
  /**
   * The deliverable heads: per subscriber and person, the first row not delivered, when it is pending
   * (a parked head holds its stream). Oldest first; `except` are heads already being delivered.
   */
  deliverableHeads(options: { except: readonly EventKey[]; limit: number }): Promise<LifecycleEventRow[]>;
  event(key: EventKey): Promise<LifecycleEventRow | undefined>;
  markDelivered(key: EventKey, at: string): Promise<void>;
  /** A pending row → parked (needs attention), with why. */
  park(key: EventKey, at: string, failure: string): Promise<'parked' | 'not-pending'>;
  parked(): Promise<LifecycleEventRow[]>;
  /** Parked rows back to pending (one, one subscriber's, or all): the dispatcher delivers them again. */
  retryParked(filter: { subscriberId?: string; eventId?: string }): Promise<number>;
  /** A person's events for one subscriber, in sequence order. */
  stream(subscriberId: string, externalID: string): Promise<LifecycleEventRow[]>;
}

const keyOf = (row: { subscriber_id: string; event_id: string }) => `${row.subscriber_id}\n${row.event_id}`;

export function lifecycleEventOutbox(db: StoreDb): LifecycleEventOutbox {
  return {
    async deliverableHeads({ except, limit }) {
      const rows = await db
        .selectFrom('lifecycle_event as e')
        .selectAll('e')
        .where('e.status', '=', 'pending')
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('lifecycle_event as earlier')
                .select('earlier.event_id')
                .whereRef('earlier.subscriber_id', '=', 'e.subscriber_id')
                .whereRef('earlier.external_id', '=', 'e.external_id')
                .whereRef('earlier.sequence', '<', 'e.sequence')
                .where('earlier.status', '!=', 'delivered'),
            ),
          ),
        )
        .orderBy('e.at')
        .orderBy('e.sequence')
        .limit(limit + except.length)
        .execute();
      const busy = new Set(except.map((key) => `${key.subscriberId}\n${key.eventId}`));
      return rows
        .filter((row) => !busy.has(keyOf(row)))
        .slice(0, limit)
        .map(eventRow);
    },

    async event({ subscriberId, eventId }) {
      const row = await db
        .selectFrom('lifecycle_event')
        .selectAll()
        .where('subscriber_id', '=', subscriberId)
        .where('event_id', '=', eventId)
        .executeTakeFirst();
      return row && eventRow(row);
    },

    async markDelivered({ subscriberId, eventId }, at) {
      await db
        .updateTable('lifecycle_event')
        .set({ status: 'delivered', delivered_at: isoMoment(at, 'at'), failure: null })
        .where('subscriber_id', '=', subscriberId)
        .where('event_id', '=', eventId)
        .execute();
    },

    async park({ subscriberId, eventId }, at, failure) {
      const result = await db
        .updateTable('lifecycle_event')
        .set({ status: 'parked', parked_at: isoMoment(at, 'at'), failure: failure.slice(0, 200) })
        .where('subscriber_id', '=', subscriberId)
        .where('event_id', '=', eventId)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0 ? 'parked' : 'not-pending';
    },

    async parked() {
      const rows = await db
        .selectFrom('lifecycle_event')
        .selectAll()
        .where('status', '=', 'parked')
        .orderBy('parked_at')
        .orderBy('sequence')
        .execute();
      return rows.map(eventRow);
    },

    async retryParked({ subscriberId, eventId }) {
      let update = db
        .updateTable('lifecycle_event')
        .set({ status: 'pending', parked_at: null })
        .where('status', '=', 'parked');
      if (subscriberId !== undefined) update = update.where('subscriber_id', '=', subscriberId);
      if (eventId !== undefined) update = update.where('event_id', '=', eventId);
      const result = await update.executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async stream(subscriberId, externalID) {
      const rows = await db
        .selectFrom('lifecycle_event')
        .selectAll()
        .where('subscriber_id', '=', subscriberId)
        .where('external_id', '=', externalID)
        .orderBy('sequence')
        .execute();
      return rows.map(eventRow);
    },
  };
}
