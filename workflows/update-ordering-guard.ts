/**
 * A guard against an SDK defect that writes histories no worker can replay (TS SDK 1.24.0, the newest
 * release; reproduced in test/workflows/update-ordering-guard.test.ts).
 *
 * The defect: when a run's worker has died, a status query goes to another worker as a "legacy query"
 * with the history so far. If that history ends with a result the run has not seen yet (an activity
 * that completed meanwhile), the worker runs the workflow on with it to answer the query, and keeps
 * the commands that produced (e.g. the next activity) for the next workflow task. When that task
 * brings update requests, the history records those kept commands first and the updates' acceptance
 * after them; a replay hands the result and the updates over together, accepts the updates first,
 * and fails ("Update machine does not handle this event"): the run is stuck at its next replay (after
 * a restart, a deploy or a cache eviction). The interceptors found it with the offboarding's `cancel`.
 *
 * The guard: a run that a legacy query moved ahead of its history fails its next workflow task
 * before it does anything else. The worker drops the run from its cache and the server retries the
 * task at once with the whole history, which the worker replays and answers in one go, in the order
 * a replay will see again; update requests stay with the server across the failed attempt. It costs
 * one retried workflow task after a worker crash, and only when a query landed in that window.
 */
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';

/** The reason the failed workflow task shows in the history and the Temporal UI. */
export const updateOrderingGuardMessage =
  'A query ran this workflow ahead of its history (an SDK ordering defect, see ' +
  'workflows/update-ordering-guard.ts); retrying the task from the full history';

/** The query id the SDK's core gives a query that came with a history instead of to the run's worker. */
const legacyQueryId = 'legacy_query';

export const interceptors: WorkflowInterceptorsFactory = () => {
  // Per run: the factory runs once for every workflow instance the worker creates.
  let historyLength: number | undefined;
  let live = false;
  /** The history length at which the run last produced commands of its own (not on replay). */
  let liveCommandsAt: number | undefined;
  let aheadOfHistory = false;
  return {
    internals: [
      {
        activate(input, next) {
          const { activation } = input;
          const jobs = activation.jobs ?? [];
          historyLength = activation.historyLength ?? undefined;
          live = !activation.isReplaying;
          const queries = jobs.filter((job) => job.queryWorkflow);
          if (queries.length > 0) {
            const legacy = queries.some((job) => job.queryWorkflow?.queryId === legacyQueryId);
            if (legacy && historyLength !== undefined && historyLength === liveCommandsAt) {
              aheadOfHistory = true;
            }
          } else if (aheadOfHistory && live) {
            throw new Error(updateOrderingGuardMessage);
          }
          next(input);
        },
        concludeActivation(input, next) {
          const output = next(input);
          // Query answers are not history; every other command is.
          if (live && output.commands.some((command) => !command.respondToQuery)) {
            liveCommandsAt = historyLength;
          }
          return output;
        },
      },
    ],
  };
};
