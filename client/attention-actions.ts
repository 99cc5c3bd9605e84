import { type Client } from '@temporalio/client';
import {
  type AttentionAnswer,
  type AttentionCode,
  type OnboardingCorrection,
  attentionCodeSchema,
  onboardingCorrectionSchema,
} from '../lifecycle/attention';
import {
  attentionCodeSearchAttribute,
  externalIdSearchAttribute,
  lifecycleStageSearchAttribute,
} from '../lifecycle/search-attributes';
import { type FieldProblem, validate } from '../lifecycle/validation';
import { type Lifecycle, lifecycleWorkflowId } from '../lifecycle/workflow-ids';
import { correctOnboardingUpdate, retryStepUpdate } from '../workflows/attention-messages';
import { rootCauseMessage } from './failure-cause';
import { ActionRefusedError, NoOpenRunError, asOpenRun } from './lifecycle-actions';
import { InvalidLifecycleRequestError } from './lifecycle-runs';
import { lifecycleHandle } from './workflow-runs';

/**
 * Runs waiting in `needs-attention` (issue #14): HR corrects an onboarding's request, an operator
 * retries the waiting step of one person or of every run waiting on one code. Shared by the CLI, the
 * HTTP API and the console (through the API). The workflows refuse both updates with
 * `NotNeedingAttention` when the run does not wait, and answer once the retried step has answered.
 */

export const NEEDS_ATTENTION_STAGE = 'needs-attention';
/** The refusal of a correct/retry update by a run that does not wait in `needs-attention`. */
export const NOT_NEEDING_ATTENTION = 'NotNeedingAttention';

const lifecycles: Lifecycle[] = ['onboarding', 'offboarding'];

/** Checks a correction by the shared schema (the start request's field rules; at least one field). */
export function validateCorrection(
  input: unknown,
): { ok: true; value: OnboardingCorrection } | { ok: false; problems: FieldProblem[] } {
  return validate(onboardingCorrectionSchema, input);
}

/**
 * Corrects the waiting onboarding's request and retries its step at once; answers with what the
 * retry led to. Invalid input throws {@link InvalidLifecycleRequestError} and sends nothing; a run
 * that does not wait is refused ({@link ActionRefusedError}, `NotNeedingAttention`).
 */
export function correctOnboarding(
  client: Client,
  externalID: string,
  correction: unknown,
): Promise<AttentionAnswer> {
  const checked = validateCorrection(correction);
  if (!checked.ok) throw new InvalidLifecycleRequestError('onboarding', checked.problems);
  return asOpenRun('onboarding', externalID, () =>
    lifecycleHandle(client, 'onboarding', externalID).executeUpdate(correctOnboardingUpdate, {
      args: [checked.value],
    }),
  );
}

/** Retries the waiting step of one run unchanged. */
export function retryRun(client: Client, lifecycle: Lifecycle, externalID: string): Promise<AttentionAnswer> {
  return asOpenRun(lifecycle, externalID, () =>
    lifecycleHandle(client, lifecycle, externalID).executeUpdate(retryStepUpdate),
  );
}

export interface RetriedRun {
  lifecycle: Lifecycle;
  externalID: string;
  workflowId: string;
  answer: AttentionAnswer;
}

export interface PersonRetry {
  externalID: string;
  /** Every run of the person that waited, with what its retry led to. */
  retried: RetriedRun[];
}

/** Nothing of this person waits in `needs-attention` (their runs are open but busy, or closed). */
export class NothingWaitsError extends ActionRefusedError {
  constructor(
    readonly externalID: string,
    readonly open: Lifecycle[],
  ) {
    super(
      open.length === 0
        ? `No open onboarding or offboarding run for externalID "${externalID}"`
        : `No run of "${externalID}" waits in needs-attention (open: ${open.join(', ')})`,
      NOT_NEEDING_ATTENTION,
    );
  }
}

/**
 * Retries whichever of the person's runs waits (onboarding, offboarding or both). The runs decide:
 * each open run is asked, and one that does not wait refuses without effect. No open run at all →
 * {@link NoOpenRunError}; open runs of which none waits → {@link NothingWaitsError}.
 */
export async function retryPerson(client: Client, externalID: string): Promise<PersonRetry> {
  const open: Lifecycle[] = [];
  const retried: RetriedRun[] = [];
  for (const lifecycle of lifecycles) {
    try {
      const answer = await retryRun(client, lifecycle, externalID);
      open.push(lifecycle);
      retried.push({ lifecycle, externalID, workflowId: lifecycleWorkflowId(lifecycle, externalID), answer });
    } catch (error) {
      if (error instanceof NoOpenRunError) continue;
      if (error instanceof ActionRefusedError && error.reasonCode === NOT_NEEDING_ATTENTION) {
        open.push(lifecycle);
        continue;
      }
      throw error;
    }
  }
  if (open.length === 0) throw new NoOpenRunError('onboarding', externalID);
  if (retried.length === 0) throw new NothingWaitsError(externalID, open);
  return { externalID, retried };
}

// --- bulk retry -------------------------------------------------------------------------------------

export interface BulkRetryFilter {
  /** Only runs waiting on this code (e.g. `auth` after a token rotation); default every code. */
  code?: AttentionCode;
}

const quote = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The visibility query of the waiting runs; the same text works in the Temporal UI's search box. */
export function waitingRunsQuery(filter: BulkRetryFilter = {}): string {
  const conditions = [
    `WorkflowType IN ('onboarding', 'offboarding')`,
    `ExecutionStatus = 'Running'`,
    `${lifecycleStageSearchAttribute.name} = ${quote(NEEDS_ATTENTION_STAGE)}`,
  ];
  if (filter.code !== undefined) {
    // Checked here too: the code goes into a query string.
    const code = attentionCodeSchema.parse(filter.code);
    conditions.push(`${attentionCodeSearchAttribute.name} = ${quote(code)}`);
  }
  return conditions.join(' AND ');
}

export interface WaitingRun {
  lifecycle: Lifecycle;
  externalID: string;
  workflowId: string;
  code?: string;
}

/** Every run waiting in `needs-attention` (by the filter), through Temporal visibility. */
export async function listWaitingRuns(
  client: Client,
  filter: BulkRetryFilter = {},
  limit = 10_000,
): Promise<WaitingRun[]> {
  const runs: WaitingRun[] = [];
  for await (const execution of client.workflow.list({
    query: waitingRunsQuery(filter),
    pageSize: Math.min(limit, 1000),
  })) {
    const lifecycle = execution.type as Lifecycle;
    const externalID =
      execution.typedSearchAttributes.get(externalIdSearchAttribute) ??
      execution.workflowId.replace(new RegExp(`^${lifecycle}-`), '');
    const code = execution.typedSearchAttributes.get(attentionCodeSearchAttribute);
    runs.push({ lifecycle, externalID, workflowId: execution.workflowId, ...(code && { code }) });
    if (runs.length >= limit) break;
  }
  return runs;
}

/**
 * One run's result in a bulk retry: `resolved` (the step went through), `still-needs-attention`
 * (refused again; `attention` says why), `not-waiting` (it stopped waiting since it was listed, e.g.
 * corrected meanwhile, or closed) or `failed` (the retry itself failed: `error`).
 */
export type BulkRetryResult = 'resolved' | 'still-needs-attention' | 'not-waiting' | 'failed' | 'would-retry';

export interface BulkRetryItem extends WaitingRun {
  result: BulkRetryResult;
  answer?: AttentionAnswer;
  error?: string;
}

export interface BulkRetrySummary {
  query: string;
  dryRun: boolean;
  found: number;
  resolved: number;
  stillWaiting: number;
  notWaiting: number;
  failed: number;
  runs: BulkRetryItem[];
}

export interface BulkRetryOptions extends BulkRetryFilter {
  /** List what would be retried; retry nothing. */
  dryRun?: boolean;
  /** Retries in flight at once (each waits for its step's Staffbase call); default 4. */
  concurrency?: number;
  /** Called after each run's retry answered (or failed): for a progress bar. */
  onProgress?: (item: BulkRetryItem, done: number, total: number) => void;
  /** Called once the waiting runs are listed, before any retry. */
  onListed?: (runs: WaitingRun[]) => void;
  /** At most this many runs (default 10,000). */
  limit?: number;
}

/** Retries one listed run; never throws (a failure is the item's result). */
async function retryOne(client: Client, run: WaitingRun): Promise<BulkRetryItem> {
  try {
    const answer = await retryRun(client, run.lifecycle, run.externalID);
    const result: BulkRetryResult =
      answer.result === 'resolved'
        ? 'resolved'
        : // The run stopped waiting meanwhile (cancelled, expired) and retried nothing.
          (answer.result as string) === 'run-ended'
          ? 'not-waiting'
          : 'still-needs-attention';
    return { ...run, result, answer };
  } catch (error) {
    if (
      error instanceof NoOpenRunError ||
      (error instanceof ActionRefusedError && error.reasonCode === NOT_NEEDING_ATTENTION)
    ) {
      return { ...run, result: 'not-waiting' };
    }
    return { ...run, result: 'failed', error: rootCauseMessage(error) };
  }
}

/**
 * Finds every run waiting in `needs-attention` (optionally on one code) and retries each, a few at a
 * time; e.g. after a token rotation, `code: 'auth'` resumes every run parked on 401/403.
 */
export async function retryAllWaiting(
  client: Client,
  options: BulkRetryOptions = {},
): Promise<BulkRetrySummary> {
  const filter = options.code !== undefined ? { code: options.code } : {};
  const query = waitingRunsQuery(filter);
  const waiting = await listWaitingRuns(client, filter, options.limit);
  options.onListed?.(waiting);
  const dryRun = options.dryRun === true;
  const items: BulkRetryItem[] = new Array<BulkRetryItem>(waiting.length);
  if (dryRun) {
    waiting.forEach((run, index) => (items[index] = { ...run, result: 'would-retry' }));
  } else {
    let next = 0;
    let done = 0;
    const worker = async () => {
      for (let index = next++; index < waiting.length; index = next++) {
        const item = await retryOne(client, waiting[index] as WaitingRun);
        items[index] = item;
        done += 1;
        options.onProgress?.(item, done, waiting.length);
      }
    };
    const concurrency = Math.max(1, Math.min(options.concurrency ?? 4, 32));
    await Promise.all(Array.from({ length: Math.min(concurrency, waiting.length) }, worker));
  }
  const count = (result: BulkRetryResult) => items.filter((item) => item.result === result).length;
  return {
    query,
    dryRun,
    found: waiting.length,
    resolved: count('resolved'),
    stillWaiting: count('still-needs-attention'),
    notWaiting: count('not-waiting'),
    failed: count('failed'),
    runs: items,
  };
}
