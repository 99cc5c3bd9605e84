import { defineQuery } from '@temporalio/workflow';
import type { DirectoryAccount, DirectoryKeys } from '../activities/directory-lookup-activities';

/** Input, result and progress of the `directoryLookup` workflow, exported for the CLI and tests. */

export type { DirectoryAccount, DirectoryKeys } from '../activities/directory-lookup-activities';

export interface DirectoryLookupInput {
  /** The names of the import's rows. */
  keys: DirectoryKeys;
  /** Users per `GET /users` request (one request per page). */
  pageSize: number;
}

export interface DirectoryLookupProgress {
  pagesRead: number;
  /** Pages in all as far as the last page's `total` tells (never below `pagesRead`). */
  pagesTotal: number;
  /** Accounts compared so far (deleted ones are not counted). */
  accountsRead: number;
  done: boolean;
}

export interface DirectoryLookupResult {
  pagesRead: number;
  accountsRead: number;
  /** Every account holding one of the keys, once each. */
  matches: DirectoryAccount[];
}

/** Where the previous run of a chain stopped (continue-as-new). */
export interface DirectoryLookupCarryOver {
  offset: number;
  pagesRead: number;
  pagesTotal: number;
  accountsRead: number;
  matches: DirectoryAccount[];
}

export const directoryLookupProgressQuery = defineQuery<DirectoryLookupProgress>('progress');
