/**
 * `staffbase-lifecycle store rebuild` (docs/store.md): recomputes the person index from Temporal, the
 * source of truth of the runs, for disaster recovery. Every onboarding and offboarding run in
 * visibility, oldest first, is written through the same upsert the runs use (writePersonStage):
 * - an open run answers the `personIndex` query with the row it would write now, at the sequence of
 *   its last write, so the rebuilt row is the live one (a run too new to answer: its input, stage from
 *   the LifecycleStage search attribute, sequence 0);
 * - a closed run's row comes from its start input and its result, at a sequence above any live write
 *   (nothing follows a closed run);
 * - a run continued as new is skipped: its successor carries it on.
 * Names come from the runs' inputs, decoded with this client's payload codec (as `searchRuns` does); an
 * offboarding carries none and keeps those of the person's onboarding, written before it.
 * Milestones: a run with none in the store gets `started` (its start) and, once closed, its result (its
 * close); the ones in between are known only to the live index.
 */
import { type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import { writePersonStage } from '../activities/person-index-activities';
import type { PersonStageWrite } from '../lifecycle/person-index-write';
import { lifecycleStageSearchAttribute } from '../lifecycle/search-attributes';
import type { PersonIndex } from '../store';
import type { OffboardingInput } from '../workflows/offboarding';
import type { OffboardingOutcome } from '../workflows/offboarding-messages';
import type { OnboardingInput } from '../workflows/onboarding';
import type { OnboardingOutcome } from '../workflows/onboarding-messages';
import { personIndexQuery } from '../workflows/person-index-messages';

/** A closed run's position: above any sequence a run writes, so it replaces that run's last live write. */
export const CLOSED_RUN_SEQUENCE = 2_000_000_000;

/** How many runs' state is read from Temporal at once. */
const READS_IN_FLIGHT = 8;

export interface RebuildReport {
  /** Runs written (open and closed). */
  runs: number;
  /** Of those, the writes that changed a row; the others found it as new or newer (`stale`). */
  applied: number;
  /** Runs continued as new (their successor carries them on). */
  skipped: number;
  /** People in the index after the rebuild wrote them. */
  people: number;
}

type Lifecycle = PersonStageWrite['lifecycle'];
type LifecycleInput = Partial<OnboardingInput & OffboardingInput>;
interface RunWrite {
  write: PersonStageWrite;
  milestones: { kind: string; at: string }[];
}

const rebuildQuery = `WorkflowType IN ('onboarding', 'offboarding')`;

/** The run's start input, decoded with the client's payload codec. */
async function startInput(client: Client, run: WorkflowExecutionInfo): Promise<LifecycleInput> {
  const response = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId: run.workflowId, runId: run.runId },
    maximumPageSize: 1,
  });
  const payloads = response.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads;
  if (!payloads) throw new Error(`run ${run.workflowId}/${run.runId}: no start input in its history`);
  return (
    (await decodeFromPayloadsAtIndex<LifecycleInput>(client.options.loadedDataConverter, 0, payloads)) ?? {}
  );
}

function fromInput(run: WorkflowExecutionInfo, lifecycle: Lifecycle, input: LifecycleInput) {
  const request = input.request ?? { externalID: '' };
  const names =
    lifecycle === 'onboarding' && 'firstName' in request
      ? { firstName: request.firstName, lastName: request.lastName, email: request.email }
      : {};
  return {
    lifecycle,
    externalID: request.externalID,
    ...names,
    ...('startDate' in request && request.startDate !== undefined && { startDate: request.startDate }),
    ...('lastWorkingDay' in request &&
      request.lastWorkingDay !== undefined && { lastWorkingDay: request.lastWorkingDay }),
    runId: run.runId,
    runStartedAt: run.startTime.toISOString(),
  };
}

async function openRunWrite(
  client: Client,
  run: WorkflowExecutionInfo,
  lifecycle: Lifecycle,
  input: LifecycleInput,
): Promise<PersonStageWrite> {
  try {
    return await client.workflow.getHandle(run.workflowId, run.runId).query(personIndexQuery);
  } catch {
    // A run no worker has picked up yet cannot answer: what its input and search attribute say.
    return {
      ...fromInput(run, lifecycle, input),
      stage: run.typedSearchAttributes.get(lifecycleStageSearchAttribute) ?? 'scheduled',
      sequence: 0,
      open: true,
      at: run.startTime.toISOString(),
      milestones: [],
    };
  }
}

async function closedRunWrite(
  client: Client,
  run: WorkflowExecutionInfo,
  lifecycle: Lifecycle,
  input: LifecycleInput,
): Promise<PersonStageWrite> {
  const closedAt = (run.closeTime ?? run.startTime).toISOString();
  let outcome: string;
  if (run.status.name === 'COMPLETED') {
    const result = (await client.workflow
      .getHandle(run.workflowId, run.runId, { followRuns: false })
      .result()) as OnboardingOutcome | OffboardingOutcome;
    outcome = result.result;
  } else {
    outcome = run.status.name.toLowerCase().replace(/_/g, '-'); // failed, terminated, cancelled, timed-out
  }
  return {
    ...fromInput(run, lifecycle, input),
    stage: 'completed',
    outcome,
    sequence: CLOSED_RUN_SEQUENCE,
    open: false,
    at: closedAt,
    milestones: [],
  };
}

async function runWrite(client: Client, run: WorkflowExecutionInfo): Promise<RunWrite> {
  const lifecycle = run.type as Lifecycle;
  const input = await startInput(client, run);
  const open = run.status.name === 'RUNNING';
  const write = open
    ? await openRunWrite(client, run, lifecycle, input)
    : await closedRunWrite(client, run, lifecycle, input);
  const milestones: RunWrite['milestones'] = [];
  if (!input.carryOver) milestones.push({ kind: 'started', at: run.startTime.toISOString() });
  if (!open && write.outcome) milestones.push({ kind: write.outcome, at: write.at });
  return { write: { ...write, milestones: [] }, milestones };
}

/** Recomputes the index into `people` from every onboarding and offboarding run in Temporal. Idempotent. */
export async function rebuildPersonIndex(client: Client, people: PersonIndex): Promise<RebuildReport> {
  const runs: WorkflowExecutionInfo[] = [];
  let skipped = 0;
  for await (const run of client.workflow.list({ query: rebuildQuery, pageSize: 1000 })) {
    if (run.status.name === 'CONTINUED_AS_NEW') skipped += 1;
    else runs.push(run);
  }
  // Oldest first: an offboarding finds the names its person's onboarding wrote.
  runs.sort((a, b) => a.startTime.getTime() - b.startTime.getTime() || a.runId.localeCompare(b.runId));
  const report: RebuildReport = { runs: 0, applied: 0, skipped, people: 0 };
  const externalIDs = new Set<string>();
  for (let i = 0; i < runs.length; i += READS_IN_FLIGHT) {
    const batch = await Promise.all(runs.slice(i, i + READS_IN_FLIGHT).map((run) => runWrite(client, run)));
    for (const { write, milestones } of batch) {
      if ((await writePersonStage(people, write)) === 'applied') report.applied += 1;
      const recorded = (await people.milestones(write.externalID)).some((kept) => kept.runId === write.runId);
      if (!recorded) {
        for (const milestone of milestones) {
          await people.recordMilestone({ externalID: write.externalID, runId: write.runId, ...milestone });
        }
      }
      externalIDs.add(write.externalID);
      report.runs += 1;
    }
  }
  report.people = externalIDs.size;
  return report;
}
