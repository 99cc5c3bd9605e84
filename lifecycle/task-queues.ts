/**
 * Workflows run on one queue; every Staffbase call runs on its own queue, so the server-side
 * activity rate limit (maxTaskQueueActivitiesPerSecond) caps Staffbase traffic across all workers.
 */
export const taskQueues = {
  lifecycle: 'staffbase-lifecycle',
  staffbaseApi: 'staffbase-api',
} as const;
