import { Context } from '@temporalio/activity';

/**
 * Counters the worker exports to Prometheus (WORKER_METRICS_BIND_ADDRESS), counted from activities so
 * a replay never counts twice. Outside a worker (a plain unit test) there is no meter: nothing counts.
 */
export const lifecycleCounters = {
  needsAttention: {
    name: 'staffbase_lifecycle_needs_attention',
    unit: 'runs',
    description: 'Runs that entered needs-attention, by lifecycle and code',
  },
  activationSweepOrRefused: {
    name: 'staffbase_lifecycle_activation_sweep_or_refused',
    unit: 'batches',
    description:
      'Activation sweep batches whose `externalId eq … or …` filter the tenant refused (400): looked up one person at a time',
  },
  notificationFailures: {
    name: 'staffbase_lifecycle_notification_failures',
    unit: 'mails',
    description: 'Mails the notifier could not deliver, by notification',
  },
  lifecycleEventsParked: {
    name: 'staffbase_lifecycle_events_parked',
    unit: 'deliveries',
    description:
      'Lifecycle event deliveries that kept failing past LIFECYCLE_EVENT_MAX_RETRY_HOURS: parked in needs-attention, by subscriber',
  },
} as const;

export function countInActivity(
  counter: (typeof lifecycleCounters)[keyof typeof lifecycleCounters],
  attributes: Record<string, string>,
): void {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return;
  }
  context.metricMeter.createCounter(counter.name, counter.unit, counter.description).add(1, attributes);
}
