/**
 * A known mix of lifecycles for the reports (issue 32), written through the store's own write path
 * (`upsertPerson`, `recordMilestone`) as the runs write them: new hires activated after 2 and 9 days,
 * one expired, one still waiting (parked in needs-attention with a code), one who waited 2 hours in
 * needs-attention; leavers deactivated on time and 3 hours late, one offboarding started after the
 * last working day, a deletion on schedule and one after a legal hold. January 2027, read in
 * Europe/Berlin with the working day ending at 18:00 (17:00 UTC in winter): one invitation is sent at
 * 00:30 Berlin time on Monday 4 January (still Sunday, ISO week 53 of 2026, in UTC).
 */
import { type SituationCounts, emptyCounts, situations } from '../../lifecycle/reconcile/situations';
import { type LifecycleStore, type PersonWrite } from '../../store';

export const REPORT_TIME_ZONE = 'Europe/Berlin';
export const REPORT_END_OF_WORKING_DAY = '18:00';
export const REPORT_PERIOD = { from: '2027-01-01', to: '2027-01-31' } as const;

export interface SeededRun {
  externalID: string;
  lifecycle: 'onboarding' | 'offboarding';
  stage: string;
  open: boolean;
  lastWorkingDay?: string;
  attentionCode?: string;
  outcome?: string;
  milestones: [kind: string, at: string][];
}

export const reportMixRuns = (prefix: string): SeededRun[] => [
  {
    externalID: `${prefix}-hire-2d`,
    lifecycle: 'onboarding',
    stage: 'completed',
    open: false,
    outcome: 'activated',
    milestones: [
      ['started', '2027-01-02T08:00:00.000Z'],
      ['needs-attention', '2027-01-04T06:00:00.000Z'],
      ['resolved', '2027-01-04T08:00:00.000Z'],
      ['invited', '2027-01-04T09:00:00.000Z'],
      ['reminder', '2027-01-05T09:00:00.000Z'],
      ['activated', '2027-01-06T09:00:00.000Z'],
    ],
  },
  {
    externalID: `${prefix}-hire-9d`,
    lifecycle: 'onboarding',
    stage: 'completed',
    open: false,
    outcome: 'activated',
    milestones: [
      ['started', '2027-01-02T08:00:00.000Z'],
      ['invited', '2027-01-03T23:30:00.000Z'],
      ['reminder', '2027-01-07T09:00:00.000Z'],
      ['reminder', '2027-01-11T09:00:00.000Z'],
      ['activated', '2027-01-12T23:30:00.000Z'],
    ],
  },
  {
    externalID: `${prefix}-hire-expired`,
    lifecycle: 'onboarding',
    stage: 'completed',
    open: false,
    outcome: 'expired',
    milestones: [
      ['started', '2027-01-02T08:00:00.000Z'],
      ['invited', '2027-01-05T09:00:00.000Z'],
      ['expired', '2027-01-19T09:00:00.000Z'],
    ],
  },
  {
    externalID: `${prefix}-hire-waiting`,
    lifecycle: 'onboarding',
    stage: 'needs-attention',
    open: true,
    attentionCode: 'userNameTaken',
    milestones: [
      ['started', '2027-01-10T08:00:00.000Z'],
      ['invited', '2027-01-12T09:00:00.000Z'],
      ['needs-attention', '2027-01-12T10:00:00.000Z'],
    ],
  },
  {
    externalID: `${prefix}-leaver-on-time`,
    lifecycle: 'offboarding',
    stage: 'completed',
    open: false,
    lastWorkingDay: '2027-01-08',
    outcome: 'deleted',
    milestones: [
      ['started', '2027-01-02T10:00:00.000Z'],
      ['logged-out', '2027-01-08T17:00:30.000Z'],
      ['deactivated', '2027-01-08T17:02:00.000Z'],
      ['deleted', '2027-01-22T17:05:00.000Z'],
    ],
  },
  {
    externalID: `${prefix}-leaver-late`,
    lifecycle: 'offboarding',
    stage: 'completed',
    open: false,
    lastWorkingDay: '2027-01-15',
    outcome: 'deleted',
    milestones: [
      ['started', '2027-01-10T10:00:00.000Z'],
      ['deactivated', '2027-01-15T20:00:00.000Z'],
      ['held', '2027-01-16T09:00:00.000Z'],
      ['hold-released', '2027-01-20T09:00:00.000Z'],
      ['deleted', '2027-01-29T10:00:00.000Z'],
    ],
  },
  {
    externalID: `${prefix}-leaver-started-late`,
    lifecycle: 'offboarding',
    stage: 'retention',
    open: true,
    lastWorkingDay: '2027-01-15',
    milestones: [
      ['started', '2027-01-18T09:00:00.000Z'],
      ['deactivated', '2027-01-18T09:01:00.000Z'],
    ],
  },
];

/** Writes the mix; answers the externalIDs written. */
export async function seedReportMix(store: LifecycleStore, prefix: string): Promise<string[]> {
  for (const run of reportMixRuns(prefix)) {
    const runId = `run-${run.externalID}`;
    const first = run.milestones[0]?.[1] ?? '2027-01-01T00:00:00.000Z';
    const last = run.milestones.at(-1)?.[1] ?? first;
    const write: PersonWrite = {
      externalID: run.externalID,
      firstName: null,
      lastName: null,
      email: null,
      lifecycle: run.lifecycle,
      stage: run.stage,
      startDate: run.lifecycle === 'onboarding' ? '2027-01-18' : null,
      lastWorkingDay: run.lastWorkingDay ?? null,
      attentionCode: run.attentionCode ?? null,
      outcome: run.outcome ?? null,
      runId,
      runStartedAt: first,
      sequence: run.milestones.length,
      open: run.open,
      at: last,
    };
    if ((await store.people.upsertPerson(write)) !== 'applied')
      throw new Error('a seeded person was not written');
    for (const [kind, at] of run.milestones)
      await store.people.recordMilestone({ externalID: run.externalID, runId, kind, at });
  }
  return reportMixRuns(prefix).map((run) => run.externalID);
}

/** What each report must show over January 2027 (totals), from the mix above. */
export const expectedTotals = {
  'activation-funnel': {
    invited: 4,
    activatedWithin1Day: 0,
    activatedWithin7Days: 1,
    activatedWithin14Days: 2,
    activatedWithin30Days: 2,
    activated: 2,
    expired: 1,
    stillWaiting: 1,
    endedOtherwise: 0,
  },
  'time-to-activate': { activated: 2, medianDays: 5.5, p90Days: 8.3 },
  'leaver-timeliness': {
    deactivated: 2,
    // 2 minutes and 3 hours after 17:00 UTC: median 1.52 h, 95th percentile 2.85 h.
    medianHours: 1.52,
    p95Hours: 2.85,
    laterThan1Hour: 1,
    startedLate: 1,
    lastWorkingDayUnknown: 0,
    deletedOnSchedule: 1,
    deletedAfterHold: 1,
  },
  'needs-attention': {
    entered: 2,
    resolved: 1,
    stillWaiting: 1,
    medianWaitHours: 2,
    p90WaitHours: 2,
    remindersPerActivation: 1.5,
    'code:userNameTaken': 1,
    'code:not-recorded': 1,
  },
} as const;

/** The ISO weeks of January 2027 in Berlin. */
export const januaryWeeks = ['2026-W53', '2027-W01', '2027-W02', '2027-W03', '2027-W04'];

/**
 * Two classified reconciliations in January 2027 (week 1 and week 3 in Berlin) and one still planning
 * (no counts: not counted). `setCreatedAt` moves a plan to its January time (the store stamps now).
 */
export async function seedReconciliations(
  store: LifecycleStore,
  setCreatedAt: (planId: string, at: string) => Promise<void>,
): Promise<void> {
  const plans: [planId: string, createdAt: string, counts: Partial<SituationCounts> | null][] = [
    ['drift-w01', '2027-01-05T10:00:00.000Z', { joiner: 3, leaver: 1, 'in-sync': 40, disputed: 2 }],
    ['drift-w03', '2027-01-20T10:00:00.000Z', { joiner: 1, 'in-sync': 44, unmanaged: 2 }],
    ['drift-planning', '2027-01-21T10:00:00.000Z', null],
  ];
  for (const [planId, createdAt, counts] of plans) {
    await store.reconcile.createSnapshot({ snapshotId: `snap-${planId}`, source: 'test', rows: [] });
    await store.reconcile.createPlan({
      planId,
      snapshotId: `snap-${planId}`,
      dryRun: true,
      absent: 'ignore',
      requestedBy: { kind: 'cli', user: 'tester' },
      policies: {},
    });
    if (counts)
      await store.reconcile.recordClassification(planId, {
        status: 'dry-run',
        counts: { ...emptyCounts(), ...counts },
        safetyReasons: [],
        offboardingsToStart: 0,
        managedAccounts: 0,
        activePeople: 0,
      });
    await setCreatedAt(planId, createdAt);
  }
}

const situationValues = (counts: Partial<SituationCounts>) =>
  Object.fromEntries(situations.map((situation) => [`situation:${situation}`, counts[situation] ?? 0]));

/** reconciliation-drift over January 2027 by ISO week, from `seedReconciliations`. */
export const expectedDrift = {
  weeks: {
    '2026-W53': {
      reconciliations: 0,
      ...Object.fromEntries(situations.map((s) => [`situation:${s}`, null])),
    },
    '2027-W01': {
      reconciliations: 1,
      ...situationValues({ joiner: 3, leaver: 1, 'in-sync': 40, disputed: 2 }),
    },
    '2027-W02': {
      reconciliations: 0,
      ...Object.fromEntries(situations.map((s) => [`situation:${s}`, null])),
    },
    '2027-W03': { reconciliations: 1, ...situationValues({ joiner: 1, 'in-sync': 44, unmanaged: 2 }) },
    '2027-W04': {
      reconciliations: 0,
      ...Object.fromEntries(situations.map((s) => [`situation:${s}`, null])),
    },
  },
  /** The whole month: both reconciliations, the people of the latest. */
  total: { reconciliations: 2, ...situationValues({ joiner: 1, 'in-sync': 44, unmanaged: 2 }) },
};
