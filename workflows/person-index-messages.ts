import { defineQuery } from '@temporalio/workflow';
import type { PersonStageWrite } from '../lifecycle/person-index-write';

/**
 * The person index's row as this open run would write it now, with the sequence of its last write
 * (`milestones` empty): what `staffbase-lifecycle store rebuild` writes for an open run, so a rebuilt
 * row is the live one. Runs without the `*-person-index` marker answer with sequence 0.
 */
export const personIndexQuery = defineQuery<PersonStageWrite>('personIndex');
