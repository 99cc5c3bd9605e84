/**
 * Fills a store with people as the workflows would, through the worker's index-writing activity
 * (stageChanges below says which writes a person gets: some 470,000 milestones per 100,000 people). Names mix plain and accented
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

const dayMs = 86_400_000;
const hourMs = 3_600_000;

type Run = Omit<StageChange, 'stage' | 'sequence' | 'open' | 'at' | 'milestones'>;
interface Step {
  stage: string;
  atMs: number;
  milestones: string[];
  attentionCode?: string;
}

/** A run's writes in order: each step's stage, milestones and time (numbered, the last one closes). */
function runWrites(run: Run, steps: Step[], endsOpen: boolean): StageChange[] {
  return steps.map((step, index) => ({
    ...run,
    stage: step.stage,
    sequence: index + 1,
    open: endsOpen || index < steps.length - 1,
    at: new Date(step.atMs).toISOString(),
    milestones: step.milestones,
    ...(step.attentionCode !== undefined && { attentionCode: step.attentionCode }),
  }));
}

/**
 * An onboarding as the workflow writes it: started, invited, reminders every 3 days, then activated
 * (a few hours to 20 days after the invitation), expired after 30 days, still waiting, or parked in
 * needs-attention first (half of those resolved within hours, then activated).
 */
function onboardingWrites(run: Run, startMs: number, random: () => number): StageChange[] {
  const invitedMs = startMs + 60_000;
  const steps: Step[] = [
    { stage: 'scheduled', atMs: startMs, milestones: ['started'] },
    { stage: 'awaiting-activation', atMs: invitedMs, milestones: ['invited'] },
  ];
  const reminders = (untilMs: number) => {
    for (let atMs = invitedMs + 3 * dayMs; atMs < untilMs; atMs += 3 * dayMs)
      steps.push({ stage: 'awaiting-activation', atMs, milestones: ['reminder'] });
  };
  const outcome = random();
  if (outcome < 0.1) {
    const parkedMs = invitedMs + hourMs;
    steps.push({
      stage: 'needs-attention',
      atMs: parkedMs,
      milestones: ['needs-attention'],
      attentionCode: 'conflict',
    });
    if (random() < 0.5) return runWrites(run, steps, true);
    steps.push({
      stage: 'awaiting-activation',
      atMs: parkedMs + random() * 8 * hourMs,
      milestones: ['resolved'],
    });
    steps.push({ stage: 'activated', atMs: invitedMs + 2 * dayMs, milestones: ['activated'] });
    return runWrites({ ...run, outcome: 'activated' }, steps, false);
  }
  if (outcome < 0.75) {
    const activatedMs = invitedMs + (0.1 + random() * 20) * dayMs;
    reminders(activatedMs);
    steps.push({ stage: 'activated', atMs: activatedMs, milestones: ['activated'] });
    return runWrites({ ...run, outcome: 'activated' }, steps, false);
  }
  if (outcome < 0.9) {
    reminders(invitedMs + 30 * dayMs);
    steps.push({ stage: 'expired', atMs: invitedMs + 30 * dayMs, milestones: ['expired'] });
    return runWrites({ ...run, outcome: 'expired' }, steps, false);
  }
  reminders(invitedMs + 4 * dayMs);
  return runWrites(run, steps, true);
}

/**
 * An offboarding: started two weeks before the last working day, deactivated within hours of its end
 * (17:00 Berlin is 16:00 UTC in winter), deleted 30 days later (a tenth after a legal hold); a tenth
 * park in needs-attention first and are resolved within a day.
 */
function offboardingWrites(run: Run, lastWorkingDayMs: number, random: () => number): StageChange[] {
  const deactivatedMs = lastWorkingDayMs + 16 * hourMs + random() * 3 * hourMs;
  const steps: Step[] = [
    { stage: 'scheduled', atMs: lastWorkingDayMs - 14 * dayMs, milestones: ['started'] },
  ];
  if (random() < 0.1) {
    const parkedMs = lastWorkingDayMs - 13 * dayMs;
    steps.push({
      stage: 'needs-attention',
      atMs: parkedMs,
      milestones: ['needs-attention'],
      attentionCode: 'auth',
    });
    steps.push({ stage: 'scheduled', atMs: parkedMs + random() * 20 * hourMs, milestones: ['resolved'] });
  }
  steps.push({ stage: 'deactivated', atMs: deactivatedMs, milestones: ['deactivated'] });
  if (random() < 0.1)
    steps.push({ stage: 'retention', atMs: deactivatedMs + 20 * dayMs, milestones: ['held'] });
  steps.push({ stage: 'deleted', atMs: deactivatedMs + 30 * dayMs, milestones: ['deleted'] });
  return runWrites({ ...run, outcome: 'deleted' }, steps, false);
}

/**
 * One person's stage changes, in order. Joiners: an onboarding started within 2026. Leavers: their
 * onboarding over a year earlier, then an offboarding whose last working day is in 2026; the
 * offboarding's writes carry no names (the activity keeps the onboarding's, as in production).
 */
function stageChanges(index: number, random: () => number, base: number): StageChange[] {
  const leaver = random() >= 0.7;
  const externalID = `emp-${String(index).padStart(7, '0')}`;
  const names = {
    firstName: pick(random, firstNames),
    lastName: pick(random, lastNames),
    email: `${externalID}@example.com`,
  };
  const offsetDays = Math.floor(random() * 365);
  // Seconds apart within a day, so people do not share instants.
  const startMs = base + (offsetDays - (leaver ? 400 : 0)) * dayMs + (index % 86_400) * 1000;
  const onboarding: Run = {
    externalID,
    lifecycle: 'onboarding',
    ...names,
    startDate: day(startMs, 14),
    runId: `on-${index}`,
    runStartedAt: new Date(startMs).toISOString(),
  };
  const joined = onboardingWrites(onboarding, startMs, leaver ? () => 0.5 : random);
  if (!leaver) return joined;
  const lastWorkingDayMs = base + offsetDays * dayMs;
  const offboarding: Run = {
    externalID,
    lifecycle: 'offboarding',
    lastWorkingDay: day(lastWorkingDayMs, 0),
    runId: `off-${index}`,
    runStartedAt: new Date(lastWorkingDayMs - 14 * dayMs).toISOString(),
  };
  return [...joined, ...offboardingWrites(offboarding, lastWorkingDayMs, random)];
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
      // A person's changes in order, as their runs write them.
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
