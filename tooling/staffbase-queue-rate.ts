/**
 * The Staffbase queue's rate, set on the Temporal server, as compose's `temporal-setup` job does it
 * (`temporal task-queue config set --queue-rps-limit`): `npm start`'s dev server and the tests' dev
 * servers run the same CLI command. A rate set this way overrides what a worker sends
 * (maxTaskQueueActivitiesPerSecond), so no worker can raise, lower or remove it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { taskQueues } from '../lifecycle/task-queues';

const run = promisify(execFile);

export interface StaffbaseQueueRateOptions {
  /** The `temporal` CLI (resolveTemporalBinary('cli')). */
  cli: string;
  /** host:port of the frontend. */
  address: string;
  namespace: string;
  requestsPerSecond: number;
  /** Who set it, shown by `temporal task-queue config get`. */
  reason: string;
  /** Retries "Not enough hosts" and the like right after a server start; default 60 s. */
  timeoutMs?: number;
}

/** `temporal task-queue config <verb>` for the Staffbase queue's activities on this server. */
function queueConfigArgs(
  verb: 'get' | 'set',
  server: Pick<StaffbaseQueueRateOptions, 'address' | 'namespace'>,
): string[] {
  return [
    'task-queue',
    'config',
    verb,
    '--address',
    server.address,
    '--namespace',
    server.namespace,
    '--task-queue',
    taskQueues.staffbaseApi,
    '--task-queue-type',
    'activity',
  ];
}

/** The CLI arguments (compose's temporal-setup runs the same command; the compose test compares). */
export function staffbaseQueueRateArgs(
  options: Pick<StaffbaseQueueRateOptions, 'address' | 'namespace' | 'requestsPerSecond' | 'reason'>,
): string[] {
  if (!(options.requestsPerSecond > 0) || !Number.isFinite(options.requestsPerSecond)) {
    throw new Error(
      `STAFFBASE_REQUESTS_PER_SECOND must be a positive number, got ${options.requestsPerSecond}`,
    );
  }
  return [
    ...queueConfigArgs('set', options),
    '--queue-rps-limit',
    String(options.requestsPerSecond),
    '--queue-rps-limit-reason',
    options.reason,
  ];
}

/** Sets the rate, retrying while the server is still coming up; throws the CLI's last answer otherwise. */
export async function setStaffbaseQueueRate(options: StaffbaseQueueRateOptions): Promise<void> {
  const args = staffbaseQueueRateArgs(options);
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    try {
      await run(options.cli, args, { timeout: 30_000 });
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        const detail = (error as { stderr?: string }).stderr?.trim() || String(error);
        throw new Error(`Could not set the ${taskQueues.staffbaseApi} queue's rate on the server: ${detail}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** The queue's server-side rate (undefined when none is set), from `temporal task-queue config get`. */
export async function staffbaseQueueRate(
  options: Pick<StaffbaseQueueRateOptions, 'cli' | 'address' | 'namespace'>,
): Promise<number | undefined> {
  const { stdout } = await run(options.cli, [...queueConfigArgs('get', options), '--output', 'json']);
  if (stdout.trim() === '') return undefined; // the CLI prints nothing for a queue without a config
  const config = JSON.parse(stdout) as { queueRateLimit?: { rateLimit?: { requestsPerSecond?: number } } };
  return config.queueRateLimit?.rateLimit?.requestsPerSecond;
}
