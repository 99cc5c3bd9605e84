/**
 * Workflows run on one queue; every Staffbase call runs on its own queue, so the server-side
 * activity rate limit (maxTaskQueueActivitiesPerSecond) caps Staffbase traffic across all workers.
 * Activities that only talk to Temporal (lifecycle coordination) run on the workflow queue: they
 * must not spend the Staffbase budget.
 */
export const taskQueues = {
  lifecycle: 'staffbase-lifecycle',
  staffbaseApi: 'staffbase-api',
  /** Lifecycle event deliveries to subscribers (docs/events.md): HTTP to them, no Staffbase budget. */
  lifecycleEvents: 'lifecycle-events',
} as const;
