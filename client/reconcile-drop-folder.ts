/**
 * The reconciliation's drop folder (RECONCILE_DROP_DIR, issue 30): HR (or an export job) puts snapshot
 * files into a folder; the worker process looks every RECONCILE_DROP_INTERVAL_SECONDS and starts one plan
 * per new file, exactly as an upload does (client/reconcile-plans.ts), then moves the file to `done/`
 * or `failed/` with a `<file>.reason.txt` beside it saying what happened.
 *
 * - A file is taken once its size and modification time stayed the same between two looks, so a file
 *   still being copied in is left alone. Dot files and folders are ignored.
 * - Taking it is a rename into `processing/`: of several worker replicas watching one folder, one wins.
 * - Once per content: the snapshot is stored with source `drop:sha256:<hash>`; a file whose content
 *   already made a plan starts nothing and goes to `done/` naming that plan (a copy, a re-sent export,
 *   or a file taken again after a crash).
 * - Plans from the folder report absent accounts only (`absent: ignore`) and use the worker's thresholds.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Client } from '@temporalio/client';
import { type ImportLimits } from '../config/import-limits';
import { type LifecyclePolicies } from '../config/policies';
import { type ReconcileDropConfig } from '../config/reconcile-drop';
import { type LifecycleStore } from '../store';
import { ImportFileError } from './csv/import-file-error';
import { readSnapshotFile } from './csv/snapshot-file';
import { type PlanStarterSetup, openPlanStarter, repeatEvery } from './reconcile-plan-starter';
import { startReconcilePlan } from './reconcile-plans';

export interface ReconcileDropFolderOptions {
  dir: string;
  client: Client;
  store: LifecycleStore;
  policies: LifecyclePolicies;
  importLimits: ImportLimits;
  logger?: {
    info(message: string, meta?: Record<string, unknown>): void;
    warn(message: string, meta?: Record<string, unknown>): void;
  };
}

export interface DropOutcome {
  /** The file's name as dropped. */
  file: string;
  result: 'started' | 'already-reconciled' | 'failed';
  planId?: string;
  reason: string;
  /** Where the file is now. */
  movedTo: string;
}

/** A file left in `processing/` this long (a worker stopped mid-way) is taken again. */
const ABANDONED_MS = 10 * 60_000;

const DROP_ACTOR = { kind: 'drop-folder', user: null };

export const dropSourceOf = (sha256: string): string => `drop:sha256:${sha256}`;

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}

async function freeName(folder: string, name: string, sha256: string): Promise<string> {
  for (const candidate of [
    name,
    `${sha256.slice(0, 12)}-${name}`,
    `${Date.now()}-${sha256.slice(0, 12)}-${name}`,
  ]) {
    try {
      await stat(path.join(folder, candidate));
    } catch (error) {
      if (isMissing(error)) return path.join(folder, candidate);
      throw error;
    }
  }
  throw new Error(`no free name for ${name} in ${folder}`);
}

export function reconcileDropFolder(options: ReconcileDropFolderOptions) {
  const folders = {
    processing: path.join(options.dir, 'processing'),
    done: path.join(options.dir, 'done'),
    failed: path.join(options.dir, 'failed'),
  };
  /** Size and time of each file at the last look: taken when they are the same at the next. */
  const lastLook = new Map<string, string>();

  async function settle(
    claimed: string,
    name: string,
    sha256: string,
    outcome: Omit<DropOutcome, 'file' | 'movedTo'>,
  ): Promise<DropOutcome> {
    const folder = outcome.result === 'failed' ? folders.failed : folders.done;
    const target = await freeName(folder, name, sha256);
    // The reason first: a file in done/ or failed/ always has its reason beside it.
    await writeFile(`${target}.reason.txt`, `${outcome.reason}\n`);
    await rename(claimed, target);
    options.logger?.info(`Reconcile drop folder: ${name} → ${path.basename(folder)}/`, {
      result: outcome.result,
      ...(outcome.planId !== undefined && { planId: outcome.planId }),
    });
    return { file: name, movedTo: target, ...outcome };
  }

  /** One claimed file: read, checked against earlier contents, planned; then moved with its reason. */
  async function handle(claimed: string, name: string): Promise<DropOutcome> {
    const content = await readFile(claimed);
    const sha256 = createHash('sha256').update(content).digest('hex');
    if (content.length > options.importLimits.maxFileBytes)
      return settle(claimed, name, sha256, {
        result: 'failed',
        reason: `larger than IMPORT_MAX_FILE_MB (${options.importLimits.maxFileMb} MiB)`,
      });
    const source = dropSourceOf(sha256);
    const earlier = await options.store.reconcile.planIdOfSource(source);
    if (earlier !== undefined)
      return settle(claimed, name, sha256, {
        result: 'already-reconciled',
        planId: earlier,
        reason: `already reconciled as ${earlier} (the same content, sha256 ${sha256}): nothing started`,
      });
    let snapshot;
    try {
      snapshot = await readSnapshotFile(content, { limits: options.importLimits });
    } catch (error) {
      if (!(error instanceof ImportFileError)) throw error;
      return settle(claimed, name, sha256, { result: 'failed', reason: error.message });
    }
    const plan = await startReconcilePlan(options.client, options.store, {
      rows: snapshot.rows(),
      source,
      dryRun: false,
      absent: 'ignore',
      requestedBy: DROP_ACTOR,
      policies: options.policies,
    });
    return settle(claimed, name, sha256, {
      result: 'started',
      planId: plan.planId,
      reason: `plan ${plan.planId} started (sha256 ${sha256}); follow it with \`staffbase-lifecycle reconcile show ${plan.planId}\``,
    });
  }

  /** Moves a file into `processing/`; false when another process took it first. */
  async function claim(from: string, to: string): Promise<boolean> {
    try {
      await rename(from, to);
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  /** One look into the folder: every file that is ready is handled, one after the other. */
  async function scanOnce(): Promise<DropOutcome[]> {
    await Promise.all(Object.values(folders).map((folder) => mkdir(folder, { recursive: true })));
    const outcomes: DropOutcome[] = [];
    const ready: { from: string; name: string }[] = [];
    for (const entry of await readdir(folders.processing, { withFileTypes: true })) {
      if (!entry.isFile() || entry.name.startsWith('.')) continue;
      const file = path.join(folders.processing, entry.name);
      const info = await stat(file).catch(() => undefined);
      if (info && Date.now() - info.ctimeMs > ABANDONED_MS) ready.push({ from: file, name: entry.name });
    }
    const present = new Set<string>();
    for (const entry of await readdir(options.dir, { withFileTypes: true })) {
      if (!entry.isFile() || entry.name.startsWith('.')) continue;
      present.add(entry.name);
      const info = await stat(path.join(options.dir, entry.name)).catch(() => undefined);
      if (!info) continue;
      const look = `${info.size}:${info.mtimeMs}`;
      if (lastLook.get(entry.name) !== look) {
        lastLook.set(entry.name, look);
        continue;
      }
      lastLook.delete(entry.name);
      const claimed = path.join(folders.processing, entry.name);
      if (await claim(path.join(options.dir, entry.name), claimed))
        ready.push({ from: claimed, name: entry.name });
    }
    for (const name of lastLook.keys()) if (!present.has(name)) lastLook.delete(name);
    for (const { from, name } of ready) {
      try {
        outcomes.push(await handle(from, name));
      } catch (error) {
        // The store or Temporal is away: the file stays in processing/ and is taken again later.
        options.logger?.warn(`Reconcile drop folder: ${name} could not be handled now`, {
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    return outcomes;
  }

  /** Looks every `intervalMs` until stopped; `stop()` waits for a look in progress. */
  function watch(intervalMs: number): { stop(): Promise<void> } {
    return repeatEvery(
      intervalMs,
      async () => void (await scanOnce()),
      (error) =>
        options.logger?.warn('Reconcile drop folder: the folder could not be read', {
          error: error instanceof Error ? error.message : String(error),
        }),
    );
  }

  return { scanOnce, watch };
}

/**
 * The worker process's drop folder (worker/main.ts): its own Temporal client and store handle, watching
 * until `stop()`, which waits for a look in progress and closes both.
 */
export async function startReconcileDropFolder(
  setup: PlanStarterSetup & { drop: ReconcileDropConfig },
  logger: NonNullable<ReconcileDropFolderOptions['logger']>,
): Promise<{ stop(): Promise<void> }> {
  const starter = await openPlanStarter(setup);
  const { client, store } = starter;
  const watching = reconcileDropFolder({
    dir: setup.drop.dir,
    client,
    store,
    policies: setup.drop.policies,
    importLimits: setup.drop.importLimits,
    logger,
  }).watch(setup.drop.intervalMs);
  logger.info('Reconcile drop folder watched', {
    dir: setup.drop.dir,
    intervalSeconds: setup.drop.intervalMs / 1000,
  });
  return {
    async stop() {
      await watching.stop();
      await starter.close();
    },
  };
}
