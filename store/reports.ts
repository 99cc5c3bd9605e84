/**
 * Reports over populations (issue 32), from the milestone rows the runs write (docs/store.md), never
 * from histories. The queries only pick rows (the same Kysely queries on both databases); grouping by
 * ISO week or month in the policy time zone, pairing milestones and the percentiles happen in code,
 * where SQLite and PostgreSQL cannot disagree about time zones.
 */
import { type StoreConnection } from './connection';
import {
  type ReportGrouping,
  type ReportPeriod,
  bucketKey,
  localDates,
  percentile,
  reportPeriod,
  rounded,
} from './report-periods';
import { zonedDateTimeToEpochMs } from '../lifecycle/calendar';

export const REPORT_NAMES = [
  'activation-funnel',
  'time-to-activate',
  'leaver-timeliness',
  'needs-attention',
  'reconciliation-drift',
] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export interface ReportQuery {
  name: ReportName;
  /** `YYYY-MM-DD`, inclusive, in `timeZone`. */
  from: string;
  to: string;
  by: ReportGrouping;
  /** LIFECYCLE_TIME_ZONE. */
  timeZone: string;
  /** OFFBOARDING_END_OF_WORKING_DAY (`HH:MM`): when a last working day ends. */
  endOfWorkingDay: string;
}

export interface ReportColumn {
  key: string;
  label: string;
  unit: 'people' | 'days' | 'hours' | 'per activation';
}

export type ReportValues = Record<string, number | null>;

export interface ReportRow {
  /** `2027-W03` or `2027-01`, and its days within the period. */
  period: string;
  from: string;
  to: string;
  values: ReportValues;
}

export interface Report {
  name: ReportName;
  from: string;
  to: string;
  by: ReportGrouping;
  timeZone: string;
  columns: ReportColumn[];
  rows: ReportRow[];
  /** Over the whole period (medians and percentiles of all its values, not of the rows'). */
  total: ReportValues;
  /** What the figures count, and what they cannot. */
  note: string;
}

interface Row {
  external_id: string;
  run_id: string;
  kind: string;
  at: string;
}

interface Event {
  bucket: string;
}

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
/** The results that end an onboarding's invitation (onboarding's own kinds; `cancelled` by run, below). */
const ONBOARDING_ENDINGS = ['activated', 'expired', 'rehire-refused', 'account-deleted-elsewhere'];

/** Events grouped by bucket (every bucket of the period, empty ones too) and over the whole period. */
function tabulate<E extends Event>(
  period: ReportPeriod,
  events: E[],
  measure: (events: E[]) => ReportValues,
): { rows: ReportRow[]; total: ReportValues } {
  const byBucket = new Map<string, E[]>(period.buckets.map((bucket) => [bucket.key, []]));
  for (const event of events) byBucket.get(event.bucket)?.push(event);
  return {
    rows: period.buckets.map((bucket) => ({
      period: bucket.key,
      from: bucket.from,
      to: bucket.to,
      values: measure(byBucket.get(bucket.key) ?? []),
    })),
    total: measure(events),
  };
}

const sortedNumbers = (values: number[]) => [...values].sort((a, b) => a - b);
const count = <E>(events: E[], test: (event: E) => boolean) => events.filter(test).length;

/** Each person's rows, oldest first. */
function byPerson(rows: Row[]): Map<string, Row[]> {
  const people = new Map<string, Row[]>();
  for (const row of rows) {
    const list = people.get(row.external_id);
    if (list) list.push(row);
    else people.set(row.external_id, [row]);
  }
  for (const list of people.values()) list.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return people;
}

export interface ReportQueries {
  report(query: ReportQuery): Promise<Report>;
}

export function reportQueries(connection: StoreConnection): ReportQueries {
  const { db } = connection;

  /** Milestones of `kinds` of the people who have a `trigger` milestone within the period. */
  const milestonesOfPeopleWith = (trigger: string, kinds: string[], period: ReportPeriod) =>
    db
      .selectFrom('milestone')
      .select(['external_id', 'run_id', 'kind', 'at'])
      .where('kind', 'in', [...new Set([trigger, ...kinds])])
      .where('external_id', 'in', (eb) =>
        eb
          .selectFrom('milestone as within')
          .select('within.external_id')
          .where('within.kind', '=', trigger)
          .where('within.at', '>=', new Date(period.startMs).toISOString())
          .where('within.at', '<', new Date(period.endMs).toISOString()),
      )
      .execute();

  /** Milestones of `kinds` of the runs that have a `trigger` milestone within the period. */
  const milestonesOfRunsWith = (trigger: string, kinds: string[], period: ReportPeriod) =>
    db
      .selectFrom('milestone')
      .select(['external_id', 'run_id', 'kind', 'at'])
      .where('kind', 'in', [...new Set([trigger, ...kinds])])
      .where('run_id', 'in', (eb) =>
        eb
          .selectFrom('milestone as within')
          .select('within.run_id')
          .where('within.kind', '=', trigger)
          .where('within.at', '>=', new Date(period.startMs).toISOString())
          .where('within.at', '<', new Date(period.endMs).toISOString()),
      )
      .execute();

  const inPeriod = (period: ReportPeriod, at: string) => {
    const ms = Date.parse(at);
    return ms >= period.startMs && ms < period.endMs;
  };

  async function activationFunnel(period: ReportPeriod, bucketOf: (ms: number) => string) {
    const rows = await milestonesOfPeopleWith('invited', [...ONBOARDING_ENDINGS, 'cancelled'], period);
    interface Invitation extends Event {
      ending?: { kind: string; afterMs: number };
    }
    const invitations: Invitation[] = [];
    for (const list of byPerson(rows).values()) {
      list.forEach((row, index) => {
        if (row.kind !== 'invited' || !inPeriod(period, row.at)) return;
        const invitedMs = Date.parse(row.at);
        // Its ending: the first onboarding result after it, before the person's next invitation.
        let ending: Invitation['ending'];
        for (const later of list.slice(index + 1)) {
          if (later.kind === 'invited') break;
          const ends =
            ONBOARDING_ENDINGS.includes(later.kind) ||
            (later.kind === 'cancelled' && later.run_id === row.run_id);
          if (ends) {
            ending = { kind: later.kind, afterMs: Date.parse(later.at) - invitedMs };
            break;
          }
        }
        invitations.push({ bucket: bucketOf(invitedMs), ...(ending && { ending }) });
      });
    }
    const activatedWithin = (events: Invitation[], days: number) =>
      count(events, (e) => e.ending?.kind === 'activated' && e.ending.afterMs <= days * dayMs);
    return tabulate(period, invitations, (events) => ({
      invited: events.length,
      activatedWithin1Day: activatedWithin(events, 1),
      activatedWithin7Days: activatedWithin(events, 7),
      activatedWithin14Days: activatedWithin(events, 14),
      activatedWithin30Days: activatedWithin(events, 30),
      activated: count(events, (e) => e.ending?.kind === 'activated'),
      expired: count(events, (e) => e.ending?.kind === 'expired'),
      stillWaiting: count(events, (e) => e.ending === undefined),
      endedOtherwise: count(
        events,
        (e) => e.ending !== undefined && !['activated', 'expired'].includes(e.ending.kind),
      ),
    }));
  }

  /** Each activation within the period, with the days since its invitation and the reminders between. */
  async function activations(period: ReportPeriod, bucketOf: (ms: number) => string) {
    const rows = await milestonesOfPeopleWith('activated', ['invited', 'reminder'], period);
    const found: (Event & { days: number; reminders: number })[] = [];
    for (const list of byPerson(rows).values()) {
      let invitedMs: number | undefined;
      let reminders = 0;
      for (const row of list) {
        if (row.kind === 'invited') {
          invitedMs = Date.parse(row.at);
          reminders = 0;
        } else if (row.kind === 'reminder') reminders += 1;
        else if (row.kind === 'activated' && invitedMs !== undefined && inPeriod(period, row.at)) {
          const ms = Date.parse(row.at);
          found.push({ bucket: bucketOf(ms), days: (ms - invitedMs) / dayMs, reminders });
          invitedMs = undefined;
        }
      }
    }
    return found;
  }

  async function timeToActivate(period: ReportPeriod, bucketOf: (ms: number) => string) {
    return tabulate(period, await activations(period, bucketOf), (events) => {
      const days = sortedNumbers(events.map((e) => e.days));
      return {
        activated: events.length,
        medianDays: rounded(percentile(days, 0.5)),
        p90Days: rounded(percentile(days, 0.9)),
      };
    });
  }

  async function leaverTimeliness(
    period: ReportPeriod,
    bucketOf: (ms: number) => string,
    endOfWorkingDay: string,
  ) {
    const start = new Date(period.startMs).toISOString();
    const end = new Date(period.endMs).toISOString();
    const [deactivations, starts, deletions, holds] = await Promise.all([
      db
        .selectFrom('milestone')
        .leftJoin('person', 'person.external_id', 'milestone.external_id')
        .select(['milestone.run_id', 'milestone.at', 'person.lifecycle', 'person.last_working_day'])
        .where('milestone.kind', '=', 'deactivated')
        .where('milestone.at', '>=', start)
        .where('milestone.at', '<', end)
        .execute(),
      milestonesOfRunsWith('deactivated', ['started'], period),
      db
        .selectFrom('milestone')
        .select(['run_id', 'at'])
        .where('kind', '=', 'deleted')
        .where('at', '>=', start)
        .where('at', '<', end)
        .execute(),
      milestonesOfRunsWith('deleted', ['held'], period),
    ]);
    const startedAt = new Map(
      starts.filter((r) => r.kind === 'started').map((r) => [r.run_id, Date.parse(r.at)]),
    );
    const heldRuns = new Set(holds.filter((r) => r.kind === 'held').map((r) => r.run_id));
    // Many leavers share a last working day; the zone's arithmetic is the costly part.
    const dayEnds = new Map<string, number>();
    const dayEnd = (date: string) => {
      let ms = dayEnds.get(date);
      if (ms === undefined) {
        ms = zonedDateTimeToEpochMs(date, endOfWorkingDay, period.timeZone);
        dayEnds.set(date, ms);
      }
      return ms;
    };
    type Leaver = Event &
      (
        | { kind: 'deactivated'; hours: number }
        | { kind: 'started-late' | 'unknown-last-working-day' }
        | { kind: 'deleted'; held: boolean }
      );
    const events: Leaver[] = [];
    for (const row of deactivations) {
      const ms = Date.parse(row.at);
      const bucket = bucketOf(ms);
      // The person row holds the last working day of their latest offboarding (docs/reports.md).
      if (row.lifecycle !== 'offboarding' || !row.last_working_day) {
        events.push({ bucket, kind: 'unknown-last-working-day' });
        continue;
      }
      const dayEndMs = dayEnd(row.last_working_day);
      const started = startedAt.get(row.run_id);
      if (started !== undefined && started > dayEndMs) events.push({ bucket, kind: 'started-late' });
      else events.push({ bucket, kind: 'deactivated', hours: (ms - dayEndMs) / hourMs });
    }
    for (const row of deletions)
      events.push({ bucket: bucketOf(Date.parse(row.at)), kind: 'deleted', held: heldRuns.has(row.run_id) });
    return tabulate(period, events, (list) => {
      const hours = sortedNumbers(list.flatMap((e) => (e.kind === 'deactivated' ? [e.hours] : [])));
      return {
        deactivated: hours.length,
        medianHours: rounded(percentile(hours, 0.5)),
        p95Hours: rounded(percentile(hours, 0.95)),
        laterThan1Hour: count(hours, (h) => h > 1),
        startedLate: count(list, (e) => e.kind === 'started-late'),
        lastWorkingDayUnknown: count(list, (e) => e.kind === 'unknown-last-working-day'),
        deletedOnSchedule: count(list, (e) => e.kind === 'deleted' && !e.held),
        deletedAfterHold: count(list, (e) => e.kind === 'deleted' && e.held),
      };
    });
  }

  async function needsAttention(period: ReportPeriod, bucketOf: (ms: number) => string) {
    const [rows, parked, activated] = await Promise.all([
      milestonesOfRunsWith('needs-attention', ['resolved'], period),
      db
        .selectFrom('person')
        .select(['open_run_id', 'attention_code'])
        .where('stage', '=', 'needs-attention')
        .where('attention_code', 'is not', null)
        .execute(),
      activations(period, bucketOf),
    ]);
    const codeOfOpenRun = new Map(parked.map((p) => [p.open_run_id, p.attention_code ?? 'not-recorded']));
    type Entry = Event & { kind: 'entry'; waitHours?: number; code: string };
    type Activation = Event & { kind: 'activation'; reminders: number };
    const events: (Entry | Activation)[] = activated.map((a) => ({ ...a, kind: 'activation' as const }));
    const runs = new Map<string, Row[]>();
    for (const row of [...rows].sort((a, b) => (a.at < b.at ? -1 : 1))) {
      const list = runs.get(row.run_id);
      if (list) list.push(row);
      else runs.set(row.run_id, [row]);
    }
    const codes = new Set<string>();
    for (const [runId, list] of runs) {
      list.forEach((row, index) => {
        if (row.kind !== 'needs-attention' || !inPeriod(period, row.at)) return;
        const ms = Date.parse(row.at);
        const resolved = list.slice(index + 1).find((later) => later.kind === 'resolved');
        // Only a run parked now has its code on the person row; earlier waits' codes are not recorded.
        const code = resolved ? 'not-recorded' : (codeOfOpenRun.get(runId) ?? 'not-recorded');
        codes.add(code);
        events.push({
          bucket: bucketOf(ms),
          kind: 'entry',
          code,
          ...(resolved && { waitHours: (Date.parse(resolved.at) - ms) / hourMs }),
        });
      });
    }
    const codeList = [...codes].sort((a, b) =>
      a === 'not-recorded' ? 1 : b === 'not-recorded' ? -1 : a.localeCompare(b),
    );
    const table = tabulate(period, events, (list) => {
      const entries = list.filter((e): e is Entry => e.kind === 'entry');
      const waits = sortedNumbers(entries.flatMap((e) => (e.waitHours === undefined ? [] : [e.waitHours])));
      const acts = list.filter((e): e is Activation => e.kind === 'activation');
      const reminders = acts.reduce((sum, a) => sum + a.reminders, 0);
      return {
        entered: entries.length,
        resolved: waits.length,
        stillWaiting: entries.length - waits.length,
        medianWaitHours: rounded(percentile(waits, 0.5)),
        p90WaitHours: rounded(percentile(waits, 0.9)),
        remindersPerActivation: acts.length === 0 ? null : rounded(reminders / acts.length),
        ...Object.fromEntries(
          codeList.map((code) => [`code:${code}`, count(entries, (e) => e.code === code)]),
        ),
      };
    });
    return { ...table, codes: codeList };
  }

  return {
    async report(query) {
      const period = reportPeriod(query);
      const dateOf = localDates(period.timeZone);
      const bucketOf = (ms: number) => bucketKey(dateOf(ms), period.by);
      const frame = {
        name: query.name,
        from: period.from,
        to: period.to,
        by: period.by,
        timeZone: period.timeZone,
      };
      switch (query.name) {
        case 'activation-funnel':
          return {
            ...frame,
            columns: FUNNEL_COLUMNS,
            ...(await activationFunnel(period, bucketOf)),
            note: NOTES[query.name],
          };
        case 'time-to-activate':
          return {
            ...frame,
            columns: TIME_TO_ACTIVATE_COLUMNS,
            ...(await timeToActivate(period, bucketOf)),
            note: NOTES[query.name],
          };
        case 'leaver-timeliness':
          return {
            ...frame,
            columns: LEAVER_COLUMNS,
            ...(await leaverTimeliness(period, bucketOf, query.endOfWorkingDay)),
            note: NOTES[query.name],
          };
        case 'needs-attention': {
          const { codes, ...table } = await needsAttention(period, bucketOf);
          const codeColumns: ReportColumn[] = codes.map((code) => ({
            key: `code:${code}`,
            label: code === 'not-recorded' ? 'Code not recorded (resolved waits)' : `Parked now: ${code}`,
            unit: 'people',
          }));
          return {
            ...frame,
            columns: [...ATTENTION_COLUMNS, ...codeColumns],
            ...table,
            note: NOTES[query.name],
          };
        }
        case 'reconciliation-drift':
          return {
            ...frame,
            columns: [],
            rows: period.buckets.map((bucket) => ({
              period: bucket.key,
              from: bucket.from,
              to: bucket.to,
              values: {},
            })),
            total: {},
            note: NOTES[query.name],
          };
      }
    },
  };
}

const FUNNEL_COLUMNS: ReportColumn[] = [
  { key: 'invited', label: 'Invited', unit: 'people' },
  { key: 'activatedWithin1Day', label: 'Activated within 1 day', unit: 'people' },
  { key: 'activatedWithin7Days', label: 'Activated within 7 days', unit: 'people' },
  { key: 'activatedWithin14Days', label: 'Activated within 14 days', unit: 'people' },
  { key: 'activatedWithin30Days', label: 'Activated within 30 days', unit: 'people' },
  { key: 'activated', label: 'Activated', unit: 'people' },
  { key: 'expired', label: 'Expired', unit: 'people' },
  { key: 'stillWaiting', label: 'Still waiting', unit: 'people' },
  { key: 'endedOtherwise', label: 'Ended otherwise (cancelled, …)', unit: 'people' },
];

const TIME_TO_ACTIVATE_COLUMNS: ReportColumn[] = [
  { key: 'activated', label: 'Activated', unit: 'people' },
  { key: 'medianDays', label: 'Median days to activate', unit: 'days' },
  { key: 'p90Days', label: '90th percentile days', unit: 'days' },
];

const LEAVER_COLUMNS: ReportColumn[] = [
  { key: 'deactivated', label: 'Deactivated', unit: 'people' },
  { key: 'medianHours', label: 'Median hours after the last working day', unit: 'hours' },
  { key: 'p95Hours', label: '95th percentile hours', unit: 'hours' },
  { key: 'laterThan1Hour', label: 'Later than 1 hour', unit: 'people' },
  { key: 'startedLate', label: 'Started late', unit: 'people' },
  { key: 'lastWorkingDayUnknown', label: 'Last working day unknown', unit: 'people' },
  { key: 'deletedOnSchedule', label: 'Deleted on schedule', unit: 'people' },
  { key: 'deletedAfterHold', label: 'Deleted after a hold', unit: 'people' },
];

const ATTENTION_COLUMNS: ReportColumn[] = [
  { key: 'entered', label: 'Needed attention', unit: 'people' },
  { key: 'resolved', label: 'Resolved', unit: 'people' },
  { key: 'stillWaiting', label: 'Still waiting', unit: 'people' },
  { key: 'medianWaitHours', label: 'Median wait (hours)', unit: 'hours' },
  { key: 'p90WaitHours', label: '90th percentile wait (hours)', unit: 'hours' },
  { key: 'remindersPerActivation', label: 'Reminders per activation', unit: 'per activation' },
];

const NOTES: Record<ReportName, string> = {
  'activation-funnel':
    'Invitations sent in each period, and what became of them (at any time since): activated within 1, 7, 14 or 30 days of the invitation, expired, still waiting, or ended otherwise (cancelled, rehire refused, account deleted elsewhere). The "within" counts are cumulative.',
  'time-to-activate':
    'Activations in each period: days from the invitation to the activation. Median and percentiles interpolate between the closest values (the median of 2 and 9 is 5.5).',
  'leaver-timeliness':
    'Deactivations in each period: hours from the end of the last working day (OFFBOARDING_END_OF_WORKING_DAY in LIFECYCLE_TIME_ZONE) to the deactivation; negative means before it. Offboardings started after that moment count as started late and are left out of the hours. The last working day is the one on the person row, so a deactivation of a person who has since been onboarded again counts as last working day unknown. Deletions in each period: on schedule, or after a legal hold was released.',
  'needs-attention':
    'Runs that parked in needs-attention in each period, how many left it and how long they waited. Codes: the code of runs parked now; a resolved wait’s code is not recorded in the milestones. Reminders per activation: reminders sent between the invitation and the activation, for activations in the period.',
  'reconciliation-drift':
    'No data yet: reconciliation plans are not recorded in the store yet. This report will count each reconciliation’s people per situation once they are.',
};
