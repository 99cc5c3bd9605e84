import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Client } from '@temporalio/client';
import { DEFAULT_PAGE_SIZE } from '../../staffbase/api-choices';
import { type OnboardingPolicy } from '../../lifecycle/onboarding-request';
import { priorityLanes } from '../../lifecycle/priority-lanes';
import { taskQueues } from '../../lifecycle/task-queues';
import type { directoryLookup } from '../../workflows/directory-lookup';
import {
  type DirectoryKeys,
  type DirectoryLookupProgress,
  directoryLookupProgressQuery,
} from '../../workflows/directory-lookup-messages';
import { type ParsedImport } from './parse-import';
import { type PreflightResult, preflight } from './preflight';
import { staffbaseDirectoryOf } from './staffbase-directory';

/**
 * The preflight against Staffbase, through the worker: the look-ups run as workflow `directoryLookup`
 * (ID `directory-lookup-<uuid>`), whose one-request activities take the same rate-limited Staffbase
 * queue as every other call, in the bulk lane, so an import's preflight never adds to the tenant's
 * rate and never holds up a leaver's logout. The CLI follows it by the `progress` query.
 */

export const directoryLookupWorkflowPrefix = 'directory-lookup-';

export interface PreflightOptions {
  /** With the look-up's workflow ID, once it started. */
  onStarted?: (workflowId: string) => void;
  /** After each progress answer (pages read, pages in all as far as known). */
  onProgress?: (progress: DirectoryLookupProgress) => void;
  /** Once, when no page was read after `waitingHintMs` (no worker polling?). */
  onWaiting?: () => void;
  pollIntervalMs?: number;
  waitingHintMs?: number;
  /** Users per request (default Staffbase's 100). */
  pageSize?: number;
}

/** The names the look-up searches for: every valid row's externalID; an onboarding's userName and email. */
export function directoryKeysOf(parsed: ParsedImport): DirectoryKeys {
  const externalIDs = new Set<string>();
  const userNames = new Set<string>();
  const emails = new Set<string>();
  for (const row of parsed.valid) {
    externalIDs.add(row.externalID);
    if (row.input.lifecycle !== 'onboarding') continue;
    userNames.add(row.input.request.userName.toLowerCase());
    emails.add(row.input.request.email.toLowerCase());
  }
  return { externalIDs: [...externalIDs], userNames: [...userNames], emails: [...emails] };
}

/** Runs the look-up and checks the rows against what it found. */
export async function runPreflight(
  client: Client,
  parsed: ParsedImport,
  policy: Pick<OnboardingPolicy, 'rehirePolicy'>,
  options: PreflightOptions = {},
): Promise<PreflightResult> {
  const handle = await client.workflow.start<typeof directoryLookup>('directoryLookup', {
    taskQueue: taskQueues.lifecycle,
    workflowId: `${directoryLookupWorkflowPrefix}${randomUUID()}`,
    priority: { priorityKey: priorityLanes.bulk },
    args: [{ keys: directoryKeysOf(parsed), pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE }],
  });
  options.onStarted?.(handle.workflowId);
  const stopPolling = new AbortController();
  let settled = false;
  // Never rejects; a query still in flight when the look-up ends is not waited for.
  void followProgress(options, stopPolling.signal, () => handle.query(directoryLookupProgressQuery));
  try {
    const found = await handle.result();
    settled = true;
    stopPolling.abort();
    options.onProgress?.({
      pagesRead: found.pagesRead,
      pagesTotal: found.pagesRead,
      accountsRead: found.accountsRead,
      done: true,
    });
    return preflight(parsed, staffbaseDirectoryOf(found.matches, found.accountsRead), policy);
  } finally {
    stopPolling.abort();
    // Read-only, but not worth finishing for nobody: an interrupted CLI stops its look-up.
    if (!settled) await handle.cancel().catch(() => undefined);
  }
}

async function followProgress(
  options: PreflightOptions,
  stopped: AbortSignal,
  query: () => Promise<DirectoryLookupProgress>,
): Promise<void> {
  const interval = options.pollIntervalMs ?? 250;
  const hintAt = Date.now() + (options.waitingHintMs ?? 15_000);
  let hinted = false;
  while (!stopped.aborted) {
    try {
      await sleep(interval, undefined, { signal: stopped });
    } catch {
      return;
    }
    let progress: DirectoryLookupProgress | undefined;
    try {
      progress = await query();
    } catch {
      // Not answerable yet (no workflow task has run): asked again next time.
    }
    if (stopped.aborted) return;
    if (progress) options.onProgress?.(progress);
    if (!hinted && (progress?.pagesRead ?? 0) === 0 && Date.now() >= hintAt) {
      hinted = true;
      options.onWaiting?.();
    }
  }
}
