/**
 * The activities of a Staffbase event's run (workflows/staffbase-event.ts): the re-read of the user
 * the event named (one `GET /users/{id}` per attempt, on the Staffbase queue), and which of the person's
 * runs wait on the account (Temporal only, on the workflow queue).
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

export interface RunsWaitingOnAccount {
  onboardingAwaitingActivation: boolean;
  offboardingInRetention: boolean;
}

/** The open run's LifecycleStage, or undefined when there is no open run with this ID. */
async function openStage(workflowId: string): Promise<string | undefined> {
  try {
    const run = await Context.current().client.workflow.getHandle(workflowId).describe();
    if (run.status.name !== 'RUNNING') return undefined;
    return run.typedSearchAttributes.get(lifecycleStageSearchAttribute);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}

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

    /**
     * Which of the person's runs an event concerns, by their current stage (a describe reads the run's
     * state, not visibility's lagging copy): an onboarding awaiting activation, an offboarding in retention.
     */
    async runsWaitingOnAccount(externalID: string): Promise<RunsWaitingOnAccount> {
      const [onboarding, offboarding] = await Promise.all([
        openStage(lifecycleWorkflowId('onboarding', externalID)),
        openStage(lifecycleWorkflowId('offboarding', externalID)),
      ]);
      return {
        onboardingAwaitingActivation: onboarding === 'awaiting-activation',
        offboardingInRetention: offboarding === 'retention',
      };
    },
  };
}

export type StaffbaseEventActivities = ReturnType<typeof createStaffbaseEventActivities>;
