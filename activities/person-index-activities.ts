/**
 * The person index's writes from the lifecycle runs (docs/store.md): one activity per stage change,
 * run by the workflow worker as a local activity (workflows/person-index.ts) — it talks to the
 * project's own store, never to Staffbase, so it spends none of the tenant's budget.
 */
import { Context } from '@temporalio/activity';
import type { PersonStageWrite, PersonStageWriteResult } from '../lifecycle/person-index-write';
import type { LifecycleEventsConfig } from '../config/lifecycle-events';
import {
  eventMilestone,
  lifecycleEventId,
  lifecycleEventType,
  subscriberTakes,
} from '../lifecycle/lifecycle-event-message';
import type { LifecycleStore, PersonIndex } from '../store';
import {
  LIFECYCLE_EVENT_DISPATCHER_ID,
  lifecycleEventsWakeSignal,
} from '../workflows/lifecycle-event-messages';

/**
 * Writes one stage change: the person's row (applied only when its position is later than the row's)
 * and its milestones (keyed by run, kind and time: a retry inserts nothing twice). An offboarding
 * carries no names: the row keeps the ones an onboarding wrote.
 */
export async function writePersonStage(
  people: PersonIndex,
  write: PersonStageWrite,
  events?: LifecycleEventsConfig,
): Promise<Exclude<PersonStageWriteResult, 'no-store'>> {
  const names =
    write.firstName === undefined && write.lastName === undefined && write.email === undefined
      ? await people.person(write.externalID)
      : write;
  const result = await people.upsertPerson({
    externalID: write.externalID,
    firstName: names?.firstName ?? null,
    lastName: names?.lastName ?? null,
    email: names?.email ?? null,
    lifecycle: write.lifecycle,
    stage: write.stage,
    startDate: write.startDate ?? null,
    lastWorkingDay: write.lastWorkingDay ?? null,
    attentionCode: write.attentionCode ?? null,
    outcome: write.outcome ?? null,
    runId: write.runId,
    runStartedAt: write.runStartedAt,
    sequence: write.sequence,
    open: write.open,
    at: write.at,
  });
  for (const kind of write.milestones) {
    // Each new milestone is also one lifecycle event per subscriber taking its type (docs/events.md).
    const milestone = eventMilestone(kind);
    const type = lifecycleEventType(write.lifecycle, milestone);
    const subscriberIds = (events?.subscribers ?? [])
      .filter((subscriber) => subscriberTakes(subscriber.types, type))
      .map((subscriber) => subscriber.id);
    await people.recordMilestone({
      externalID: write.externalID,
      runId: write.runId,
      kind,
      at: write.at,
      // The wait keeps its code after it is resolved (the reports count waits by code).
      ...(kind === 'needs-attention' && { attentionCode: write.attentionCode ?? null }),
      ...(subscriberIds.length > 0 && {
        event: {
          eventId: lifecycleEventId(write.runId, kind, write.at),
          lifecycle: write.lifecycle,
          milestone,
          subscriberIds,
        },
      }),
    });
  }
  return result;
}

/**
 * Best effort: a dispatcher that is not running (no subscribers when it was started, not started yet)
 * or a Temporal that does not answer costs nothing here; the dispatcher's own poll finds the events.
 */
async function wakeEventDispatcher(): Promise<void> {
  try {
    await Context.current()
      .client.workflow.getHandle(LIFECYCLE_EVENT_DISPATCHER_ID)
      .signal(lifecycleEventsWakeSignal);
  } catch {
    // polled anyway
  }
}

export function createPersonIndexActivities(
  store: LifecycleStore | undefined,
  events?: LifecycleEventsConfig,
) {
  return {
    /**
     * Idempotent: the same write again answers `stale` and records no milestone twice. Without a store
     * (tests that need none) it writes nothing and says so.
     */
    async recordPersonStage(write: PersonStageWrite): Promise<PersonStageWriteResult> {
      if (!store) return 'no-store';
      const result = await writePersonStage(store.people, write, events);
      // Milestones with subscribers queued events: the dispatcher delivers them now, not at its next poll.
      if (write.milestones.length > 0 && (events?.subscribers.length ?? 0) > 0) await wakeEventDispatcher();
      return result;
    },
  };
}

export type PersonIndexActivities = ReturnType<typeof createPersonIndexActivities>;
