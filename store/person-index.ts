/**
 * The person index's writes: one row per person, and one row per milestone of each run. Writes come
 * from workflows through an activity, so they are retried and replayed: each carries its position
 * (the run's start time and a per-run sequence number that grows with every stage change), and the
 * UPDATE applies only a later position, so an older or repeated write never moves a person backwards.
 * Across runs the row shows the latest open run, else the latest closed one.
 */
import { type StoreConnection, type StoreDb } from './connection';
import { type EventToEnqueue, enqueueLifecycleEvent } from './lifecycle-events';
import { PAIRED_KINDS, refreshPairings } from './milestone-pairing';
import { searchText } from './search-text';
import { calendarDate, isoMoment, nonEmpty, StoreInputError } from './store-input-error';
import { type PersonTable } from './tables';

/** A person's whole row as one run sees it at one stage change (every field, not a patch). */
export interface PersonWrite {
  externalID: string;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  lifecycle: string;
  stage: string;
  /** `YYYY-MM-DD`. */
  startDate?: string | null;
  lastWorkingDay?: string | null;
  attentionCode?: string | null;
  outcome?: string | null;
  runId: string;
  /** When the run started (UTC ISO time): a later run's write wins over an earlier run's. */
  runStartedAt: string;
  /** Within a run: grows with each stage change (e.g. the workflow's count of them). */
  sequence: number;
  /** Whether the run is still open after this write. */
  open: boolean;
  /** When the change happened (UTC ISO time): the row's `updatedAt`. */
  at: string;
}

/** `applied`, or `stale`: the row already holds this write or a later one (nothing changed). */
export type PersonWriteResult = 'applied' | 'stale';

export interface MilestoneWrite {
  externalID: string;
  runId: string;
  /** started, invited, reminder, activated, expired, needs-attention, resolved, deactivated, deleted, … */
  kind: string;
  at: string;
  /**
   * `needs-attention`: the code the run parks with, so a wait still counts by its code once resolved
   * (docs/reports.md). Absent: the person row's code, when this run is parked on it now.
   */
  attentionCode?: string | null;
  /**
   * The lifecycle event this milestone means (docs/events.md): enqueued for these subscribers in the
   * same transaction, only when the milestone is newly recorded (a retried write enqueues nothing).
   */
  event?: Pick<EventToEnqueue, 'eventId' | 'lifecycle' | 'milestone' | 'subscriberIds'>;
}

export interface Milestone {
  runId: string;
  kind: string;
  at: string;
}

/** The index's row, as the HR API and console show it, plus the run it came from. */
export interface PersonRecord {
  externalID: string;
  name: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  lifecycle: string;
  stage: string;
  startDate: string | null;
  lastWorkingDay: string | null;
  attentionCode: string | null;
  outcome: string | null;
  openRunId: string | null;
  latestRunId: string;
  updatedAt: string;
}

export function personRecord(row: PersonTable): PersonRecord {
  const name = [row.first_name, row.last_name].filter((part) => part).join(' ');
  return {
    externalID: row.external_id,
    name: name === '' ? null : name,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    lifecycle: row.lifecycle,
    stage: row.stage,
    startDate: row.start_date,
    lastWorkingDay: row.last_working_day,
    attentionCode: row.attention_code,
    outcome: row.outcome,
    openRunId: row.open_run_id,
    latestRunId: row.latest_run_id,
    updatedAt: row.updated_at,
  };
}

const optionalText = (value: string | null | undefined, field: string): string | null =>
  value === null || value === undefined || value.trim() === '' ? null : nonEmpty(value, field);
const optionalDate = (value: string | null | undefined, field: string): string | null =>
  value === null || value === undefined ? null : calendarDate(value, field);

function personRow(write: PersonWrite): PersonTable {
  if (!Number.isSafeInteger(write.sequence) || write.sequence < 0)
    throw new StoreInputError('sequence', 'must be a whole number ≥ 0');
  const row: PersonTable = {
    external_id: nonEmpty(write.externalID, 'externalID'),
    first_name: optionalText(write.firstName, 'firstName'),
    last_name: optionalText(write.lastName, 'lastName'),
    email: optionalText(write.email, 'email'),
    search_text: '',
    lifecycle: nonEmpty(write.lifecycle, 'lifecycle', 64),
    stage: nonEmpty(write.stage, 'stage', 64),
    start_date: optionalDate(write.startDate, 'startDate'),
    last_working_day: optionalDate(write.lastWorkingDay, 'lastWorkingDay'),
    attention_code: optionalText(write.attentionCode, 'attentionCode'),
    outcome: optionalText(write.outcome, 'outcome'),
    latest_run_id: nonEmpty(write.runId, 'runId'),
    open_run_id: write.open ? write.runId : null,
    run_started_at: isoMoment(write.runStartedAt, 'runStartedAt'),
    sequence: write.sequence,
    updated_at: isoMoment(write.at, 'at'),
  };
  row.search_text = searchText([row.external_id, row.first_name, row.last_name, row.email]);
  return row;
}

export interface PersonIndexWrites {
  upsertPerson(write: PersonWrite): Promise<PersonWriteResult>;
  /** `duplicate`: this run's milestone of this kind at this time is already recorded. */
  recordMilestone(milestone: MilestoneWrite): Promise<'recorded' | 'duplicate'>;
  person(externalID: string): Promise<PersonRecord | undefined>;
  milestones(externalID: string): Promise<Milestone[]>;
}

export function personIndexWrites(
  db: StoreDb,
  dialect: StoreConnection['kind'] = 'sqlite',
): PersonIndexWrites {
  return {
    async upsertPerson(write) {
      const row = personRow(write);
      const result = await db
        .insertInto('person')
        .values(row)
        .onConflict((conflict) =>
          conflict
            .column('external_id')
            .doUpdateSet((eb) => ({
              first_name: eb.ref('excluded.first_name'),
              last_name: eb.ref('excluded.last_name'),
              email: eb.ref('excluded.email'),
              search_text: eb.ref('excluded.search_text'),
              lifecycle: eb.ref('excluded.lifecycle'),
              stage: eb.ref('excluded.stage'),
              start_date: eb.ref('excluded.start_date'),
              last_working_day: eb.ref('excluded.last_working_day'),
              attention_code: eb.ref('excluded.attention_code'),
              outcome: eb.ref('excluded.outcome'),
              open_run_id: eb.ref('excluded.open_run_id'),
              latest_run_id: eb.ref('excluded.latest_run_id'),
              run_started_at: eb.ref('excluded.run_started_at'),
              sequence: eb.ref('excluded.sequence'),
              updated_at: eb.ref('excluded.updated_at'),
            }))
            // Compare-and-act in one statement: only a later position replaces the row.
            .where((eb) => {
              const incomingOpen = eb('excluded.open_run_id', 'is not', null);
              const storedOpen = eb('person.open_run_id', 'is not', null);
              const laterRun = eb.or([
                eb('excluded.run_started_at', '>', eb.ref('person.run_started_at')),
                eb.and([
                  eb('excluded.run_started_at', '=', eb.ref('person.run_started_at')),
                  eb('excluded.latest_run_id', '>', eb.ref('person.latest_run_id')),
                ]),
              ]);
              const sameOpenness = eb.or([
                eb.and([incomingOpen, storedOpen]),
                eb.and([eb.not(incomingOpen), eb.not(storedOpen)]),
              ]);
              return eb.or([
                // The same run: its later stage change.
                eb.and([
                  eb('excluded.latest_run_id', '=', eb.ref('person.latest_run_id')),
                  eb('excluded.sequence', '>', eb.ref('person.sequence')),
                ]),
                eb.and([
                  eb('excluded.latest_run_id', '!=', eb.ref('person.latest_run_id')),
                  eb.or([
                    // The latest open run, else the latest closed one: an open run's change made
                    // after the row's (never a late retry of an older one) wins over a closed run.
                    eb.and([
                      incomingOpen,
                      eb.not(storedOpen),
                      eb('excluded.updated_at', '>', eb.ref('person.updated_at')),
                    ]),
                    eb.and([sameOpenness, laterRun]),
                  ]),
                ]),
              ]);
            }),
        )
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0 ? 'applied' : 'stale';
    },

    async recordMilestone(milestone) {
      const row = {
        external_id: nonEmpty(milestone.externalID, 'externalID'),
        run_id: nonEmpty(milestone.runId, 'runId'),
        kind: nonEmpty(milestone.kind, 'kind', 64),
        at: isoMoment(milestone.at, 'at'),
        attention_code:
          milestone.kind === 'needs-attention'
            ? optionalText(milestone.attentionCode, 'attentionCode')
            : null,
      };
      const { event } = milestone;
      const paired = PAIRED_KINDS.has(row.kind);
      if ((!event || event.subscriberIds.length === 0) && !paired) {
        const result = await db
          .insertInto('milestone')
          .values(row)
          .onConflict((conflict) => conflict.columns(['run_id', 'kind', 'at']).doNothing())
          .executeTakeFirst();
        return Number(result.numInsertedOrUpdatedRows ?? 0) > 0 ? 'recorded' : 'duplicate';
      }
      // The milestone, the pairings the reports count by and its events commit together: never an
      // event without its milestone, or a recorded milestone whose events or pairing a crash lost.
      return db.transaction().execute(async (trx) => {
        // Inserting first takes SQLite's write lock before any read (a read first could not upgrade
        // once another process wrote).
        const result = await trx
          .insertInto('milestone')
          .values(row)
          .onConflict((conflict) => conflict.columns(['run_id', 'kind', 'at']).doNothing())
          .executeTakeFirst();
        if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) return 'duplicate' as const;
        if (paired) {
          // One writer per person at a time, so no two pair the person's rows without seeing each
          // other's: SQLite has one writer anyway; on PostgreSQL, the person row's lock.
          const person = trx
            .selectFrom('person')
            .select(['open_run_id', 'stage', 'attention_code'])
            .where('external_id', '=', row.external_id);
          const now = await (dialect === 'postgres' ? person.forUpdate() : person).executeTakeFirst();
          const parkedHere = now?.open_run_id === row.run_id && now.stage === 'needs-attention';
          if (row.kind === 'needs-attention' && row.attention_code === null && parkedHere)
            await trx
              .updateTable('milestone')
              .set({ attention_code: now.attention_code })
              .where('run_id', '=', row.run_id)
              .where('kind', '=', row.kind)
              .where('at', '=', row.at)
              .execute();
          await refreshPairings(trx, [row.external_id]);
        }
        if (event && event.subscriberIds.length > 0)
          await enqueueLifecycleEvent(trx, {
            ...event,
            externalID: row.external_id,
            runId: row.run_id,
            at: row.at,
          });
        return 'recorded' as const;
      });
    },

    async person(externalID) {
      const row = await db
        .selectFrom('person')
        .selectAll()
        .where('external_id', '=', externalID)
        .executeTakeFirst();
      return row && personRecord(row);
    },

    async milestones(externalID) {
      const rows = await db
        .selectFrom('milestone')
        .select(['run_id', 'kind', 'at'])
        .where('external_id', '=', externalID)
        .orderBy('at')
        .orderBy('kind')
        .execute();
      return rows.map((row) => ({ runId: row.run_id, kind: row.kind, at: row.at }));
    },
  };
}
