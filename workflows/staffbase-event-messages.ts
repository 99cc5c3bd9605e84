import { defineQuery, defineSignal } from '@temporalio/workflow';

/** One of Staffbase's events about the user (the HR API signals it, starting the run if needed). */
export const staffbaseEventSignal = defineSignal<[{ type: string; eventId?: string }]>('staffbaseEvent');

export interface StaffbaseEventStatus {
  /** Events received, duplicates (same event id) not counted. */
  events: number;
  /** Re-reads of the user made (one Staffbase request each, retries aside). */
  rereads: number;
  /** An event came after the last re-read began: one more re-read once the window has passed. */
  rereadPending: boolean;
  onboardingsSignalled: number;
  /** Offboardings in retention told to re-check their account. */
  offboardingsRechecked: number;
}

export const staffbaseEventStatusQuery = defineQuery<StaffbaseEventStatus>('status');
