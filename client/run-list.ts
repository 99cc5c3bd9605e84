/** Runs by lifecycle and stage, through Temporal visibility and the project's search attributes. */
import { type Client } from '@temporalio/client';
import { externalIdSearchAttribute, lifecycleStageSearchAttribute } from '../lifecycle/search-attributes';
import { type Lifecycle, lifecycleWorkflowId } from '../lifecycle/workflow-ids';
import { onboardingName } from './person-state';

export interface RunSummary {
  lifecycle: string;
  externalID?: string;
  stage?: string;
  workflowId: string;
  runStatus: string;
  startTime: string;
  /** With a search (`searchRuns`): the person's name, when this client could decode it. */
  name?: string;
}

export interface ListRunsFilter {
  lifecycle?: Lifecycle;
  stage?: string;
  /** Only open (running) runs; default true. */
  openOnly?: boolean;
  limit?: number;
}

const quote = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The visibility query for `listRuns`; the same text works in the Temporal UI's search box. */
export function listRunsQuery(filter: ListRunsFilter): string {
  const conditions = [
    filter.lifecycle
      ? `WorkflowType = ${quote(filter.lifecycle)}`
      : `WorkflowType IN ('onboarding', 'offboarding')`,
  ];
  if (filter.stage) conditions.push(`${lifecycleStageSearchAttribute.name} = ${quote(filter.stage)}`);
  if (filter.openOnly ?? true) conditions.push(`ExecutionStatus = 'Running'`);
  return conditions.join(' AND ');
}

/** Runs by lifecycle and stage, through Temporal visibility and the custom search attributes. */
export async function listRuns(client: Client, filter: ListRunsFilter = {}): Promise<RunSummary[]> {
  const limit = filter.limit ?? 100;
  const runs: RunSummary[] = [];
  for await (const execution of client.workflow.list({
    query: listRunsQuery(filter),
    pageSize: Math.min(limit, 1000),
  })) {
    runs.push({
      lifecycle: execution.type,
      externalID: execution.typedSearchAttributes.get(externalIdSearchAttribute),
      stage: execution.typedSearchAttributes.get(lifecycleStageSearchAttribute),
      workflowId: execution.workflowId,
      runStatus: execution.status.name,
      startTime: execution.startTime.toISOString(),
    });
    if (runs.length >= limit) break;
  }
  return runs;
}

/** How many onboarding inputs `searchRuns` decodes at once. */
const NAME_READS_IN_FLIGHT = 8;

/**
 * The runs whose externalID or person's name contains `text` (case-insensitive), each with the name
 * where it could be read. Names are ciphertext in Temporal: they come from the start input of each
 * person's onboarding (the latest run of `onboarding-<externalID>`, also for their offboarding),
 * decoded with this client's payload codec, one history read per person whose externalID does not
 * match already; without the key only externalIDs match.
 */
export async function searchRuns(client: Client, runs: RunSummary[], text: string): Promise<RunSummary[]> {
  const needle = text.trim().toLowerCase();
  if (!needle) return runs;
  const people = [...new Set(runs.flatMap((run) => (run.externalID ? [run.externalID] : [])))];
  const names = new Map<string, string>();
  for (let i = 0; i < people.length; i += NAME_READS_IN_FLIGHT) {
    await Promise.all(
      people.slice(i, i + NAME_READS_IN_FLIGHT).map(async (externalID) => {
        if (externalID.toLowerCase().includes(needle)) return;
        const name = await onboardingName(client, lifecycleWorkflowId('onboarding', externalID), '');
        if (name) names.set(externalID, name);
      }),
    );
  }
  return runs.flatMap((run) => {
    const externalID = run.externalID ?? '';
    const name = names.get(externalID);
    if (externalID.toLowerCase().includes(needle)) return [run];
    return name?.toLowerCase().includes(needle) ? [{ ...run, name }] : [];
  });
}
