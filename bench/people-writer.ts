/**
 * One stage change into the person index, as the worker's activity writes it.
 * (Placeholder until the index-writing activity lands: the repository's write path.)
 */
import { type LifecycleStore, type PersonWrite } from '../store';

export interface StageChange extends PersonWrite {
  milestone: string;
}

export async function writeStageChange(store: LifecycleStore, change: StageChange): Promise<void> {
  const { milestone, ...person } = change;
  await store.people.upsertPerson(person);
  await store.people.recordMilestone({
    externalID: person.externalID,
    runId: person.runId,
    kind: milestone,
    at: person.at,
  });
}
