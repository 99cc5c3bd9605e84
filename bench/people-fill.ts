/**
 * Fills a store with people as the workflows would, through the worker's index-writing activity
 * (stageChanges below says which writes a person gets). Names mix plain and accented
 * spellings, so a search meets what HR's data holds; the people are the same on every run (a seeded
 * sequence), so two runs measure the same index.
 */
import { type LifecycleStore } from '../store';
import { type StageChange, stageChangeWriter } from './people-writer';

const firstNames = [
  'Anna',
  'Jörg',
  'Zoë',
  'Łukasz',
  'Mia',
  'Noah',
  'Émile',
  'Sofía',
  'Ben',
  'Ingrid',
  'Kenji',
  'Ava',
];
const lastNames = [
  'Müller',
  'Schmidt',
  'Weiß',
  'Ødegård',
  'García',
  'Nowak',
  'Dubois',
  'Rossi',
  'Jansen',
  'Kowalski',
  'Smith',
  'Nguyen',
  'Andersson',
  'Costa',
  'Yilmaz',
  'Horváth',
  'Novák',
  'Papadopoulos',
  'Okafor',
  'Tanaka',
];
const stagesAfterStart: Record<'onboarding' | 'offboarding', string[]> = {
  onboarding: ['invited', 'awaiting-activation', 'activated', 'expired', 'needs-attention'],
  offboarding: ['deactivated', 'retention', 'deleted', 'needs-attention'],
};

export interface FillFigures {
  writes: number;
  wallMs: number;
  /** Wall time per stage change with WRITERS at once (its inverse is the index's write rate). */
  perWriteMs: number;
  /** CPU of this process (the activity's own work and the database driver) per 1,000 stage changes. */
  cpuMsPerThousand: number;
  /** Every last name used, normalised searches find them (e.g. `muller`, `weiss`). */
  lastNames: string[];
}

/** A small deterministic generator (mulberry32): the same people on every run. */
function sequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)] as T;
}

function day(base: number, offsetDays: number): string {
  return new Date(base + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/**
 * One person's stage changes, in order. Onboarding: its start and the next stage. Offboarding: the
 * person's earlier onboarding (activated, with the names), then the offboarding's start and next stage,
 * which carry no names (the activity keeps the onboarding's: a read before the write, as in production).
 */
function stageChanges(index: number, random: () => number, base: number): StageChange[] {
  const leaver = random() >= 0.7;
  const externalID = `emp-${String(index).padStart(7, '0')}`;
  const names = {
    firstName: pick(random, firstNames),
    lastName: pick(random, lastNames),
    email: `${externalID}@example.com`,
  };
  const startDate = day(base, Math.floor(random() * 365) - (leaver ? 730 : 0));
  const at = (offsetMs: number) => new Date(base + index * 1000 + offsetMs).toISOString();
  const onboarding = {
    externalID,
    lifecycle: 'onboarding' as const,
    ...names,
    startDate,
    runId: `on-${index}`,
  };
  if (!leaver) {
    const next = pick(random, stagesAfterStart.onboarding);
    const run = { ...onboarding, runStartedAt: at(0) };
    return [
      { ...run, stage: 'scheduled', sequence: 1, open: true, at: at(0), milestones: ['started'] },
      {
        ...run,
        stage: next,
        sequence: 2,
        open: !['activated', 'expired'].includes(next),
        at: at(60_000),
        milestones: [next],
        ...(next === 'needs-attention' && { attentionCode: 'conflict' }),
      },
    ];
  }
  const onboarded = {
    ...onboarding,
    runStartedAt: at(-400 * 86_400_000),
    stage: 'activated',
    outcome: 'activated',
    sequence: 1,
    open: false,
    at: at(-399 * 86_400_000),
    milestones: ['started', 'activated'],
  };
  const next = pick(random, stagesAfterStart.offboarding);
  const offboarding = {
    externalID,
    lifecycle: 'offboarding' as const,
    lastWorkingDay: day(base, Math.floor(random() * 365)),
    runId: `off-${index}`,
    runStartedAt: at(0),
  };
  return [
    onboarded,
    { ...offboarding, stage: 'scheduled', sequence: 1, open: true, at: at(0), milestones: ['started'] },
    {
      ...offboarding,
      stage: next,
      sequence: 2,
      open: next !== 'deleted',
      at: at(60_000),
      milestones: [next],
      ...(next === 'needs-attention' && { attentionCode: 'auth' }),
    },
  ];
}

/** Stage changes written at once, as a worker runs several activities at a time. */
const WRITERS = 8;

export async function personIndexFill(store: LifecycleStore, people: number): Promise<FillFigures> {
  const random = sequence(29);
  const base = Date.UTC(2026, 0, 1);
  // Generated up front, in order, so the people do not depend on the writers' interleaving.
  const changes = Array.from({ length: people }, (_, index) => stageChanges(index, random, base));
  const writeStageChange = stageChangeWriter(store);
  let next = 0;
  let writes = 0;
  const writer = async () => {
    for (let index = next++; index < changes.length; index = next++) {
      // A person's two changes in order, as one run writes them.
      for (const change of changes[index] ?? []) {
        await writeStageChange(change);
        writes += 1;
      }
    }
  };
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: WRITERS }, writer));
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    writes,
    wallMs,
    perWriteMs: wallMs / writes,
    cpuMsPerThousand: ((cpu.user + cpu.system) / 1000 / writes) * 1000,
    lastNames: [...lastNames],
  };
}
