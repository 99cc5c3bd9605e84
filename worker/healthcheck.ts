/**
 * The worker container's health check (`node dist/worker/healthcheck.js`, docker-compose.yml): healthy
 * only when the Temporal server itself reports this host's worker polling BOTH task queues recently —
 * a process that is up but disconnected, or stuck before polling, is not healthy. Worker identities
 * are `<pid>@<hostname>` (the SDK's default) and a container's hostname is its own, so the check
 * matches pollers by hostname. Exit 0 healthy, 1 not (with one line saying why on stderr).
 */
import { hostname } from 'node:os';
import { Connection } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { temporal as proto } from '@temporalio/proto';
import { temporalConfigFromEnv, temporalConnectionOptions } from '../config/temporal';
import { taskQueues } from '../lifecycle/task-queues';

/**
 * An idle long poll is renewed about once a minute, and the server keeps pollers it has not heard
 * from in its list for a while: two minutes without a poll means this worker is gone.
 */
export const POLLER_FRESHNESS_MS = 2 * 60_000;
const CHECK_DEADLINE_MS = 5_000;

const queues = [
  { name: taskQueues.lifecycle, type: proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW },
  { name: taskQueues.staffbaseApi, type: proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY },
] as const;

/** The queues this host's worker has not polled within POLLER_FRESHNESS_MS (empty: healthy). */
export async function queuesNotPolledByHost(env: NodeJS.ProcessEnv, host = hostname()): Promise<string[]> {
  const config = temporalConfigFromEnv(env);
  const connection = await Connection.connect(temporalConnectionOptions(config));
  try {
    const missing: string[] = [];
    for (const queue of queues) {
      const answer = await connection.withDeadline(Date.now() + CHECK_DEADLINE_MS, () =>
        connection.workflowService.describeTaskQueue({
          namespace: config.namespace,
          taskQueue: { name: queue.name, kind: proto.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
          taskQueueType: queue.type,
        }),
      );
      const fresh = (answer.pollers ?? []).some(
        (poller) =>
          (poller.identity ?? '').endsWith(`@${host}`) &&
          Date.now() - tsToMs(poller.lastAccessTime) < POLLER_FRESHNESS_MS,
      );
      if (!fresh) missing.push(queue.name);
    }
    return missing;
  } finally {
    await connection.close().catch(() => undefined);
  }
}

if (require.main === module) {
  queuesNotPolledByHost(process.env).then(
    (missing) => {
      if (missing.length === 0) process.exit(0);
      console.error(`unhealthy: no recent poll from this host on ${missing.join(', ')}`);
      process.exit(1);
    },
    (error: unknown) => {
      // Never the configuration's values: the error's message only (no secrets are in it).
      console.error(`unhealthy: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
