/** The onboarding reports (issue 32): the activation funnel and the time to activate. */
import { type ReportPeriod, percentile, rounded } from './report-periods';
import {
  type BucketOf,
  type BucketedEvent,
  type MilestoneReads,
  byPerson,
  count,
  dayMs,
  inPeriod,
  sortedNumbers,
  tabulate,
} from './report-reads';

/** The results that end an onboarding's invitation (onboarding's own kinds; `cancelled` by run, below). */
const ONBOARDING_ENDINGS = ['activated', 'expired', 'rehire-refused', 'account-deleted-elsewhere'];

export async function activationFunnel(reads: MilestoneReads, period: ReportPeriod, bucketOf: BucketOf) {
  const rows = await reads.ofPeopleWith('invited', [...ONBOARDING_ENDINGS, 'cancelled'], period);
  interface Invitation extends BucketedEvent {
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

/**
 * Each activation within the period, with the days since its invitation and the reminders between
 * (counted only when asked: reminders are the most numerous rows, and reading them is most of the cost).
 */
export async function activations(
  reads: MilestoneReads,
  period: ReportPeriod,
  bucketOf: BucketOf,
  countReminders: boolean,
) {
  const kinds = countReminders ? ['invited', 'reminder'] : ['invited'];
  const rows = await reads.ofPeopleWith('activated', kinds, period);
  const found: (BucketedEvent & { days: number; reminders: number })[] = [];
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

export async function timeToActivate(reads: MilestoneReads, period: ReportPeriod, bucketOf: BucketOf) {
  return tabulate(period, await activations(reads, period, bucketOf, false), (events) => {
    const days = sortedNumbers(events.map((e) => e.days));
    return {
      activated: events.length,
      medianDays: rounded(percentile(days, 0.5)),
      p90Days: rounded(percentile(days, 0.9)),
    };
  });
}
