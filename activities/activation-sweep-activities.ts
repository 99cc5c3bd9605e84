/**
 * The activation sweep's two activities: which onboardings wait for an activation (Temporal
 * visibility, on the workflow queue, off the Staffbase budget), and which of a batch of them are
 * activated now (one `GET /users` per attempt, up to a page of externalIDs at a time).
 */
import { Context } from '@temporalio/activity';
import { DEFAULT_PAGE_SIZE, isSameExternalId } from '../staffbase/api-choices';
import type { StaffbaseClient } from '../staffbase/client';
import { externalIdEquals } from '../staffbase/filters';
import { withRetryDecisions } from './activity-failures';
import { lifecycleWorkflowId } from '../lifecycle/workflow-ids';

/** The visibility query: onboardings in the stage where only an activation moves them on. */
export const waitingOnboardingsQuery = "WorkflowType='onboarding' AND LifecycleStage='awaiting-activation'";

export interface WaitingOnboardingsPage {
  externalIDs: string[];
  /** base64 of Temporal's page token; absent on the last page. */
  nextPageToken?: string;
}

/**
 * The most externalIDs one list request asks about: every one matches at most one activated user
 * (externalIDs are unique), so the answer fits one page of Staffbase's default size.
 */
export const MAX_EXTERNAL_IDS_PER_REQUEST = DEFAULT_PAGE_SIZE;

const onboardingIdPrefix = lifecycleWorkflowId('onboarding', '');

/**
 * Any of these externalIDs: `externalId eq "a" or externalId eq "b" …`, a documented `or` of the
 * `eq` look-ups the client already uses (the reference has no `in`). The client's `and()` wraps it
 * in parentheses before adding the status condition.
 */
export function externalIdAnyOf(externalIDs: readonly string[]): string {
  if (externalIDs.length === 0) throw new TypeError('externalIdAnyOf needs at least one externalID');
  return [...new Set(externalIDs)].map(externalIdEquals).join(' or ');
}

export function createActivationSweepActivities(staffbase: StaffbaseClient) {
  return {
    /** One page of running onboardings in `awaiting-activation`, by externalID. */
    async findWaitingOnboardings(input: {
      pageSize: number;
      pageToken?: string;
    }): Promise<WaitingOnboardingsPage> {
      const { client } = Context.current();
      const page = await client.workflowService.listWorkflowExecutions({
        namespace: client.options.namespace,
        query: `${waitingOnboardingsQuery} AND ExecutionStatus='Running'`,
        pageSize: input.pageSize,
        ...(input.pageToken && { nextPageToken: Buffer.from(input.pageToken, 'base64') }),
      });
      const externalIDs = (page.executions ?? [])
        .map((run) => run.execution?.workflowId ?? '')
        .filter((id) => id.startsWith(onboardingIdPrefix))
        .map((id) => id.slice(onboardingIdPrefix.length));
      const token = page.nextPageToken?.length
        ? Buffer.from(page.nextPageToken).toString('base64')
        : undefined;
      return { externalIDs: [...new Set(externalIDs)], ...(token && { nextPageToken: token }) };
    },

    /** Which of these externalIDs belong to an activated account: one request for all of them. */
    async findActivatedAmong(externalIDs: string[]): Promise<string[]> {
      if (externalIDs.length === 0) return [];
      if (externalIDs.length > MAX_EXTERNAL_IDS_PER_REQUEST) {
        throw new TypeError(`at most ${MAX_EXTERNAL_IDS_PER_REQUEST} externalIDs per request`);
      }
      return withRetryDecisions(async () => {
        const page = await staffbase.listUsersPage({
          filter: externalIdAnyOf(externalIDs),
          statuses: ['activated'],
          offset: 0,
          limit: MAX_EXTERNAL_IDS_PER_REQUEST,
        });
        // Exact comparison: a server that loosened the filter must not activate somebody else's run.
        return externalIDs.filter((wanted) =>
          page.users.some((user) => user.status === 'activated' && isSameExternalId(user.externalID, wanted)),
        );
      });
    },
  };
}

export type ActivationSweepActivities = ReturnType<typeof createActivationSweepActivities>;
