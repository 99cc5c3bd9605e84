/**
 * Staffbase's events about one user (`staffbase-event-<userId>`, started or signalled by the HR API's
 * `POST /v1/staffbase/events`): an event is a hint only, so the run re-reads the user through the
 * Staffbase queue (bulk lane, one request per attempt) and acts as the activation sweep would: an
 * onboarding waiting for this account's activation is signalled `activated`. Nothing is ever changed
 * in Staffbase because of an event.
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
const temporal = proxyActivities<Pick<StaffbaseEventActivities, 'isOnboardingAwaitingActivation'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export async function staffbaseEvent(input: StaffbaseEventInput): Promise<StaffbaseEventStatus> {
  const status: StaffbaseEventStatus = {
    events: 0,
    rereads: 0,
    rereadPending: false,
    onboardingsSignalled: 0,
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

/** What a sweep would do with what Staffbase says now. */
async function actOnCurrentState(userId: string, status: StaffbaseEventStatus): Promise<void> {
  const account = await staffbase.readUserForEvent(userId);
  if (account.result !== 'found' || account.status !== 'activated' || !account.externalID) return;
  const externalID = account.externalID;
  if (!(await temporal.isOnboardingAwaitingActivation(externalID))) return;
  try {
    await getExternalWorkflowHandle(lifecycleWorkflowId('onboarding', externalID)).signal(
      onboardingActivatedSignal,
      { source: 'staffbase-event' },
    );
    status.onboardingsSignalled += 1;
  } catch (error) {
    log.info('Activated onboarding closed before the event signalled it', { userId, error });
  }
}
