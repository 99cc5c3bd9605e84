/**
 * Staffbase's events about one user (`staffbase-event-<userId>`, started or signalled by the HR API's
 * `POST /v1/staffbase/events`): an event is a hint only, so the run re-reads the user through the
 * Staffbase queue (bulk lane, one request per attempt) and acts as the activation sweep would: an
 * onboarding waiting for this account's activation is signalled `activated`; an offboarding in
 * retention re-checks its account at once (a deleted account's offboarding is found by its Staffbase
 * id). Nothing is ever changed in Staffbase because of an event.
 *
 * At most one re-read per window (60 s): the run stays open for the window after each re-read, and
 * events arriving meanwhile only ask for one more re-read when it ends. A duplicate (same event id) is
 * ignored; a reordered one only causes a re-read, which reads the current state anyway.
 */
import {
  condition,
  getExternalWorkflowHandle,
  log,
  proxyActivities,
  setHandler,
  sleep,
} from '@temporalio/workflow';
import type { StaffbaseEventActivities } from '../activities/staffbase-event-activities';
import { priorityLanes } from '../lifecycle/priority-lanes';
import { taskQueues } from '../lifecycle/task-queues';
import { lifecycleWorkflowId } from '../lifecycle/workflow-ids';
import { staffbaseActivityOptions } from './activity-options';
import { offboardingAccountRecheckSignal } from './offboarding-messages';
import { onboardingActivatedSignal } from './onboarding-messages';
import {
  type StaffbaseEventStatus,
  staffbaseEventSignal,
  staffbaseEventStatusQuery,
} from './staffbase-event-messages';

export interface StaffbaseEventInput {
  /** The Staffbase user id the event named (not the externalID). */
  userId: string;
  /** At most one re-read per this many milliseconds. */
  rereadWindowMs: number;
}

/** Event ids remembered for duplicate detection; older ones can only cause a harmless extra re-read. */
const rememberedEventIds = 100;

const staffbase = proxyActivities<Pick<StaffbaseEventActivities, 'readUserForEvent'>>({
  ...staffbaseActivityOptions,
  taskQueue: taskQueues.staffbaseApi,
  priority: { priorityKey: priorityLanes.bulk },
});

// Temporal only: on the workflow queue, off the Staffbase budget.
const temporal = proxyActivities<
  Pick<StaffbaseEventActivities, 'runsWaitingOnAccount' | 'offboardingsInRetentionOfUser'>
>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export async function staffbaseEvent(input: StaffbaseEventInput): Promise<StaffbaseEventStatus> {
  const status: StaffbaseEventStatus = {
    events: 0,
    rereads: 0,
    rereadPending: false,
    onboardingsSignalled: 0,
    offboardingsRechecked: 0,
  };
  const seen: string[] = [];
  setHandler(staffbaseEventSignal, ({ eventId }) => {
    if (eventId !== undefined) {
      if (seen.includes(eventId)) return;
      seen.push(eventId);
      if (seen.length > rememberedEventIds) seen.shift();
    }
    status.events += 1;
    status.rereadPending = true;
  });
  setHandler(staffbaseEventStatusQuery, () => ({ ...status }));
  // The event that started the run arrives with the start; a run started without one re-reads anyway.
  await condition(() => status.rereadPending, input.rereadWindowMs);
  do {
    status.rereadPending = false;
    status.rereads += 1;
    await actOnCurrentState(input.userId, status);
    await sleep(input.rereadWindowMs);
  } while (status.rereadPending);
  return status;
}

/**
 * What a sweep would do with what Staffbase says now: an activated account's waiting onboarding is
 * signalled `activated`; an offboarding in retention is told to re-check its account (it decides,
 * and only ever to keep the account or, confirmed deleted by hand, to end as already gone). A gone
 * account has no externalID to read: its offboardings in retention are found by the Staffbase id
 * they published (search attribute `StaffbaseUserId`).
 */
async function actOnCurrentState(userId: string, status: StaffbaseEventStatus): Promise<void> {
  const account = await staffbase.readUserForEvent(userId);
  if (account.result === 'gone') {
    for (const workflowId of await temporal.offboardingsInRetentionOfUser(userId)) {
      const told = await tell(workflowId, () =>
        getExternalWorkflowHandle(workflowId).signal(offboardingAccountRecheckSignal, {
          source: 'staffbase-event',
        }),
      );
      if (told) status.offboardingsRechecked += 1;
    }
    return;
  }
  if (account.result !== 'found' || !account.externalID) return;
  const externalID = account.externalID;
  const runs = await temporal.runsWaitingOnAccount(externalID);
  if (account.status === 'activated' && runs.onboardingAwaitingActivation) {
    const told = await tell(lifecycleWorkflowId('onboarding', externalID), () =>
      getExternalWorkflowHandle(lifecycleWorkflowId('onboarding', externalID)).signal(
        onboardingActivatedSignal,
        { source: 'staffbase-event' },
      ),
    );
    if (told) status.onboardingsSignalled += 1;
  }
  if (runs.offboardingInRetention) {
    const told = await tell(lifecycleWorkflowId('offboarding', externalID), () =>
      getExternalWorkflowHandle(lifecycleWorkflowId('offboarding', externalID)).signal(
        offboardingAccountRecheckSignal,
        { source: 'staffbase-event' },
      ),
    );
    if (told) status.offboardingsRechecked += 1;
  }
}

/** Signals a run; one that closed meanwhile needs nothing more. */
async function tell(workflowId: string, signal: () => Promise<void>): Promise<boolean> {
  try {
    await signal();
    return true;
  } catch (error) {
    log.info('Run closed before the Staffbase event reached it', { workflowId, error });
    return false;
  }
}
