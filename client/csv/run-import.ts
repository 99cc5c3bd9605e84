import { type Client } from '@temporalio/client';
import { type FieldProblem } from '../../lifecycle/validation';
import { type LifecyclePolicies } from '../../config/policies';
import { leavePolicyOf } from '../../lifecycle/leave-request';
import { lifecycleWorkflowId } from '../../lifecycle/workflow-ids';
import { ActionRefusedError } from '../action-errors';
import { rootCauseMessage } from '../failure-cause';
import { refuseWhileOtherRunOpen, startImportedLeave } from '../leave-runs';
import { type StartStatus, startOffboarding, startOnboarding } from '../lifecycle-runs';
import { closedRunFailure } from '../person-state';
import { latestRun, startVerdict } from '../workflow-runs';
import { type ImportLifecycle } from './columns';
import { type ParsedImport, type ValidImportRow } from './parse-import';

/**
 * Runs a parsed import: one start per valid row through the shared starters, so an import is exactly
 * as idempotent as a single `onboard`/`offboard`: a person whose run is open or finished is reported,
 * never started twice. A dry run only looks up what exists and starts nothing. A leave the service
 * refuses (the person has an open onboarding or offboarding) is reported `refused` with the reason.
 */

export type RowResultStatus =
  | 'started'
  | 'already-running'
  | 'already-completed'
  /** Dry run: this row would start a run. */
  | 'would-start'
  | 'rejected'
  /** `--strict` with rejected rows: valid, but not started because the import stopped. */
  | 'skipped'
  /** The service refused the start (see `reason`, e.g. `onboarding-open` for a leave); nothing started. */
  | 'refused'
  /** Temporal refused or failed the start for another reason (see `error`). */
  | 'failed';

export interface RowResult {
  row: number;
  externalID?: string;
  result: RowResultStatus;
  workflowId?: string;
  runId?: string;
  /**
   * How the earlier run closed: for `already-completed`, and for `would-start` when the earlier run did
   * not complete (a failed run may start again).
   */
  closedStatus?: string;
  /** When that earlier run failed (or was terminated, timed out): its innermost cause's message. */
  failure?: string;
  problems?: FieldProblem[];
  error?: string;
  /** For `refused`: the reason code (the message is in `error`). */
  reason?: string;
  /** What the preflight found in Staffbase for this person (`--check-staffbase`). */
  staffbase?: string;
}

export interface ImportSummary {
  started: number;
  alreadyRunning: number;
  alreadyCompleted: number;
  wouldStart: number;
  rejected: number;
  skipped: number;
  refused: number;
  failed: number;
}

/** A row's start as Temporal answered it (the shape of `StartedRun`, for every importable lifecycle). */
export interface ImportStartedRun {
  status: StartStatus;
  lifecycle: ImportLifecycle;
  workflowId: string;
  runId?: string;
  closedStatus?: string;
}

export interface ImportOutcome {
  lifecycle: ImportLifecycle;
  dryRun: boolean;
  strict: boolean;
  rerun: boolean;
  summary: ImportSummary;
  /** Every person row, in file order. */
  rows: RowResult[];
}

export interface RunImportOptions {
  dryRun?: boolean;
  /** Start nothing when any row is rejected. */
  strict?: boolean;
  /** Start again for people whose earlier run completed (rehire); see `StartOptions.rerun`. */
  rerun?: boolean;
  /** Starts in flight at once (default 8). */
  concurrency?: number;
  /** Called after each valid row is handled (for a progress bar). */
  onProgress?: (done: number, total: number) => void;
  /** Called as soon as Temporal answered a row's start (the CLI writes its audit line here). */
  onStarted?: (run: ImportStartedRun, externalID: string) => void;
}

async function startRow(
  client: Client,
  row: ValidImportRow,
  policies: LifecyclePolicies,
  rerun: boolean,
): Promise<ImportStartedRun> {
  switch (row.input.lifecycle) {
    case 'onboarding':
      return startOnboarding(client, row.input.request, policies.onboarding, { rerun, lane: 'bulk' });
    case 'offboarding':
      return startOffboarding(client, row.input.request, policies.offboarding, { rerun, lane: 'bulk' });
    case 'leave':
      return startImportedLeave(client, row.input.request, leavePolicyOf(policies.offboarding), { rerun });
  }
}

/** A leave would be refused while another lifecycle of the person is open: the dry run says so. */
async function previewRefusal(client: Client, row: ValidImportRow): Promise<ActionRefusedError | undefined> {
  if (row.input.lifecycle !== 'leave') return undefined;
  try {
    await refuseWhileOtherRunOpen(client, row.externalID);
    return undefined;
  } catch (error) {
    if (error instanceof ActionRefusedError) return error;
    throw error;
  }
}

const refusedRow = (base: RowResult, refusal: ActionRefusedError): RowResult => ({
  ...base,
  result: 'refused',
  reason: refusal.reasonCode,
  error: refusal.message,
});

/** What a start would do, by the rule the start itself follows (a failed or terminated run may start again). */
async function previewRow(client: Client, row: ValidImportRow, rerun: boolean): Promise<RowResult> {
  const workflowId = lifecycleWorkflowId(row.input.lifecycle, row.externalID);
  const base = { row: row.row, externalID: row.externalID, workflowId };
  const latest = await latestRun(client, workflowId);
  const verdict = startVerdict(latest, rerun ? 'always' : 'unless-completed');
  if (verdict.status !== 'start') {
    const { status, ...run } = verdict;
    return { ...base, ...run, result: status };
  }
  const refusal = await previewRefusal(client, row);
  if (refusal) return refusedRow({ ...base, result: 'refused' }, refusal);
  if (latest === undefined || latest.status.name === 'COMPLETED') return { ...base, result: 'would-start' };
  return {
    ...base,
    result: 'would-start',
    closedStatus: latest.status.name,
    ...(await earlierFailure(client, workflowId)),
  };
}

/** The earlier run's root cause, for a row whose earlier run closed without completing. */
async function earlierFailure(client: Client, workflowId: string): Promise<Pick<RowResult, 'failure'>> {
  const cause = await closedRunFailure(client, workflowId);
  return cause ? { failure: cause.message } : {};
}

export function summarize(rows: RowResult[]): ImportSummary {
  const count = (status: RowResultStatus) => rows.filter((row) => row.result === status).length;
  return {
    started: count('started'),
    alreadyRunning: count('already-running'),
    alreadyCompleted: count('already-completed'),
    wouldStart: count('would-start'),
    rejected: count('rejected'),
    skipped: count('skipped'),
    refused: count('refused'),
    failed: count('failed'),
  };
}

/**
 * Starts (or, in a dry run, previews) every valid row. `client` may be undefined only when nothing
 * needs Temporal (strict mode with rejected rows). A row whose start fails is reported as `failed`;
 * an error that means Temporal is unreachable is rethrown by the caller's check (`isFatal`).
 */
export async function runImport(
  client: Client | undefined,
  parsed: ParsedImport,
  policies: LifecyclePolicies,
  options: RunImportOptions & { isFatal?: (error: unknown) => boolean } = {},
): Promise<ImportOutcome> {
  const dryRun = options.dryRun ?? false;
  const strict = options.strict ?? false;
  const rerun = options.rerun ?? false;
  const results = new Map<number, RowResult>();
  for (const rejected of parsed.rejected) {
    results.set(rejected.row, {
      row: rejected.row,
      ...(rejected.externalID !== undefined && { externalID: rejected.externalID }),
      result: 'rejected',
      problems: rejected.problems,
    });
  }

  if (strict && parsed.rejected.length > 0) {
    for (const row of parsed.valid) {
      results.set(row.row, {
        row: row.row,
        externalID: row.externalID,
        result: 'skipped',
        workflowId: lifecycleWorkflowId(row.input.lifecycle, row.externalID),
      });
    }
  } else if (parsed.valid.length > 0) {
    if (!client) throw new Error('runImport needs a Temporal client to start or preview rows');
    const queue = [...parsed.valid];
    let done = 0;
    const handle = async (row: ValidImportRow): Promise<RowResult> => {
      if (dryRun) return previewRow(client, row, rerun);
      try {
        const started = await startRow(client, row, policies, rerun);
        options.onStarted?.(started, row.externalID);
        return {
          row: row.row,
          externalID: row.externalID,
          result: started.status,
          workflowId: started.workflowId,
          ...(started.runId !== undefined && { runId: started.runId }),
          ...(started.closedStatus !== undefined && { closedStatus: started.closedStatus }),
        };
      } catch (error) {
        if (options.isFatal?.(error)) throw error;
        if (error instanceof ActionRefusedError) {
          const workflowId = lifecycleWorkflowId(row.input.lifecycle, row.externalID);
          return refusedRow(
            { row: row.row, externalID: row.externalID, result: 'refused', workflowId },
            error,
          );
        }
        return {
          row: row.row,
          externalID: row.externalID,
          result: 'failed',
          workflowId: lifecycleWorkflowId(row.input.lifecycle, row.externalID),
          error: rootCauseMessage(error),
        };
      }
    };
    const worker = async (): Promise<void> => {
      for (let row = queue.shift(); row; row = queue.shift()) {
        results.set(row.row, await handle(row));
        done += 1;
        options.onProgress?.(done, parsed.valid.length);
      }
    };
    const concurrency = Math.max(1, Math.min(options.concurrency ?? 8, parsed.valid.length));
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  const rows = [...results.values()].sort((a, b) => a.row - b.row);
  return { lifecycle: parsed.lifecycle, dryRun, strict, rerun, summary: summarize(rows), rows };
}

/** `started 3, already running 1, already completed 0, rejected 2` (dry run: `would start …`). */
export function summaryLine(outcome: ImportOutcome): string {
  const s = outcome.summary;
  const parts = outcome.dryRun ? [`would start ${s.wouldStart}`] : [`started ${s.started}`];
  parts.push(
    `already running ${s.alreadyRunning}`,
    `already completed ${s.alreadyCompleted}`,
    `rejected ${s.rejected}`,
  );
  if (s.skipped > 0) parts.push(`not started ${s.skipped} (--strict)`);
  if (s.refused > 0) parts.push(`refused ${s.refused}`);
  if (s.failed > 0) parts.push(`failed ${s.failed}`);
  return `${outcome.dryRun ? 'dry run: ' : ''}${parts.join(', ')}`;
}
