/**
 * Starts the lifecycle event dispatcher (workflows/lifecycle-event-dispatcher.ts) when this worker has
 * subscribers: one run per namespace, whichever replica starts first; the others find it running.
 */
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { taskQueues } from '../lifecycle/task-queues';
import {
  LIFECYCLE_EVENT_DISPATCHER_ID,
  type LifecycleEventDispatcherInput,
  lifecycleEventDispatcher,
} from '../workflows/lifecycle-event-dispatcher';

export async function ensureLifecycleEventDispatcher(
  client: Client,
  input: LifecycleEventDispatcherInput = {},
): Promise<'started' | 'running'> {
  try {
    // The default conflict policy: a running dispatcher refuses a second one (answered `running`).
    await client.workflow.start(lifecycleEventDispatcher, {
      workflowId: LIFECYCLE_EVENT_DISPATCHER_ID,
      taskQueue: taskQueues.lifecycle,
      args: [input],
    });
    return 'started';
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return 'running';
    throw error;
  }
}
