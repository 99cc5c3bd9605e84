/**
 * The activities of a Staffbase event's run (workflows/staffbase-event.ts): the re-read of the user
 * the event named (one `GET /users/{id}` per attempt, on the Staffbase queue), and whether the person's
 * onboarding waits for an activation (Temporal only, on the workflow queue).
 */
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { StaffbaseClient } from '../staffbase/client';
import { StaffbaseNotFoundError, StaffbaseUnmanagedUserError } from '../staffbase/errors';
import { lifecycleStageSearchAttribute } from '../lifecycle/search-attributes';
import { lifecycleWorkflowId } from '../lifecycle/workflow-ids';
import { withRetryDecisions } from './activity-failures';

/** What Staffbase says of the user now; no personal data beyond the externalID the runs are keyed by. */
export type UserAfterEvent =
  | { result: 'found'; status: 'pending' | 'activated' | 'deactivated'; externalID: string | null }
  | { result: 'gone' }
  | { result: 'unmanaged' };

export function createStaffbaseEventActivities(staffbase: StaffbaseClient) {
  return {
    async readUserForEvent(userId: string): Promise<UserAfterEvent> {
      return withRetryDecisions(async () => {
        try {
          const user = await staffbase.getUser(userId);
          return { result: 'found', status: user.status, externalID: user.externalID ?? null };
        } catch (error) {
          if (error instanceof StaffbaseNotFoundError) return { result: 'gone' };
          if (error instanceof StaffbaseUnmanagedUserError) return { result: 'unmanaged' };
          throw error;
        }
      });
    },

    /** Whether the person's onboarding is open and in `awaiting-activation` (a describe: current state). */
    async isOnboardingAwaitingActivation(externalID: string): Promise<boolean> {
      try {
        const run = await Context.current()
          .client.workflow.getHandle(lifecycleWorkflowId('onboarding', externalID))
          .describe();
        return (
          run.status.name === 'RUNNING' &&
          run.typedSearchAttributes.get(lifecycleStageSearchAttribute) === 'awaiting-activation'
        );
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return false;
        throw error;
      }
    },
  };
}

export type StaffbaseEventActivities = ReturnType<typeof createStaffbaseEventActivities>;
