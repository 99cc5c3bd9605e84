/**
 * The store-erase Schedule's activity (workflows/store-erase.ts): empties the name and email in the
 * store's person index of everyone whose account was deleted more than `afterDays` days ago. On the
 * workflow queue: no Staffbase request, off the tenant's rate limit. Idempotent (an erased person is
 * not erased again), so a retry is harmless. Its audit line and row (`store-erased`, with the count)
 * are the worker's audit interceptor's, from the result, like every audited act.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { LifecycleStore } from '../store';

export interface StoreEraseInput {
  /** Days after the deletion (STORE_ERASE_AFTER_DAYS, copied into the Schedule's input). */
  afterDays: number;
}

export interface StoreEraseResult {
  result: 'erased';
  /** People whose name and email were emptied now. */
  count: number;
  /** The cut-off: deletions at or before it were erased (UTC). */
  deletedBefore: string;
  auditReason: string;
}

const DAY_MS = 86_400_000;

/** `store` absent (tests that need none): the activity fails for good, saying so, and erases nothing. */
export function createStoreEraseActivities(store: Pick<LifecycleStore, 'people'> | undefined) {
  return {
    async eraseDeletedPeopleNames(input: StoreEraseInput): Promise<StoreEraseResult> {
      if (!store) throw ApplicationFailure.nonRetryable('this worker runs without its store', 'NoStore');
      if (!Number.isInteger(input.afterDays) || input.afterDays < 1)
        throw ApplicationFailure.nonRetryable(
          'afterDays: must be a whole number of days ≥ 1',
          'InvalidInput',
        );
      const deletedBefore = new Date(Date.now() - input.afterDays * DAY_MS).toISOString();
      const { erased } = await store.people.eraseDeletedPeople({ deletedBefore });
      return {
        result: 'erased',
        count: erased,
        deletedBefore,
        auditReason: `name and email emptied for accounts deleted before ${deletedBefore} (STORE_ERASE_AFTER_DAYS=${input.afterDays})`,
      };
    },
  };
}

export type StoreEraseActivities = ReturnType<typeof createStoreEraseActivities>;
