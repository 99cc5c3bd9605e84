/**
 * The activation sweep's two activities: which onboardings wait for an activation (Temporal
 * visibility, on the workflow queue, off the Staffbase budget), and which of a batch of them are
 * activated now (one `GET /users` per attempt, up to a page of externalIDs at a time). On a tenant that
 * refuses the batch's `or` (400), the sweep looks each person up on their own (`isActivated`, one
 * request per attempt), and says so: a warning and `staffbase_lifecycle_activation_sweep_or_refused`.
 */
import { Context, log } from '@temporalio/activity';
import { DEFAULT_PAGE_SIZE, isSameExternalId } from '../staffbase/api-choices';
import type { StaffbaseClient } from '../staffbase/client';
import { StaffbaseUnmanagedUserError, StaffbaseValidationError, loggableMessage } from '../staffbase/errors';
import { externalIdEquals } from '../staffbase/filters';
import { withRetryDecisions } from './activity-failures';
import { countInActivity, lifecycleCounters } from './lifecycle-metrics';
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

/** Which of a batch are activated, or: the tenant refused the batch's `or` filter. */
export type ActivatedAmongAnswer = { result: 'activated'; externalIDs: string[] } | { result: 'or-refused' };

function assertBatch(externalIDs: readonly string[]): void {
  if (externalIDs.length > MAX_EXTERNAL_IDS_PER_REQUEST) {
    throw new TypeError(`at most ${MAX_EXTERNAL_IDS_PER_REQUEST} externalIDs per request`);
  }
}

export function createActivationSweepActivities(staffbase: StaffbaseClient) {
  /** The one list request for a batch; exact comparison, so a loosened filter activates nobody else's run. */
  const activatedAmong = async (externalIDs: string[]): Promise<string[]> => {
    const page = await staffbase.listUsersPage({
      filter: externalIdAnyOf(externalIDs),
      statuses: ['activated'],
      offset: 0,
      limit: MAX_EXTERNAL_IDS_PER_REQUEST,
    });
    return externalIDs.filter((wanted) =>
      page.users.some((user) => user.status === 'activated' && isSameExternalId(user.externalID, wanted)),
    );
  };

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

    /**
     * Which of these externalIDs belong to an activated account: one request for all of them. Runs
     * recorded before `activation-sweep-or-fallback` schedule it; newer ones `checkActivatedAmong`.
     */
    async findActivatedAmong(externalIDs: string[]): Promise<string[]> {
      if (externalIDs.length === 0) return [];
      assertBatch(externalIDs);
      return withRetryDecisions(() => activatedAmong(externalIDs));
    },

    /**
     * As `findActivatedAmong` (one request), except that a 400 to a batch of two or more (its filter
     * has an `or`) is the answer `or-refused`, logged and counted: the sweep then asks per person.
     * A 400 to a single externalID (no `or`) stays an error: that is not about `or`.
     */
    async checkActivatedAmong(externalIDs: string[]): Promise<ActivatedAmongAnswer> {
      if (externalIDs.length === 0) return { result: 'activated', externalIDs: [] };
      assertBatch(externalIDs);
      return withRetryDecisions(async () => {
        try {
          return { result: 'activated', externalIDs: await activatedAmong(externalIDs) };
        } catch (error) {
          const distinct = new Set(externalIDs).size;
          if (!(error instanceof StaffbaseValidationError) || error.status !== 400 || distinct < 2)
            throw error;
          log.warn(
            'the tenant refused the activation sweep filter `externalId eq … or …` (HTTP 400): this sweep ' +
              'looks each waiting person up on their own (one request each)',
            { batch: distinct, refusal: loggableMessage(error) },
          );
          countInActivity(lifecycleCounters.activationSweepOrRefused, {});
          return { result: 'or-refused' };
        }
      });
    },

    /**
     * Whether the account with exactly this externalID is activated: the sweep's look-up per person
     * where `or` is refused (one request per attempt; the client decides filter or path look-up).
     */
    async isActivated(externalID: string): Promise<boolean> {
      return withRetryDecisions(async () => {
        try {
          return (await staffbase.findUserByExternalId(externalID))?.status === 'activated';
        } catch (error) {
          // A contact (or another status we do not manage) with this externalID: not an activation.
          if (error instanceof StaffbaseUnmanagedUserError) return false;
          throw error;
        }
      });
    },
  };
}

export type ActivationSweepActivities = ReturnType<typeof createActivationSweepActivities>;
