/**
 * The look-up batcher's activities that talk to Temporal only (on the workflow queue, off the
 * Staffbase budget): a bulk offboarding reaches the one batcher of the namespace with signal-with-start,
 * and the batcher signals each waiting run its answer.
 */
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import {
  BATCHED_LOOKUP_IDLE_MS,
  BATCHED_LOOKUP_MAX_GATHER_MS,
  BATCHED_LOOKUP_MAX_PEOPLE,
  BATCHED_LOOKUP_QUIET_MS,
} from '../config/defaults';
import type { BatchedLookupAnswer, BatchedLookupRequest } from '../lifecycle/batched-lookup';
import { taskQueues } from '../lifecycle/task-queues';
import { lookupBatcherWorkflowId } from '../lifecycle/workflow-ids';
import {
  type LookupBatcherInput,
  batchedLookupRequestedSignal,
  lookupBatcherWorkflowType,
  lookupPendingQuery,
} from '../workflows/lookup-batcher-messages';
import { batchedLookupAnswerSignal } from '../workflows/offboarding-messages';

/** A batcher started now gathers by these (its input: a running one keeps its own). */
export const lookupBatcherStartInput: LookupBatcherInput = {
  timing: {
    maxPeople: BATCHED_LOOKUP_MAX_PEOPLE,
    quietMs: BATCHED_LOOKUP_QUIET_MS,
    maxGatherMs: BATCHED_LOOKUP_MAX_GATHER_MS,
    idleMs: BATCHED_LOOKUP_IDLE_MS,
  },
  waiting: [],
};

/** One answer for one waiting run. */
export interface BatchedLookupDelivery {
  workflowId: string;
  answer: BatchedLookupAnswer;
}

export function createLookupBatcherActivities() {
  return {
    /** Hands the run's request to the batcher, starting it when none is running. */
    async requestBatchedLookup(request: BatchedLookupRequest): Promise<void> {
      await Context.current().client.workflow.signalWithStart(lookupBatcherWorkflowType, {
        workflowId: lookupBatcherWorkflowId,
        taskQueue: taskQueues.lifecycle,
        args: [lookupBatcherStartInput],
        signal: batchedLookupRequestedSignal,
        signalArgs: [request],
      });
    },

    /** Whether the batcher still holds the run's request (false when no batcher runs). */
    async batchedLookupPending(workflowId: string): Promise<boolean> {
      try {
        const batcher = Context.current().client.workflow.getHandle(lookupBatcherWorkflowId);
        return await batcher.query(lookupPendingQuery, workflowId);
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return false;
        throw error;
      }
    },

    /**
     * Signals each waiting run its answer. A run that closed meanwhile needs none; a repeat after a
     * retry is harmless (a run takes the first answer only).
     */
    async deliverBatchedLookupAnswers(deliveries: BatchedLookupDelivery[]): Promise<void> {
      const { client } = Context.current();
      await Promise.all(
        deliveries.map(async ({ workflowId, answer }) => {
          try {
            await client.workflow.getHandle(workflowId).signal(batchedLookupAnswerSignal, answer);
          } catch (error) {
            if (!(error instanceof WorkflowNotFoundError)) throw error;
          }
        }),
      );
    },
  };
}

export type LookupBatcherActivities = ReturnType<typeof createLookupBatcherActivities>;
