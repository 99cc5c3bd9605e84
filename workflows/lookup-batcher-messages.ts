import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { BatchedLookupRequest } from '../lifecycle/batched-lookup';

/** Messages and input of the look-up batcher (workflows/lookup-batcher.ts), for its activities and tests. */

/** The batcher's registered workflow type (workflows/index.ts). */
export const lookupBatcherWorkflowType = 'offboardingLookupBatcher';

/** How the batcher gathers: durations are its input, from config/defaults.ts via the starting activity. */
export interface LookupBatcherTiming {
  maxPeople: number;
  quietMs: number;
  maxGatherMs: number;
  idleMs: number;
  /** Continue as new past this many history events (default 4,000; runs started before it lack it). */
  continueAfterEvents?: number;
}

export interface LookupBatcherInput {
  timing: LookupBatcherTiming;
  /** Requests not answered yet, carried over a continue-as-new. */
  waiting: BatchedLookupRequest[];
}

/** A bulk offboarding asks for its person (sent with signal-with-start). */
export const batchedLookupRequestedSignal = defineSignal<[BatchedLookupRequest]>('batchedLookupRequested');

/** Whether the batcher still holds this run's request (by workflow ID): waiting, or in the batch being read. */
export const lookupPendingQuery = defineQuery<boolean, [string]>('lookupPending');
