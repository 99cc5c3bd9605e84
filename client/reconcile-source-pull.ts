/**
 * The reconciliation's pulled source (RECONCILE_SOURCE_URL, issue 30): every
 * RECONCILE_SOURCE_INTERVAL_MINUTES the worker process asks the HR system's endpoint for its current
 * snapshot (CSV, JSON or xlsx; bearer or basic credentials from the worker's environment only) and
 * starts one plan for it, exactly as an upload does (client/reconcile-plans.ts).
 *
 * - Once per content: the snapshot is stored with source `pull:sha256:<hash>`; an answer whose content
 *   already made a plan starts nothing (HR's export did not change since).
 * - The answer is read up to IMPORT_MAX_FILE_MB and within RECONCILE_SOURCE_TIMEOUT_SECONDS; anything
 *   else (an HTTP error, a refusal, a file that cannot be read) starts nothing and is logged with its
 *   reason, never with the URL's query, the credentials or the content. The next pull tries again.
 * - Plans from the source report absent accounts only (`absent: ignore`) and use the worker's thresholds.
 *   Worker replicas each pull: two plans of one content at the same moment are possible and harmless,
 *   because applying the same snapshot again starts nothing new.
 */
import { createHash } from 'node:crypto';
import { type Client } from '@temporalio/client';
import { type ReconcileSourceConfig } from '../config/reconcile-source';
import { type LifecycleStore } from '../store';
import { ImportFileError } from './csv/import-file-error';
import { readSnapshotFile } from './csv/snapshot-file';
import { type PlanStarterSetup, openPlanStarter, repeatEvery } from './reconcile-plan-starter';
import { startReconcilePlan } from './reconcile-plans';

export interface SourcePullOutcome {
  result: 'started' | 'unchanged' | 'failed';
  planId?: string;
  /** Why, in words an operator reads in the log; never the URL's query, a credential or the content. */
  reason: string;
}

type SourcePullLogger = {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
};

export interface ReconcileSourcePullOptions {
  source: ReconcileSourceConfig;
  client: Client;
  store: LifecycleStore;
  logger?: SourcePullLogger;
}

const PULL_ACTOR = { kind: 'source-pull', user: null };

export const pullSourceOf = (sha256: string): string => `pull:sha256:${sha256}`;

class PullFailed extends Error {}

/** The answer's body, refused past `maxBytes` as soon as it passes them. */
async function readLimited(response: Response, maxBytes: number, maxMb: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes)
    throw new PullFailed(`the answer is larger than IMPORT_MAX_FILE_MB (${maxMb} MiB)`);
  const chunks: Buffer[] = [];
  let size = 0;
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = (await reader.read()) as { done: boolean; value?: Uint8Array };
    if (done || value === undefined) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new PullFailed(`the answer is larger than IMPORT_MAX_FILE_MB (${maxMb} MiB)`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

async function fetchSnapshot(source: ReconcileSourceConfig): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(source.url, {
      headers: {
        accept:
          'text/csv, application/json, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        ...(source.authorization !== undefined && { authorization: source.authorization }),
      },
      redirect: 'error',
      signal: AbortSignal.timeout(source.timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    throw new PullFailed(
      timedOut
        ? `no answer within RECONCILE_SOURCE_TIMEOUT_SECONDS (${source.timeoutMs / 1000} s)`
        : `the source could not be reached (${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : 'unknown error'})`,
    );
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    const hint =
      response.status === 401 || response.status === 403
        ? ': check RECONCILE_SOURCE_TOKEN or RECONCILE_SOURCE_USER/PASSWORD'
        : '';
    throw new PullFailed(`the source answered HTTP ${response.status}${hint}`);
  }
  return readLimited(response, source.importLimits.maxFileBytes, source.importLimits.maxFileMb);
}

export function reconcileSourcePull(options: ReconcileSourcePullOptions) {
  const { source } = options;

  /** One pull: fetched, checked against earlier contents, planned. Never throws for the source's faults. */
  async function pullOnce(): Promise<SourcePullOutcome> {
    let content: Buffer;
    try {
      content = await fetchSnapshot(source);
    } catch (error) {
      if (!(error instanceof PullFailed)) throw error;
      return { result: 'failed', reason: error.message };
    }
    const sha256 = createHash('sha256').update(content).digest('hex');
    const pulled = pullSourceOf(sha256);
    const earlier = await options.store.reconcile.planIdOfSource(pulled);
    if (earlier !== undefined) {
      return {
        result: 'unchanged',
        planId: earlier,
        reason: `the same content as plan ${earlier}: nothing started`,
      };
    }
    let snapshot;
    try {
      snapshot = await readSnapshotFile(content, { limits: source.importLimits });
    } catch (error) {
      if (!(error instanceof ImportFileError)) throw error;
      return { result: 'failed', reason: error.message };
    }
    const plan = await startReconcilePlan(options.client, options.store, {
      rows: snapshot.rows(),
      source: pulled,
      dryRun: false,
      absent: 'ignore',
      requestedBy: PULL_ACTOR,
      policies: source.policies,
    });
    return {
      result: 'started',
      planId: plan.planId,
      reason: `plan ${plan.planId} started (sha256 ${sha256})`,
    };
  }

  /** Pulls now and then every `source.intervalMs` until stopped; `stop()` waits for a pull in progress. */
  function watch(): { stop(): Promise<void> } {
    return repeatEvery(
      source.intervalMs,
      async () => {
        const outcome = await pullOnce();
        const meta = {
          reason: outcome.reason,
          ...(outcome.planId !== undefined && { planId: outcome.planId }),
        };
        const message = `Reconcile source ${source.where}: ${outcome.result}`;
        if (outcome.result === 'failed') options.logger?.warn(message, meta);
        else options.logger?.info(message, meta);
      },
      (error) =>
        // The store or Temporal is away: the next pull tries again.
        options.logger?.warn(`Reconcile source ${source.where}: could not be planned now`, {
          error: error instanceof Error ? error.message : String(error),
        }),
    );
  }

  return { pullOnce, watch };
}

/**
 * The worker process's pulled source (worker/main.ts): its own Temporal client and store handle, pulling
 * until `stop()`, which waits for a pull in progress and closes both.
 */
export async function startReconcileSourcePull(
  setup: PlanStarterSetup & { source: ReconcileSourceConfig },
  logger: SourcePullLogger,
): Promise<{ stop(): Promise<void> }> {
  const starter = await openPlanStarter(setup);
  const { client, store } = starter;
  const pulling = reconcileSourcePull({ source: setup.source, client, store, logger }).watch();
  logger.info('Reconcile source pulled', {
    where: setup.source.where,
    auth: setup.source.auth,
    intervalMinutes: setup.source.intervalMs / 60_000,
  });
  return {
    async stop() {
      await pulling.stop();
      await starter.close();
    },
  };
}
