import { continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { DirectoryLookupActivities } from '../activities/directory-lookup-activities';
import { priorityLanes } from '../lifecycle/priority-lanes';
import { taskQueues } from '../lifecycle/task-queues';
import { staffbaseActivityOptions } from './activity-options';
import {
  type DirectoryAccount,
  type DirectoryLookupCarryOver,
  type DirectoryLookupInput,
  type DirectoryLookupResult,
  directoryLookupProgressQuery,
} from './directory-lookup-messages';

/** Background reads: behind every single-person step on the shared rate limit, like the other bulk runs. */
const staffbase = proxyActivities<DirectoryLookupActivities>({
  ...staffbaseActivityOptions,
  heartbeatTimeout: '10 seconds',
  taskQueue: taskQueues.staffbaseApi,
  priority: { priorityKey: priorityLanes.bulk },
});

/**
 * Each activity's input carries the file's names, so a chain continues as new well before a history
 * grows large (a 1,000-row file adds about 75 kB a page).
 */
const historyBytesLimit = 4 * 1024 * 1024;
const historyEventLimit = 10_000;

/**
 * The import preflight's look-up (`import --check-staffbase`): walks the whole account directory, one
 * rate-limited request per page in the bulk lane, and answers the accounts that hold one of the
 * import's externalIDs, userNames or emails. Read-only. Progress by the `progress` query.
 *
 * Why a walk and not a look-up per row: Staffbase documents only `pr` (present) filters on `userName`
 * and `emails`, so no documented request finds "the account with this user name or email", however
 * small the file; the walk costs one request per page of accounts whatever the size of the file.
 */
export async function directoryLookup(
  input: DirectoryLookupInput,
  carryOver?: DirectoryLookupCarryOver,
): Promise<DirectoryLookupResult> {
  let offset = carryOver?.offset ?? 0;
  let pagesRead = carryOver?.pagesRead ?? 0;
  let pagesTotal = carryOver?.pagesTotal ?? 0;
  let accountsRead = carryOver?.accountsRead ?? 0;
  const matches = new Map<string, DirectoryAccount>(
    (carryOver?.matches ?? []).map((account) => [account.id, account]),
  );
  let done = false;
  setHandler(directoryLookupProgressQuery, () => ({ pagesRead, pagesTotal, accountsRead, done }));

  for (;;) {
    const page = await staffbase.readDirectoryPage({ offset, limit: input.pageSize, keys: input.keys });
    pagesRead += 1;
    offset += page.received;
    accountsRead += page.accounts;
    for (const account of page.matches) matches.set(account.id, account);
    const pagesLeft = Math.ceil(Math.max(0, page.total - offset) / input.pageSize);
    pagesTotal = pagesRead + (page.received === 0 ? 0 : pagesLeft);
    if (page.received === 0 || offset >= page.total) break;
    const info = workflowInfo();
    if (
      info.continueAsNewSuggested ||
      info.historySize >= historyBytesLimit ||
      info.historyLength >= historyEventLimit
    ) {
      await continueAsNew<typeof directoryLookup>(input, {
        offset,
        pagesRead,
        pagesTotal,
        accountsRead,
        matches: [...matches.values()],
      });
    }
  }
  done = true;
  return { pagesRead, accountsRead, matches: [...matches.values()] };
}
