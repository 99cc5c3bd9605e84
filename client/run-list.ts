/** Runs by lifecycle and stage, through Temporal visibility and the project's search attributes. */
import { type Client } from '@temporalio/client';
import { externalIdSearchAttribute, lifecycleStageSearchAttribute } from '../lifecycle/search-attributes';
import { type Lifecycle } from '../lifecycle/workflow-ids';

export interface RunSummary {
  lifecycle: string;
  externalID?: string;
  stage?: string;
  workflowId: string;
  runStatus: string;
  startTime: string;
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
