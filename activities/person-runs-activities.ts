/**
 * Which open lifecycle runs hold a person's account, for a clean-up before it deletes the account.
 * Temporal only (the worker's own client): it runs on the workflow queue, never spending the
 * rate-limited Staffbase budget.
 */
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import {
  type OpenPersonRun,
  type PersonHold,
  cleanupSkipOf,
  openRunsOfPersonQuery,
} from '../lifecycle/cleanup-holds';
import { legalHoldSearchAttribute } from '../lifecycle/search-attributes';
import { type PersonLifecycle, lifecycleWorkflowId } from '../lifecycle/workflow-ids';

/** More open runs of one person than this would be a bug elsewhere; the first ones decide. */
const maxListedRuns = 20;

/** The person's open runs as visibility lists them (runs of any lifecycle that carry the externalID). */
async function listedOpenRuns(externalID: string): Promise<OpenPersonRun[]> {
  const runs: OpenPersonRun[] = [];
  const listing = Context.current().client.workflow.list({
    query: openRunsOfPersonQuery(externalID),
    pageSize: maxListedRuns,
  });
  for await (const execution of listing) {
    runs.push({
      workflowType: execution.type,
      workflowId: execution.workflowId,
      legalHold: execution.typedSearchAttributes.get(legalHoldSearchAttribute) === true,
    });
    if (runs.length >= maxListedRuns) break;
  }
  return runs;
}

/**
 * The person's own lifecycle run by its workflow ID, when open. A describe reads the run's current
 * state, so a hold placed a moment ago counts even before visibility has indexed it.
 */
async function describedOpenRun(
  lifecycle: PersonLifecycle,
  externalID: string,
): Promise<OpenPersonRun | undefined> {
  try {
    const run = await Context.current()
      .client.workflow.getHandle(lifecycleWorkflowId(lifecycle, externalID))
      .describe();
    if (run.status.name !== 'RUNNING') return undefined;
    return {
      workflowType: run.type,
      workflowId: run.workflowId,
      legalHold: run.typedSearchAttributes.get(legalHoldSearchAttribute) === true,
    };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}

export function createPersonRunsActivities() {
  return {
    /**
     * Whether an open run of the person holds their account (a legal hold, an offboarding in
     * retention, an open onboarding, a leave), and which. Read-only, so a retry is harmless.
     */
    async findCleanupHold(externalID: string): Promise<PersonHold | undefined> {
      const [listed, offboarding, onboarding, leave] = await Promise.all([
        listedOpenRuns(externalID),
        describedOpenRun('offboarding', externalID),
        describedOpenRun('onboarding', externalID),
        describedOpenRun('leave', externalID),
      ]);
      const described = [offboarding, onboarding, leave].filter(
        (run): run is OpenPersonRun => run !== undefined,
      );
      return cleanupSkipOf([...described, ...listed]);
    },
  };
}

export type PersonRunsActivities = ReturnType<typeof createPersonRunsActivities>;
