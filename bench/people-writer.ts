/** One stage change into the person index, through the worker's own activity (recordPersonStage). */
import { createPersonIndexActivities } from '../activities/person-index-activities';
import type { PersonStageWrite } from '../lifecycle/person-index-write';
import { type LifecycleStore } from '../store';

export type StageChange = PersonStageWrite;

export function stageChangeWriter(store: LifecycleStore): (change: StageChange) => Promise<void> {
  const activities = createPersonIndexActivities(store);
  return async (change) => {
    const result = await activities.recordPersonStage(change);
    if (result === 'no-store') throw new Error('the person index activity had no store');
  };
}
