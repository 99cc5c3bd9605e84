/** Hands one of Staffbase's events to the user's `staffbaseEvent` run, starting it if none is open. */
import { type Client } from '@temporalio/client';
import { taskQueues } from '../lifecycle/task-queues';
import { STAFFBASE_EVENT_REREAD_WINDOW_MS, staffbaseEventWorkflowId } from '../staffbase/events';
import type { staffbaseEvent } from '../workflows/staffbase-event';
import { staffbaseEventSignal } from '../workflows/staffbase-event-messages';

export interface StaffbaseEventForRun {
  userId: string;
  type: string;
  /** The event's own id, when it has one: the run ignores a second event with the same id. */
  eventId?: string;
}

export async function signalStaffbaseEventRun(client: Client, event: StaffbaseEventForRun): Promise<void> {
  await client.workflow.signalWithStart<typeof staffbaseEvent, [{ type: string; eventId?: string }]>(
    'staffbaseEvent',
    {
      workflowId: staffbaseEventWorkflowId(event.userId),
      taskQueue: taskQueues.lifecycle,
      args: [{ userId: event.userId, rereadWindowMs: STAFFBASE_EVENT_REREAD_WINDOW_MS }],
      signal: staffbaseEventSignal,
      signalArgs: [{ type: event.type, ...(event.eventId !== undefined && { eventId: event.eventId }) }],
    },
  );
}
