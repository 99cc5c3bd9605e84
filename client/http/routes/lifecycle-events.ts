/**
 * Parked lifecycle event deliveries (docs/events.md): `GET /v1/lifecycle-events/parked` lists the
 * deliveries that kept failing past LIFECYCLE_EVENT_MAX_RETRY_HOURS (each holds that person's later
 * events for its subscriber); `POST /v1/lifecycle-events/retry` puts them back for delivery.
 */
import { z } from 'zod';
import { parkedLifecycleEvents, retryParkedLifecycleEvents } from '../../lifecycle-event-retry';
import { type ApiRoute, parseRequest } from '../route-spec';

export const lifecycleEventRetryBodySchema = z.strictObject({
  subscriberId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a subscriber id (letters, digits, - or _)')
    .optional()
    .meta({ description: 'Only this subscriber’s parked deliveries; default: every subscriber’s.' }),
  eventId: z
    .string()
    .regex(/^evt_[0-9a-f]{32}$/, 'must be an event id such as evt_0123…')
    .optional()
    .meta({ description: 'Only this event; default: every parked one (of `subscriberId` if given).' }),
});

export const lifecycleEventRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/v1/lifecycle-events/parked',
    operationId: 'listParkedLifecycleEvents',
    tag: 'support',
    summary: 'Lifecycle event deliveries waiting in needs-attention',
    description:
      'Deliveries to a subscriber (LIFECYCLE_EVENT_SUBSCRIBERS) that kept failing past ' +
      'LIFECYCLE_EVENT_MAX_RETRY_HOURS, oldest first. Each holds the later events of that person for that ' +
      'subscriber until it is retried (`POST /v1/lifecycle-events/retry`).',
    responses: {
      200: { description: 'The parked deliveries.', schema: 'ParkedLifecycleEvents' },
    },
    async handle({ deps }) {
      return { statusCode: 200, body: { parked: await parkedLifecycleEvents(deps.store) } };
    },
  },
  {
    method: 'POST',
    path: '/v1/lifecycle-events/retry',
    operationId: 'retryParkedLifecycleEvents',
    tag: 'support',
    summary: 'Deliver parked lifecycle events again',
    description:
      'Puts parked deliveries (all, one subscriber’s, or one event) back for delivery, in order per ' +
      'person, and wakes the dispatcher. `retried` counts them; retries run out again after ' +
      'LIFECYCLE_EVENT_MAX_RETRY_HOURS.',
    body: { schema: lifecycleEventRetryBodySchema, component: 'LifecycleEventRetry', required: false },
    responses: {
      200: { description: 'How many went back for delivery.', schema: 'LifecycleEventRetryResult' },
      400: { description: 'Invalid body: every bad field in `problems`; nothing retried.', schema: 'Error' },
    },
    async handle({ deps, body, audit }) {
      const parsed = parseRequest({ body: [lifecycleEventRetryBodySchema, body ?? {}] });
      const result = await retryParkedLifecycleEvents(deps.store, deps.temporalClient, parsed.body);
      audit({ event: 'lifecycle-events-retried', outcome: String(result.retried) });
      return { statusCode: 200, body: { action: 'retry-lifecycle-events', ...result } };
    },
  },
];
