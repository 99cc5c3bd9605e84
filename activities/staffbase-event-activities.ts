/**
 * The activities of a Staffbase event's run (workflows/staffbase-event.ts): the re-read of the user
 * the event named (one `GET /users/{id}` per attempt, on the Staffbase queue), and which of the person's
 * runs wait on the account, by externalID or, for a deleted account, by its Staffbase id (Temporal
 * only, on the workflow queue).
 */
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { StaffbaseClient } from '../staffbase/client';
import { StaffbaseNotFoundError, StaffbaseUnmanagedUserError } from '../staffbase/errors';
import {
  lifecycleStageSearchAttribute,
  staffbaseUserIdSearchAttribute,
} from '../lifecycle/search-attributes';
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

/** More open offboardings of one account than this would be a bug elsewhere; the first ones are told. */
const maxListedOffboardings = 20;

/** Visibility's open offboardings that published this Staffbase user id (patch `staffbase-user-id-attribute`). */
export function openOffboardingsOfUserQuery(staffbaseUserId: string): string {
  const quoted = `'${staffbaseUserId.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return (
    `${staffbaseUserIdSearchAttribute.name} = ${quoted} AND WorkflowType = 'offboarding' ` +
    `AND ExecutionStatus = 'Running'`
  );
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

    /**
     * The workflow IDs of the offboardings in retention whose account has this Staffbase id: a
     * deleted account can no longer be read for its externalID. Visibility finds the runs (the id was
     * published when the account was resolved, long before retention); a describe confirms the
     * current stage, which visibility may not have indexed yet.
     */
    async offboardingsInRetentionOfUser(staffbaseUserId: string): Promise<string[]> {
      const listed: string[] = [];
      const listing = Context.current().client.workflow.list({
        query: openOffboardingsOfUserQuery(staffbaseUserId),
        pageSize: maxListedOffboardings,
      });
      for await (const execution of listing) {
        listed.push(execution.workflowId);
        if (listed.length >= maxListedOffboardings) break;
      }
      const stages = await Promise.all(listed.map((workflowId) => openStage(workflowId)));
      return listed.filter((_, index) => stages[index] === 'retention');
    },
  };
}

export type StaffbaseEventActivities = ReturnType<typeof createStaffbaseEventActivities>;
