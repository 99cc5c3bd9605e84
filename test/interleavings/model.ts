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
  /**
   * Two HR instructions for one person sent at the same time (two HR actions racing) share this id;
   * the system may take them in either order.
   */
  race?: number;
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

const hrWeights = Object.fromEntries(
  Object.entries(weights).filter(([kind]) => isInstruction(kind as OperationKind)),
) as Record<Instruction, number>;

function isInstruction(kind: OperationKind): kind is Instruction {
  return kind !== 'activated-signal' && kind !== 'user-accepts' && !kind.startsWith('manual-');
}

/** Share of HR instructions that another HR instruction for the same person races. */
const raceRate = 0.2;

/**
 * 2–3 people, 6–10 operations, pauses of 0–900 ms. Operations stay with the same person more often
 * than not, so one person's story has several steps while their runs are still open; retention is
 * 4–8 s, long enough for updates and changes by hand to land in it. Some HR instructions are raced
 * by a second one for the same person, sent 0–150 ms later without waiting for the first's answer.
 */
export function generateSequence(seed: number): Sequence {
  const random = seededRandom(seed);
  const people = 2 + Math.floor(random() * 2);
  const initial = Array.from({ length: people }, (): AccountState =>
    pick(random, { absent: 4, activated: 4, deactivated: 1, pending: 1 }),
  );
  const count = 6 + Math.floor(random() * 5);
  let person = Math.floor(random() * people);
  const operations: Operation[] = [];
  while (operations.length < count) {
    if (random() < 0.35) person = Math.floor(random() * people);
    const operation: Operation = {
      person,
      kind: pick(random, weights),
      delayMs: Math.floor(random() * 900),
      deleteInSeconds: 4 + Math.floor(random() * 5),
    };
    operations.push(operation);
    if (isInstruction(operation.kind) && random() < raceRate) {
      operation.race = operations.length - 1;
      operations.push({
        person,
        kind: pick(random, hrWeights),
        delayMs: Math.floor(random() * 150),
        deleteInSeconds: 4 + Math.floor(random() * 5),
        race: operation.race,
      });
    }
  }
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
  /** `race`: sent together with another instruction of the same id; the system may order them either way. */
  | { type: 'instruction'; instruction: Instruction; race?: number }
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

/** An immediate onboarding was started and not withdrawn since (it may still be open). */
function onboardingMayBeOpen(before: StoryEvent[]): boolean {
  let open = false;
  for (const event of before) {
    if (event.type !== 'instruction') continue;
    if (event.instruction === 'onboard-now') open = true;
    if (event.instruction === 'cancel-onboarding') open = false;
  }
  return open;
}

const offboardingFamily: ReadonlySet<Instruction> = new Set([
  'offboard',
  'delete-now',
  'change-retention',
  'release-hold',
]);

/**
 * Stages in which the offboarding has made its own deactivation: later changes by hand win. In
 * `deleting` too: the deletion reads the account right before its DELETE, so a reactivation it can
 * see keeps the account; one it cannot see (after that read) is the no-conditional-DELETE window,
 * which the runner measures and bounds apart (sequence-runner.ts), not the model.
 */
const afterDeactivation = new Set(['retention', 'on-hold', 'deleting', 'completed']);

/**
 * The final states the person's story allows: the last effective HR instruction sets them, manual
 * actions after it narrow or widen them. Where timing may legitimately decide, every outcome it can
 * decide is allowed; what no timing allows (a rehire deleted, a reactivated account deleted, a
 * leaver kept without a reason) is never in the set.
 */
export function allowedFinalStates(initial: AccountState, story: StoryEvent[]): ReadonlySet<AccountState> {
  const allowed = new Set<AccountState>();
  for (const order of racingOrders(story)) {
    for (const state of allowedInOrder(initial, order)) allowed.add(state);
  }
  return allowed;
}

/**
 * Every order the system may have taken the story's instructions in: two racing instructions (the
 * same `race`, next to each other, as the runner records them) in either order.
 */
export function racingOrders(story: StoryEvent[]): StoryEvent[][] {
  let orders: StoryEvent[][] = [[]];
  for (let index = 0; index < story.length; index += 1) {
    const event = story[index]!;
    const next = story[index + 1];
    if (
      event.type === 'instruction' &&
      event.race !== undefined &&
      next?.type === 'instruction' &&
      next.race === event.race
    ) {
      orders = orders.flatMap((order) => [
        [...order, event, next],
        [...order, next, event],
      ]);
      index += 1;
    } else orders = orders.map((order) => [...order, event]);
  }
  return orders;
}

function allowedInOrder(initial: AccountState, story: StoryEvent[]): ReadonlySet<AccountState> {
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
  let offboardingStarted = false;
  story.forEach((event, index) => {
    if (event.type !== 'instruction') return;
    if (event.instruction === 'offboard') offboardingStarted = true;
    if (event.instruction === 'onboard-now' || event.instruction === 'onboard-future')
      offboardingStarted = false;
    // Withdrawing an offer once an offboarding has started decides nothing: that offboarding has
    // stopped (or is stopping) the onboarding already, and goes on with the account.
    if (event.instruction === 'cancel-onboarding' && offboardingStarted) return;
    lastInstruction = event.instruction;
    lastIndex = index;
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
      // An onboarding that had not reached its account step yet creates the account afresh; so does
      // one an offboarding meant to stop, when HR cancelled that offboarding before it did.
      const onboardingMayGoOn =
        lastInstruction === 'onboard-now' ||
        (lastInstruction === 'cancel-offboarding' && onboardingMayBeOpen(story.slice(0, lastIndex)));
      allowed = onboardingMayGoOn ? new Set(['absent', ...active]) : new Set(['absent']);
    } else if (event.action === 'manual-reactivate') {
      if (offboardingLast && !afterDeactivation.has(event.offboardingStage ?? '')) {
        // Reactivated before the offboarding deactivated: it may go on, deactivating again, then
        // deleting — or waiting under a legal hold.
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

export type CountedEffect = 'created' | 'deleted' | 'deactivated' | 'reactivated';

/**
 * The most of each effect the API may have had on the person's accounts, whatever answers were lost
 * and workers crashed: every run makes each effect at most once (compare-and-act), and a repeat needs
 * a change by hand in between that undid it. An onboarding of a new hire creates at most one account;
 * each onboarding or offboarding deletes at most one; a deactivation is an offboarding's (again after
 * each reactivation by hand); a reactivation is a cancelled offboarding's or a rehire's (again after
 * each deactivation by hand). A scheduled onboarding (30 days ahead here) creates nothing.
 */
export function maxApiEffects(story: StoryEvent[]): Record<CountedEffect, number> {
  const count = (kind: Instruction | ManualAction) =>
    story.filter((event) => (event.type === 'instruction' ? event.instruction : event.action) === kind)
      .length;
  return {
    created: count('onboard-now'),
    deleted: count('onboard-now') + count('offboard'),
    deactivated: count('offboard') === 0 ? 0 : count('offboard') + count('manual-reactivate'),
    reactivated:
      count('cancel-offboarding') + count('onboard-now') === 0
        ? 0
        : count('cancel-offboarding') + count('onboard-now') + count('manual-deactivate'),
  };
}
