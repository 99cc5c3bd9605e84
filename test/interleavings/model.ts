/**
 * The model of the interleaving test: a seeded generator of HR instructions, user behaviour and
 * administrator actions over a few people, and the final Staffbase states the last effective HR
 * instruction (and any manual action after it) allows. No Temporal or HTTP here: pure functions.
 */

import { seededRandom } from '../../simulator/faults';

export { seededRandom };

export type AccountState = 'absent' | 'pending' | 'activated' | 'deactivated';

export type OperationKind =
  | 'onboard-now'
  | 'onboard-future'
  | 'activated-signal'
  | 'user-accepts'
  | 'offboard'
  | 'cancel-onboarding'
  | 'cancel-offboarding'
  | 'legal-hold'
  | 'release-hold'
  | 'delete-now'
  | 'change-retention'
  | 'manual-reactivate'
  | 'manual-deactivate'
  | 'manual-delete';

export interface Operation {
  person: number;
  kind: OperationKind;
  /** Real-time pause before the operation, so operations meet workflows at every stage. */
  delayMs: number;
  /** For offboard / change-retention: seconds from now to the deletion. */
  deleteInSeconds: number;
}

export interface Sequence {
  seed: number;
  initial: AccountState[];
  operations: Operation[];
}

const weights: Record<OperationKind, number> = {
  'onboard-now': 10,
  'onboard-future': 3,
  'activated-signal': 4,
  'user-accepts': 5,
  offboard: 12,
  'cancel-onboarding': 3,
  'cancel-offboarding': 6,
  'legal-hold': 5,
  'release-hold': 5,
  'delete-now': 5,
  'change-retention': 4,
  'manual-reactivate': 9,
  'manual-deactivate': 4,
  'manual-delete': 3,
};

function pick<T extends string>(random: () => number, table: Record<T, number>): T {
  const entries = Object.entries(table) as [T, number][];
  let roll = random() * entries.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [value, weight] of entries) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return entries[entries.length - 1]![0];
}

/**
 * 2–3 people, 6–10 operations, pauses of 0–900 ms. Operations stay with the same person more often
 * than not, so one person's story has several steps while their runs are still open; retention is
 * 4–8 s, long enough for updates and changes by hand to land in it.
 */
export function generateSequence(seed: number): Sequence {
  const random = seededRandom(seed);
  const people = 2 + Math.floor(random() * 2);
  const initial = Array.from({ length: people }, (): AccountState =>
    pick(random, { absent: 4, activated: 4, deactivated: 1, pending: 1 }),
  );
  const count = 6 + Math.floor(random() * 5);
  let person = Math.floor(random() * people);
  const operations = Array.from({ length: count }, (): Operation => {
    if (random() < 0.35) person = Math.floor(random() * people);
    return {
      person,
      kind: pick(random, weights),
      delayMs: Math.floor(random() * 900),
      deleteInSeconds: 4 + Math.floor(random() * 5),
    };
  });
  return { seed, initial, operations };
}

/** HR instructions that changed what should become of the person, as the system accepted them. */
export type Instruction =
  | 'onboard-now'
  | 'onboard-future'
  | 'offboard'
  | 'cancel-onboarding'
  | 'cancel-offboarding'
  | 'legal-hold'
  | 'release-hold'
  | 'delete-now'
  | 'change-retention';

export type ManualAction = 'manual-reactivate' | 'manual-deactivate' | 'manual-delete';

/** One effective event of a person's story, in the order it happened. */
export type StoryEvent =
  | { type: 'instruction'; instruction: Instruction }
  /** `offboardingStage`: the open offboarding's stage when the administrator acted (if any). */
  | { type: 'manual'; action: ManualAction; offboardingStage?: string };

const everyState: ReadonlySet<AccountState> = new Set(['absent', 'pending', 'activated', 'deactivated']);
const existing: ReadonlySet<AccountState> = new Set(['pending', 'activated', 'deactivated']);
const active: ReadonlySet<AccountState> = new Set(['pending', 'activated']);

/** Where the offboarding that `before` ends in was started (the index of its `offboard`), or `before`. */
function lastOffboardingStart(story: StoryEvent[], before: number): number {
  for (let index = before; index >= 0; index -= 1) {
    const event = story[index];
    if (event?.type === 'instruction' && event.instruction === 'offboard') return index;
  }
  return before;
}

/** A legal hold accepted after the latest offboarding started and not released since. */
function heldAtEnd(story: StoryEvent[]): boolean {
  let held = false;
  for (const event of story) {
    if (event.type !== 'instruction') continue;
    if (event.instruction === 'legal-hold') held = true;
    if (event.instruction === 'release-hold' || event.instruction === 'offboard') held = false;
  }
  return held;
}

/** Whether the account may not have existed by the end of `before`. */
function mayHaveBeenGone(initial: AccountState, before: StoryEvent[]): boolean {
  let created = initial !== 'absent';
  let offered = false;
  let withdrawn = false;
  for (const event of before) {
    if (event.type === 'manual' && event.action === 'manual-delete') return true;
    if (event.type !== 'instruction') continue;
    if (event.instruction === 'onboard-now') created = offered = true;
    // A withdrawn offer deletes a still-pending account (the default cancel policy), and so does an
    // offboarding, which withdraws an open offer first.
    if (event.instruction === 'cancel-onboarding' || (event.instruction === 'offboard' && offered)) {
      withdrawn = true;
    }
  }
  return !created || withdrawn;
}

const offboardingFamily: ReadonlySet<Instruction> = new Set([
  'offboard',
  'delete-now',
  'change-retention',
  'release-hold',
]);

/** Stages in which the offboarding has made its own deactivation: later changes by hand win. */
const afterDeactivation = new Set(['retention', 'on-hold', 'completed']);

/**
 * The final states the person's story allows: the last effective HR instruction sets them, manual
 * actions after it narrow or widen them. Where timing may legitimately decide, every outcome it can
 * decide is allowed; what no timing allows (a rehire deleted, a reactivated account deleted, a
 * leaver kept without a reason) is never in the set.
 */
export function allowedFinalStates(initial: AccountState, story: StoryEvent[]): ReadonlySet<AccountState> {
  // A rehire settles the open offboarding asynchronously: an update to that offboarding accepted
  // after the rehire started may land before the rehire's cancel or be overtaken by it.
  const withoutRacingUpdates = dropUpdatesAfterRehire(story);
  if (withoutRacingUpdates.length === story.length) return allowedFor(initial, story);
  return new Set([...allowedFor(initial, story), ...allowedFor(initial, withoutRacingUpdates)]);
}

const offboardingUpdates: ReadonlySet<Instruction> = new Set([
  'cancel-offboarding',
  'legal-hold',
  'release-hold',
  'delete-now',
  'change-retention',
]);

/** The story without offboarding updates that followed a rehire (until a new offboarding). */
function dropUpdatesAfterRehire(story: StoryEvent[]): StoryEvent[] {
  let rehired = false;
  return story.filter((event) => {
    if (event.type !== 'instruction') return true;
    if (event.instruction === 'onboard-now' || event.instruction === 'onboard-future') rehired = true;
    if (event.instruction === 'offboard') rehired = false;
    return !(rehired && offboardingUpdates.has(event.instruction));
  });
}

function allowedFor(initial: AccountState, story: StoryEvent[]): ReadonlySet<AccountState> {
  let lastInstruction: Instruction | undefined;
  let lastIndex = -1;
  story.forEach((event, index) => {
    if (event.type === 'instruction') {
      lastInstruction = event.instruction;
      lastIndex = index;
    }
  });
  if (lastInstruction === undefined) return everyState;

  let allowed: ReadonlySet<AccountState>;
  if (lastInstruction === 'onboard-now') allowed = active;
  else if (offboardingFamily.has(lastInstruction) && heldAtEnd(story)) allowed = new Set(['deactivated']);
  else if (offboardingFamily.has(lastInstruction)) allowed = new Set(['absent']);
  else if (lastInstruction === 'legal-hold') allowed = new Set(['deactivated']);
  else if (lastInstruction === 'cancel-offboarding') allowed = existing;
  else allowed = everyState;
  // A hold or a cancel keeps an account; it brings none back that may already have been gone.
  if (
    (lastInstruction === 'legal-hold' || lastInstruction === 'cancel-offboarding') &&
    mayHaveBeenGone(initial, story.slice(0, lastIndex))
  ) {
    allowed = new Set([...allowed, 'absent']);
  } // a scheduled onboarding or a withdrawn offer: policy and timing decide

  const offboardingLast = offboardingFamily.has(lastInstruction) || lastInstruction === 'legal-hold';
  const held = heldAtEnd(story);
  // A hold, a release, delete-now or a retention change only moves the open offboarding's deletion:
  // changes made by hand since that offboarding started still decide what the deletion finds.
  const since = offboardingUpdates.has(lastInstruction) ? lastOffboardingStart(story, lastIndex) : lastIndex;
  for (const event of story.slice(since + 1)) {
    if (event.type !== 'manual') continue;
    if (event.action === 'manual-delete') {
      // An onboarding that had not reached its account step yet creates the account afresh.
      allowed = lastInstruction === 'onboard-now' ? new Set(['absent', ...active]) : new Set(['absent']);
    } else if (event.action === 'manual-reactivate') {
      if (offboardingLast && !afterDeactivation.has(event.offboardingStage ?? '')) {
        // Reactivated before the offboarding deactivated (or while it was deleting): it may go on,
        // deactivating again, then deleting — or waiting under a legal hold.
        const ended: AccountState = held ? 'deactivated' : 'absent';
        allowed = new Set([ended, 'pending', 'activated']);
      } else {
        allowed = active; // after our deactivation: the deletion must keep it
      }
    } else if (offboardingLast) {
      // Deactivated by hand: before our deactivation it is ours to delete; after it, kept.
      allowed = new Set(['absent', 'deactivated']);
    } else if (lastInstruction === 'onboard-now') {
      // Before the onboarding's account step it is reactivated as a rehire; after it, it stays.
      allowed = existing;
    } else {
      allowed = everyState;
    }
  }
  return allowed;
}
