/**
 * A run in plain language: what happened, in order, then what happens next. Built only from the
 * run's status (while open) or outcome (once closed), as `GET /v1/people/{externalID}` gives them.
 */
import { reasonText } from '../attention';
import { h, when } from '../dom';
import { nextActionLabels, stageLabel } from '../labels';
import {
  type OffboardingOutcome,
  type OffboardingStatus,
  type OnboardingOutcome,
  type OnboardingStatus,
  type RunState,
} from '../types';

interface Entry {
  text: string;
  at?: string;
  /** Still to come. */
  next?: boolean;
}

const day = (iso: string | undefined) => (iso ? new Date(iso).toLocaleDateString() : '');

const onboardingResults: Record<string, (o: OnboardingOutcome) => string> = {
  activated: (o) => `Activated${o.activatedVia ? ` (noticed by ${o.activatedVia.replace(/-/g, ' ')})` : ''}`,
  expired: (o) =>
    `Invitation expired, never activated${o.accountAction ? `; account ${o.accountAction.replace(/-/g, ' ')}` : ''}`,
  cancelled: (o) =>
    `Cancelled${o.reason ? `: ${o.reason}` : ''}${o.accountAction ? `; account ${o.accountAction.replace(/-/g, ' ')}` : ''}`,
  'rehire-refused': () => 'Stopped: a deactivated account exists and the rehire policy is "stop"',
  'account-deleted-elsewhere': () => 'Stopped: the account was deleted outside this service',
};

const offboardingResults: Record<string, (o: OffboardingOutcome) => string> = {
  deleted: (o) => `Account deleted${o.alreadyGone ? ' (it was already gone)' : ''}`,
  cancelled: (o) =>
    `Cancelled${o.reactivated ? ', account reactivated' : ''}${o.reason ? `: ${o.reason}` : ''}`,
  'cancelled-by-rehire': () => 'Stopped by a rehire (a new onboarding of the person)',
  kept: (o) => `Account kept, not deleted${o.keptBecause ? ` (${o.keptBecause.replace(/-/g, ' ')})` : ''}`,
  'user-not-found': () => 'Nothing to do: the person has no Staffbase account',
};

export function onboardingTimeline(run: RunState<OnboardingStatus, OnboardingOutcome>): Entry[] {
  const entries: Entry[] = [{ text: 'Onboarding started', at: run.startTime }];
  const status = run.status;
  if (status?.startDate) entries.push({ text: `Start date ${day(status.startDate)}` });
  if (status?.invitedAt) entries.push({ text: 'Account created, invitation sent', at: status.invitedAt });
  if (status && status.remindersSent > 0) {
    entries.push({ text: `${status.remindersSent} reminder${status.remindersSent === 1 ? '' : 's'} sent` });
  }
  if (status) entries.push({ text: `Now: ${stageLabel(status.stage)}` });
  if (status?.attention)
    entries.push({ text: `Waits for a fix: ${reasonText(status.attention)}`, at: status.attention.since });
  if (status?.nextAction) {
    entries.push({
      text: nextActionLabels[status.nextAction.kind] ?? status.nextAction.kind,
      at: status.nextAction.at,
      next: true,
    });
  }
  if (run.outcome) {
    if (run.outcome.remindersSent > 0)
      entries.push({ text: `${run.outcome.remindersSent} reminder(s) sent` });
    const describe = onboardingResults[run.outcome.result];
    entries.push({ text: describe ? describe(run.outcome) : run.outcome.result, at: run.closeTime });
  }
  if (run.failure) entries.push({ text: `Failed: ${run.failure}`, at: run.closeTime });
  return entries;
}

export function offboardingTimeline(run: RunState<OffboardingStatus, OffboardingOutcome>): Entry[] {
  const entries: Entry[] = [{ text: 'Offboarding started', at: run.startTime }];
  const status = run.status;
  const deactivatedAt = status?.deactivatedAt ?? run.outcome?.deactivatedAt;
  if (status?.effectiveAt && !deactivatedAt) {
    entries.push({ text: 'Logs out and deactivates', at: status.effectiveAt, next: true });
  }
  if (deactivatedAt) entries.push({ text: 'Logged out everywhere and deactivated', at: deactivatedAt });
  if (status?.legalHold) {
    entries.push({ text: `Held by a legal hold: ${status.legalHold.reason}`, at: status.legalHold.since });
  }
  if (status) entries.push({ text: `Now: ${stageLabel(status.stage)}` });
  if (status?.attention)
    entries.push({ text: `Waits for a fix: ${reasonText(status.attention)}`, at: status.attention.since });
  if (status?.deleteAt) {
    entries.push({
      text: status.legalHold ? 'Would delete (waits for the hold)' : 'Deletes the account',
      at: status.deleteAt,
      next: true,
    });
  }
  if (run.outcome) {
    const describe = offboardingResults[run.outcome.result];
    entries.push({
      text: describe ? describe(run.outcome) : run.outcome.result,
      at: run.outcome.deletedAt ?? run.closeTime,
    });
  }
  if (run.failure) entries.push({ text: `Failed: ${run.failure}`, at: run.closeTime });
  return entries;
}

export function timelineList(entries: Entry[]): HTMLElement {
  return h(
    'ol',
    { class: 'timeline' },
    entries.map((entry) =>
      h(
        'li',
        { class: entry.next ? 'next' : undefined },
        entry.text,
        entry.at ? [' · ', when(entry.at)] : '',
      ),
    ),
  );
}
