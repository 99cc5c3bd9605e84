/**
 * TEST ONLY: a workflow interceptor for the interleavings test's worker bundle. The test SIGKILLs the
 * worker in every other batch, and each activity in flight then waits out its start-to-close timeout
 * (a minute for Staffbase calls) before it is retried: most of the test's run time. Here activities
 * without a heartbeat get at most ACTIVITY_TIMEOUT_MS instead — still far above a call to the local
 * simulator, even on a loaded machine (a slower attempt times out and is retried, a fault the
 * invariants must survive anyway). Activities with a heartbeat timeout (coordination, 10 s) already
 * notice a crash quickly and keep theirs. The commands stay the same (activity options are not part of
 * the determinism check), so the histories still replay against the production bundle, as the test
 * checks. Never part of a production bundle.
 */
import type { ActivityOptions, WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { msToNumber } from '@temporalio/common/lib/time';

/** The longest start-to-close of an activity without heartbeats in the interleavings test. */
export const ACTIVITY_TIMEOUT_MS = 15_000;

function shortened(options: ActivityOptions): ActivityOptions {
  if (options.heartbeatTimeout !== undefined || options.startToCloseTimeout === undefined) return options;
  if (msToNumber(options.startToCloseTimeout) <= ACTIVITY_TIMEOUT_MS) return options;
  return { ...options, startToCloseTimeout: ACTIVITY_TIMEOUT_MS };
}

export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [
    {
      scheduleActivity(input, next) {
        return next({ ...input, options: shortened(input.options) });
      },
    },
  ],
});
