/**
 * Which patches still have open runs that lack them (`staffbase-lifecycle patches`). Temporal's SDK
 * core upserts the `TemporalChangeVersion` search attribute (a KeywordList of the run's patch ids)
 * whenever a run records a patch marker, so visibility counts, per workflow type, the open runs and
 * the open runs carrying the id; the difference lacks it. A patch may be deprecated (`deprecatePatch`)
 * only when that difference is 0 for every workflow type of the patch.
 *
 * The count is conservative: an open run that has not reached the `patched()` call yet (or never will
 * on its path, e.g. a continued onboarding past its account step) lacks the marker too, though it
 * would take the new path. `startedBefore` (the deploy time of the patch) leaves out runs started
 * after it, which can only have taken the new path.
 */
import { type Client } from '@temporalio/client';
import { type PatchEntry, patchRegister } from '../workflows/patches';

/** The search attribute the SDK core upserts with every patch marker (Temporal's own, predefined). */
export const changeVersionSearchAttribute = 'TemporalChangeVersion';

export interface PatchCensusWorkflow {
  workflowType: string;
  openRuns: number;
  /** Open runs whose TemporalChangeVersion does not list the patch id. */
  lackingRuns: number;
}

export interface PatchCensusRow {
  id: string;
  workflows: PatchCensusWorkflow[];
  lackingRuns: number;
  /** No open run lacks it: `deprecatePatch` may replace `patched()` (CONTRIBUTING.md). */
  mayDeprecate: boolean;
  origin: string;
  longestRun: string;
}

export interface PatchCensusOptions {
  /** Only runs started before this moment (the patch's deploy): later runs took the new path. */
  startedBefore?: Date;
  /** Only these patch ids (default: all of the register). */
  ids?: readonly string[];
  /** The register (tests pass their own). */
  register?: readonly (Omit<PatchEntry, 'workflows'> & { workflows: readonly string[] })[];
}

const quote = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The visibility query of a workflow type's open runs, optionally only those carrying `patchId`. */
export function openRunsQuery(workflowType: string, startedBefore?: Date, patchId?: string): string {
  const conditions = [`WorkflowType = ${quote(workflowType)}`, `ExecutionStatus = 'Running'`];
  if (startedBefore) conditions.push(`StartTime < ${quote(startedBefore.toISOString())}`);
  if (patchId !== undefined) conditions.push(`${changeVersionSearchAttribute} = ${quote(patchId)}`);
  return conditions.join(' AND ');
}

/** An unknown id is an input error naming it, before any query. */
export class UnknownPatchError extends Error {
  constructor(readonly ids: readonly string[]) {
    super(`Not in the patch register (workflows/patches.ts): ${ids.join(', ')}`);
    this.name = 'UnknownPatchError';
  }
}

/** Per patch of the register: its open runs lacking the marker, per workflow type. */
export async function patchCensus(
  client: Client,
  options: PatchCensusOptions = {},
): Promise<PatchCensusRow[]> {
  const register = options.register ?? patchRegister;
  if (options.ids) {
    const unknown = options.ids.filter((id) => !register.some((entry) => entry.id === id));
    if (unknown.length > 0) throw new UnknownPatchError(unknown);
  }
  const entries = options.ids ? register.filter((entry) => options.ids?.includes(entry.id)) : register;
  const openByType = new Map<string, Promise<number>>();
  const count = async (query: string) => Number((await client.workflow.count(query)).count);
  const openRuns = (workflowType: string) => {
    let open = openByType.get(workflowType);
    if (!open) {
      open = count(openRunsQuery(workflowType, options.startedBefore));
      openByType.set(workflowType, open);
    }
    return open;
  };

  const rows: PatchCensusRow[] = [];
  for (const entry of entries) {
    const workflows = await Promise.all(
      entry.workflows.map(async (workflowType): Promise<PatchCensusWorkflow> => {
        const open = await openRuns(workflowType);
        const carrying =
          open === 0 ? 0 : await count(openRunsQuery(workflowType, options.startedBefore, entry.id));
        // Two counts, not one snapshot: a run closing in between must not make the difference negative.
        return { workflowType, openRuns: open, lackingRuns: Math.max(open - carrying, 0) };
      }),
    );
    const lackingRuns = workflows.reduce((sum, workflow) => sum + workflow.lackingRuns, 0);
    rows.push({
      id: entry.id,
      workflows,
      lackingRuns,
      mayDeprecate: lackingRuns === 0,
      origin: entry.origin,
      longestRun: entry.longestRun,
    });
  }
  return rows;
}
