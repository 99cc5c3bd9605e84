/**
 * Staffbase's effects on one person's accounts, counted and held against the runs and the model:
 * every account the API created, deleted, deactivated or reactivated must be named by a run of the
 * person that says it did so, no effect may happen more often than the model allows (lost answers and
 * SIGKILLs may repeat a request, never its effect), and no more logouts than logout attempts.
 */
import type { Client } from '@temporalio/client';
import type { CallRecord, EffectRecord } from '../../simulator/control-client';
import type { OffboardingOutcome } from '../../workflows/offboarding-messages';
import { offboardingStatusQuery } from '../../workflows/offboarding-messages';
import type { OnboardingOutcome } from '../../workflows/onboarding-messages';
import { onboardingStatusQuery } from '../../workflows/onboarding-messages';
import { maxApiEffects, type CountedEffect, type StoryEvent } from './model';

/** What one run of the person says about the accounts it touched. */
export interface RunFacts {
  lifecycle: 'onboarding' | 'offboarding';
  runId: string;
  status: string;
  /** The account the run worked on (its outcome's, or its status's while it rests). */
  staffbaseUserId?: string;
  onboarding?: OnboardingOutcome;
  offboarding?: OffboardingOutcome;
  /** Attempts of activities that end sessions (each may send one `DELETE /users/{id}/sessions`). */
  logoutAttempts: number;
  /** An onboarding's rehire accounts deleted by hand while it reactivated them. */
  vanishedWhileReactivating?: string[];
}

const logoutActivity = /logout|endSessions/i;

/** Every run of these workflow ids (one per chain of continue-as-new), with what it says. */
export async function runFacts(client: Client, workflowIds: string[]): Promise<RunFacts[]> {
  const facts: RunFacts[] = [];
  for (const workflowId of workflowIds) {
    const lifecycle = workflowId.startsWith('onboarding-') ? 'onboarding' : 'offboarding';
    for await (const execution of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
      const handle = client.workflow.getHandle(workflowId, execution.runId, { followRuns: false });
      const fact: RunFacts = {
        lifecycle,
        runId: execution.runId,
        status: execution.status.name,
        logoutAttempts: logoutAttempts((await handle.fetchHistory()).events ?? []),
      };
      if (execution.status.name === 'COMPLETED') {
        const outcome = (await handle.result()) as OnboardingOutcome | OffboardingOutcome;
        fact.staffbaseUserId = outcome.staffbaseUserId;
        if (lifecycle === 'onboarding') {
          fact.onboarding = outcome as OnboardingOutcome;
          fact.vanishedWhileReactivating = fact.onboarding.vanishedWhileReactivating;
        } else fact.offboarding = outcome as OffboardingOutcome;
      } else if (execution.status.name === 'RUNNING') {
        const status = await (lifecycle === 'onboarding'
          ? handle.query(onboardingStatusQuery)
          : handle.query(offboardingStatusQuery));
        fact.staffbaseUserId = status.staffbaseUserId;
        if ('vanishedWhileReactivating' in status) {
          fact.vanishedWhileReactivating = status.vanishedWhileReactivating;
        }
      }
      facts.push(fact);
    }
  }
  return facts;
}

function logoutAttempts(
  events: {
    eventId?: unknown;
    activityTaskScheduledEventAttributes?: { activityType?: { name?: string | null } | null } | null;
    activityTaskStartedEventAttributes?: { scheduledEventId?: unknown; attempt?: number | null } | null;
  }[],
): number {
  const logouts = new Set<string>();
  let attempts = 0;
  for (const event of events) {
    const name = event.activityTaskScheduledEventAttributes?.activityType?.name;
    if (name && logoutActivity.test(name)) logouts.add(String(event.eventId));
    const started = event.activityTaskStartedEventAttributes;
    if (started && logouts.has(String(started.scheduledEventId))) attempts += started.attempt ?? 1;
  }
  return attempts;
}

/** Whether a run says it made this effect on this account. */
function claims(run: RunFacts, kind: CountedEffect, userId: string): boolean {
  // A rehire's account deleted by hand while the run reactivated it: the run names it apart.
  if (kind === 'reactivated' && run.vanishedWhileReactivating?.includes(userId)) return true;
  if (run.staffbaseUserId !== userId) return false;
  switch (kind) {
    case 'created':
      return run.lifecycle === 'onboarding';
    case 'deleted':
      return run.offboarding?.result === 'deleted' || run.onboarding?.accountAction === 'deleted';
    case 'deactivated':
      return run.lifecycle === 'offboarding';
    case 'reactivated':
      // A rehire's policy, or a cancelled offboarding that had deactivated.
      return run.lifecycle === 'onboarding' || run.offboarding?.reactivated === true;
  }
}

export interface EffectCounts {
  created: number;
  deleted: number;
  deactivated: number;
  reactivated: number;
  loggedOut: number;
  logoutAttempts: number;
}

/**
 * The accounts created while a `POST /users` whose answer the simulator then lost was being handled
 * (the creation falls inside that call's time; a millisecond either side for the rounding).
 */
export function createdByLostAnswers(mine: EffectRecord[], calls: CallRecord[]): Set<string> {
  const lost = calls
    .filter((call) => call.routeKey === 'POST /users' && call.outcome === 'reply-lost')
    .map((call) => ({ from: Date.parse(call.time) - 1, to: Date.parse(call.time) + call.durationMs + 1 }));
  return new Set(
    mine
      .filter((effect) => effect.kind === 'created' && effect.via === 'api')
      .filter((effect) => {
        const time = Date.parse(effect.time);
        return lost.some((call) => call.from <= time && time <= call.to);
      })
      .map((effect) => effect.userId),
  );
}

/**
 * The accounts a create made whose answer was lost and that an administrator deleted by hand before the
 * run's retry could find them: the retry then rightly creates afresh, and no run ever learnt the first
 * account. (An account a run had learnt and then replaced stays a failure: its answer was not lost.)
 */
export function orphanedByLostCreate(mine: EffectRecord[], lostCreateIds: ReadonlySet<string>): Set<string> {
  const deletedByHand = new Set(
    mine
      .filter((effect) => effect.kind === 'deleted' && effect.via === 'studio')
      .map((effect) => effect.userId),
  );
  return new Set(
    mine
      .filter((effect) => effect.kind === 'created' && lostCreateIds.has(effect.userId))
      .map((effect) => effect.userId)
      .filter((userId) => deletedByHand.has(userId)),
  );
}

/**
 * The accounting for one person: the counts, and every effect nothing accounts for. `lostCreateIds`:
 * the accounts created by a `POST /users` whose answer the simulator lost.
 */
export function accountEffects(
  externalID: string,
  story: StoryEvent[],
  mine: EffectRecord[],
  runs: RunFacts[],
  windowDeletions: ReadonlySet<string>,
  lostCreateIds: ReadonlySet<string> = new Set(),
): { counts: EffectCounts; problems: string[]; runs: string; effects: string } {
  const problems: string[] = [];
  const orphans = orphanedByLostCreate(mine, lostCreateIds);
  const api = mine.filter((effect) => effect.via === 'api');
  const ofKind = (kind: EffectRecord['kind']) => api.filter((effect) => effect.kind === kind);
  const counts: EffectCounts = {
    created: ofKind('created').length,
    deleted: ofKind('deleted').length,
    deactivated: ofKind('deactivated').length,
    reactivated: ofKind('reactivated').length,
    loggedOut: ofKind('logged-out').length,
    logoutAttempts: runs.reduce((sum, run) => sum + run.logoutAttempts, 0),
  };

  const max = maxApiEffects(story);
  max.created += orphans.size;
  for (const kind of ['created', 'deleted', 'deactivated', 'reactivated'] as const) {
    if (counts[kind] > max[kind]) {
      problems.push(
        `invariant 5: the API ${kind} ${externalID}'s accounts ${counts[kind]} times; the story allows at most ${max[kind]}`,
      );
    }
    for (const effect of ofKind(kind)) {
      // A deletion inside the no-conditional-DELETE window is counted and bounded apart.
      if (kind === 'deleted' && windowDeletions.has(effect.userId)) continue;
      if (kind === 'created' && orphans.has(effect.userId)) continue;
      if (!runs.some((run) => claims(run, kind, effect.userId))) {
        problems.push(
          `invariant 5: account ${effect.userId} of ${externalID} was ${kind} at ${effect.time} (it was ${effect.statusBefore ?? 'new'}), but no run of ${externalID} says it ${kind} that account (runs: ${describeRuns(runs)})`,
        );
      }
    }
  }
  if (counts.loggedOut > counts.logoutAttempts) {
    problems.push(
      `invariant 5: ${counts.loggedOut} logouts of ${externalID} at the tenant, but only ${counts.logoutAttempts} logout attempts`,
    );
  }
  return { counts, problems, runs: describeRuns(runs), effects: describeEffects(mine) };
}

/** The tenant's effects on the person's accounts, in order, for a failure report. */
function describeEffects(mine: EffectRecord[]): string {
  const start = mine[0] ? Date.parse(mine[0].time) : 0;
  return (
    mine
      .map(
        (effect) =>
          `${effect.kind} ${effect.userId.slice(0, 8)} via ${effect.via} +${Date.parse(effect.time) - start} ms`,
      )
      .join(', ') || 'none'
  );
}

export function describeRuns(runs: RunFacts[]): string {
  if (runs.length === 0) return 'none';
  return runs
    .map((run) => {
      const outcome = run.onboarding ?? run.offboarding;
      const detail = outcome
        ? `${outcome.result}${run.onboarding?.accountAction ? `/${run.onboarding.accountAction}` : ''}` +
          `${run.onboarding?.settledOffboarding ? `/${run.onboarding.settledOffboarding}` : ''}` +
          `${run.offboarding?.keptBecause ? `/${run.offboarding.keptBecause}` : ''}`
        : run.status;
      return `${run.lifecycle} ${run.runId.slice(-8)} ${detail} on ${run.staffbaseUserId ?? 'no account'}`;
    })
    .join('; ');
}
