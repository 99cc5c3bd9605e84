/**
 * Many people in a person index, fast, through the repository's own write path (`upsertPerson`, as the
 * workflows' activity writes it): for the tests of `GET /v1/people`, the console's people page and
 * `list --search`. Deterministic: a test computes its expected totals and counts from what was written.
 */
import { type LifecycleStore, type PersonWrite } from '../../store';

const firstNames = ['Ada', 'Grace', 'Alan', 'Katherine', 'Edsger', 'Barbara', 'Donald', 'Frances'];
const lastNames = ['Lovelace', 'Hopper', 'Turing', 'Johnson', 'Dijkstra', 'Liskov', 'Knuth', 'Allen'];
const onboardingStages = ['scheduled', 'awaiting-activation', 'needs-attention', 'completed'];
const offboardingStages = ['scheduled', 'retention', 'on-hold', 'completed'];

/** `2027-01-01` plus `days`. */
export function dayAfterNewYear(days: number): string {
  return new Date(Date.UTC(2027, 0, 1 + days)).toISOString().slice(0, 10);
}

/** The n-th seeded person (0-based): every field follows from n. */
export function seededPerson(prefix: string, n: number): PersonWrite {
  const onboarding = n % 3 !== 2;
  const stages = onboarding ? onboardingStages : offboardingStages;
  const stage = stages[n % stages.length] ?? 'scheduled';
  const firstName = firstNames[n % firstNames.length] ?? 'Ada';
  const lastName = lastNames[Math.floor(n / firstNames.length) % lastNames.length] ?? 'Lovelace';
  const externalID = `${prefix}-${String(n).padStart(5, '0')}`;
  return {
    externalID,
    firstName,
    lastName,
    email: `${firstName}.${lastName}.${n}@example.com`.toLowerCase(),
    lifecycle: onboarding ? 'onboarding' : 'offboarding',
    stage,
    startDate: onboarding ? dayAfterNewYear(n % 365) : null,
    lastWorkingDay: onboarding ? null : dayAfterNewYear(n % 365),
    attentionCode: stage === 'needs-attention' ? 'userNameTaken' : null,
    outcome: stage === 'completed' ? (onboarding ? 'activated' : 'deleted') : null,
    runId: `run-${externalID}`,
    runStartedAt: '2026-12-01T08:00:00.000Z',
    sequence: 1,
    open: stage !== 'completed',
    at: '2026-12-01T08:00:00.000Z',
  };
}

/**
 * Writes `count` people (`<prefix>-00000` …) and any `extra` ones; answers everything written.
 * Eight writes at a time: SQLite serialises them anyway, and PostgreSQL's pool takes ten.
 */
export async function seedPeople(
  store: LifecycleStore,
  prefix: string,
  count: number,
  extra: PersonWrite[] = [],
): Promise<PersonWrite[]> {
  const people = [...Array.from({ length: count }, (_unused, n) => seededPerson(prefix, n)), ...extra];
  for (let start = 0; start < people.length; start += 8) {
    const results = await Promise.all(
      people.slice(start, start + 8).map((person) => store.people.upsertPerson(person)),
    );
    if (results.some((result) => result !== 'applied')) throw new Error('a seeded person was not written');
  }
  return people;
}

/** Counts by lifecycle and stage, as `countsByLifecycleStage` answers them, of what was written. */
export function expectedCounts(people: PersonWrite[]): Record<string, Record<string, number>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const person of people) {
    const byStage = (counts[person.lifecycle] ??= {});
    byStage[person.stage] = (byStage[person.stage] ?? 0) + 1;
  }
  return counts;
}

/** A person with an accented last name no seeded person shares (for the accent-insensitive search). */
export function accentedPerson(externalID: string): PersonWrite {
  return {
    ...seededPerson('x', 0),
    externalID,
    firstName: 'Zoë',
    lastName: 'Kovačević',
    email: `zoe.k.${externalID}@example.com`,
    lifecycle: 'onboarding',
    stage: 'awaiting-activation',
    startDate: '2027-03-15',
    lastWorkingDay: null,
    attentionCode: null,
    outcome: null,
    runId: `run-${externalID}`,
    open: true,
  };
}
