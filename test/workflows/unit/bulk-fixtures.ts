/**
 * Shared pieces of the bulk-run unit tests (population logout, clean-ups), which run the real
 * workflows with STUBBED ACTIVITIES on the time-skipping server (stubbed-workers.ts): inputs, a
 * population Staffbase lists by offset, and a gate that holds a stub until the test lets it go.
 */
import type { MatchingUsersPage, MatchingUsersQuery } from '../../../activities/support-activities';
import type { CleanupCarryOver } from '../../../workflows/support-cleanup';
import type { PopulationLogoutCarryOver } from '../../../workflows/support-population-logout';
import {
  type CleanupInput,
  type PopulationLogoutInput,
  defaultBulkTuning,
} from '../../../lifecycle/support-inputs';
import { type BulkProgress, bulkProgressQuery } from '../../../workflows/support-messages';
import type { StubbedRun, Stubs, UnitTestBed } from './stubbed-workers';

export type { CleanupCarryOver, PopulationLogoutCarryOver };

export const logoutInput = (overrides: Partial<PopulationLogoutInput> = {}): PopulationLogoutInput => ({
  filter: 'groups eq "g1"',
  statuses: ['activated'],
  dryRun: false,
  maxFailures: 10,
  confirmAbove: 100,
  ...defaultBulkTuning,
  pageSize: 2,
  parallelism: 1,
  ...overrides,
});

export const cleanupInput = (overrides: Partial<CleanupInput> = {}): CleanupInput => ({
  kind: 'pending-accounts',
  olderThanDays: 30,
  dryRun: false,
  confirmAbove: 100,
  maxFailures: 10,
  ...defaultBulkTuning,
  pageSize: 2,
  parallelism: 1,
  ...overrides,
});

/**
 * The worker's thresholds (the `bulkSafetyLimits` activity) for the bulk test files: far above every
 * input here, so the input's thresholds apply unless a test brings its own worker values.
 */
export const workerLimits = (
  limits: Partial<{ logoutConfirmAbove: number; cleanupConfirmAbove: number; maxFailures: number }> = {},
): Stubs => ({
  bulkSafetyLimits: () => ({
    logoutConfirmAbove: 1_000_000,
    cleanupConfirmAbove: 1_000_000,
    maxFailures: 10_000,
    ...limits,
  }),
});

/** A population as Staffbase lists it: the ids by offset, `total` the whole (mutable) list. */
export const listing =
  (ids: string[]) =>
  (query: MatchingUsersQuery): MatchingUsersPage => ({
    result: 'page',
    total: ids.length,
    ids: ids.slice(query.offset, query.offset + query.limit),
  });

/** Holds a stub's answer until `open()`; `entered` tells the test the stub was reached. */
export function gate() {
  let release: () => void = () => undefined;
  let reached = false;
  const opened = new Promise<void>((resolve) => (release = resolve));
  return {
    async pass(): Promise<void> {
      reached = true;
      await opened;
    },
    get entered() {
      return reached;
    },
    open: () => release(),
  };
}

export type Gate = ReturnType<typeof gate>;

export const progressOf = (run: StubbedRun<unknown>): Promise<BulkProgress> =>
  run.handle.query(bulkProgressQuery);

/** Waits (in real time, the workflow clock stays put) until the held stub is reached. */
export const reached = (bed: UnitTestBed, held: Gate, what: string): Promise<boolean> =>
  bed.until(
    () => Promise.resolve(held.entered),
    (entered) => entered,
    what,
  );

/** Waits until the run's progress passes `accept`. */
export const progressUntil = (
  bed: UnitTestBed,
  run: StubbedRun<unknown>,
  accept: (progress: BulkProgress) => boolean,
  what: string,
): Promise<BulkProgress> => bed.until(() => progressOf(run), accept, what);

/** Waits until the run pauses for its confirmation (more matches than confirmAbove). */
export const confirmationPause = (bed: UnitTestBed, run: StubbedRun<unknown>): Promise<BulkProgress> =>
  progressUntil(bed, run, (progress) => progress.phase === 'awaiting-confirmation', 'the confirmation pause');

/** The `offset` of each list call of a run. */
export const listOffsets = (run: StubbedRun<unknown>): number[] =>
  run.calls
    .filter((call) => call.name === 'listMatchingUsers')
    .map((call) => (call.args[0] as MatchingUsersQuery).offset);

/** The ids a run handed to one activity, in order. */
export const idsSentTo = (run: StubbedRun<unknown>, name: string): string[] =>
  run.calls.filter((call) => call.name === name).map((call) => call.args[0] as string);
