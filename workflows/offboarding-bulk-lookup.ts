/**
 * A bulk offboarding's look-up (patch `batched-lookup`, runs started with `lane: 'bulk'`): the run hands
 * its person to the look-up batcher (workflows/lookup-batcher.ts) through an activity on the workflow
 * queue, off the Staffbase budget, and waits for the answer of the batch's one list request. No
 * answer within BATCHED_LOOKUP_ANSWER_TIMEOUT_MS, or an answer saying so, and it looks its person up
 * alone — in the bulk lane, by the same exact-match rules. A found account's read then stands in for
 * the read before log-out and deactivation while it is recent (lifecycle/batched-lookup.ts).
 */
import { condition, log, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { ResolvedAccount } from '../activities/account-outcomes';
import type { LookupBatcherActivities } from '../activities/lookup-batcher-activities';
import type { AccountRead } from '../lifecycle/account-guards';
import {
  type BatchedLookupAnswer,
  batchedLookupAnswerTimeoutMs,
  batchedReadOf,
  recentBatchedRead,
} from '../lifecycle/batched-lookup';
import { taskQueues } from '../lifecycle/task-queues';
import { resolveExactAccount } from './account-steps';
import { batchedLookupAnswerSignal } from './offboarding-messages';

const batcher = proxyActivities<LookupBatcherActivities>({
  taskQueue: taskQueues.lifecycle,
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds' },
  // Longer than that, and the run is better off looking up alone.
  scheduleToCloseTimeout: '1 minute',
});

/** A bulk run's batched look-up: the batch's answer, or none (then the person is looked up alone). */
export class BatchedLookup {
  private constructor(
    private readonly externalID: string,
    private readonly answer: BatchedLookupAnswer | undefined,
  ) {}

  /**
   * Asks the batcher for the run's person and waits for the answer, as long as the batcher still holds
   * the request (asked every BATCHED_LOOKUP_ANSWER_TIMEOUT_MS: a long import at a slow tenant rate
   * queues batches behind the leavers already answered). None when the batcher could not be reached
   * or no longer holds it, or when `leave()` (a cancel) came first.
   */
  static async ask(externalID: string, leave: () => boolean): Promise<BatchedLookup> {
    let answer: BatchedLookupAnswer | undefined;
    setHandler(batchedLookupAnswerSignal, (heard) => {
      if (heard.externalID === externalID) answer ??= heard;
    });
    const { workflowId } = workflowInfo();
    try {
      await batcher.requestBatchedLookup({ externalID, workflowId });
    } catch {
      log.warn('The look-up batcher could not be reached: this leaver is looked up alone');
      return new BatchedLookup(externalID, undefined);
    }
    while (!(await condition(() => answer !== undefined || leave(), batchedLookupAnswerTimeoutMs))) {
      const held = await batcher.batchedLookupPending(workflowId).catch(() => false);
      if (!held) break;
    }
    return new BatchedLookup(externalID, answer);
  }

  /** The account by the batch's answer, or by a look-up of the person alone where it gives none. */
  resolve(): Promise<ResolvedAccount> {
    const answer = this.answer?.answer;
    if (answer?.result === 'found') {
      const { staffbaseUserId, status } = answer.account;
      return Promise.resolve({ result: 'found', staffbaseUserId, status });
    }
    if (answer?.result === 'gone') return Promise.resolve({ result: 'user-not-found' });
    return resolveExactAccount(this.externalID, 'bulk');
  }

  /**
   * The batch's read of the account while it may stand in for the read before an act (at most 30 s old
   * now, the workflow's time as the step goes out); otherwise undefined, and the step reads again.
   */
  recentRead(): AccountRead | undefined {
    return recentBatchedRead(this.answer && batchedReadOf(this.answer), Date.now());
  }
}
