/**
 * Privacy in the store: some days after a person's account was deleted, their name and email leave
 * the person index (the search column is rebuilt from the externalID alone). What stays: the
 * externalID, lifecycle, stage, dates, outcome, run ids, the milestones and the audit trail, which
 * never held a name.
 *
 * "Deleted" is the `deleted` milestone of the person's LATEST run, or the outcome `deleted` of a
 * closed latest run (a row written before milestones were recorded). A rehire's newer run therefore
 * keeps its names: the old run's deletion no longer describes the row.
 */
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely' with { 'resolution-mode': 'import' };
import { type StoreDb } from './connection';
import { searchText } from './search-text';
import { isoMoment } from './store-input-error';
import { type StoreDatabase } from './tables';

/** People selected per round: bounds memory on a large backlog. */
const ERASE_BATCH = 500;

export interface PersonErasure {
  /**
   * Empties the name and email of everyone whose account was deleted at or before `deletedBefore`
   * (a UTC time). Idempotent: a person already erased is not counted again. Returns how many were
   * erased now.
   */
  eraseDeletedPeople(options: { deletedBefore: string }): Promise<{ erased: number }>;
}

type PersonExpressions = ExpressionBuilder<StoreDatabase, 'person'>;

function deletedBefore(cutoff: string) {
  return (eb: PersonExpressions): Expression<SqlBool> =>
    eb.and([
      eb.or([eb('first_name', 'is not', null), eb('last_name', 'is not', null), eb('email', 'is not', null)]),
      eb.or([
        eb.exists(
          eb
            .selectFrom('milestone')
            .select('milestone.kind')
            .whereRef('milestone.external_id', '=', 'person.external_id')
            .whereRef('milestone.run_id', '=', 'person.latest_run_id')
            .where('milestone.kind', '=', 'deleted')
            .where('milestone.at', '<=', cutoff),
        ),
        eb.and([
          eb('person.outcome', '=', 'deleted'),
          eb('person.open_run_id', 'is', null),
          eb('person.updated_at', '<=', cutoff),
        ]),
      ]),
    ]);
}

export function personErasure(db: StoreDb): PersonErasure {
  return {
    async eraseDeletedPeople(options) {
      const cutoff = isoMoment(options.deletedBefore, 'deletedBefore');
      const matches = deletedBefore(cutoff);
      let erased = 0;
      for (;;) {
        const batch = await db
          .selectFrom('person')
          .select('external_id')
          .where(matches)
          .orderBy('external_id')
          .limit(ERASE_BATCH)
          .execute();
        if (batch.length === 0) break;
        // One statement per person, no transaction: each is atomic and idempotent, and an SQLite
        // transaction that awaited between statements could block another connection of this process
        // (see audit-trail.ts).
        for (const { external_id: externalID } of batch) {
          // The same condition again: a write that landed since the select (a rehire) is left alone.
          const result = await db
            .updateTable('person')
            .set({ first_name: null, last_name: null, email: null, search_text: searchText([externalID]) })
            .where('external_id', '=', externalID)
            .where(matches)
            .executeTakeFirst();
          erased += Number(result.numUpdatedRows);
        }
        if (batch.length < ERASE_BATCH) break;
      }
      return { erased };
    },
  };
}
