/**
 * `POST /v1/staffbase/events`: Staffbase's outbound webhooks (Studio). Not an HR API route: it takes
 * no API key (Staffbase cannot send ours), only the shared webhook secret (STAFFBASE_WEBHOOK_SECRET,
 * checked before the body is read), and is not in the OpenAPI document HR systems are given. It is
 * served on the HR API's port, or on a listener of its own (STAFFBASE_EVENTS_PORT) that serves
 * nothing else. Without a secret configured it does not exist (404).
 *
 * An event is a hint: its user id is handed to that user's `staffbaseEvent` run (signal-with-start),
 * which re-reads the user at most once per 60 s and acts as the activation sweep would. Unknown event
 * types are answered 202, ignored and counted. Every answer is 202 once the hint is taken, so Studio
 * does not retry what was understood.
 */
import { type Client } from '@temporalio/client';
import Fastify, { type FastifyInstance } from 'fastify';
import { type StaffbaseEventsConfig } from '../../config/staffbase-events';
import {
  STAFFBASE_EVENTS_PATH,
  STAFFBASE_EVENT_BODY_LIMIT,
  type WebhookSecretSettings,
  readStaffbaseEvent,
  webhookSecretCheck,
} from '../../staffbase/events';
import { ApiError, errorResponse } from './errors';
import { type ApiLogger, silentLogger } from './logger';
import { acceptJsonOnly } from './json-only';
import { signalStaffbaseEventRun } from '../staffbase-event-runs';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Staffbase's webhook: authenticated by the webhook secret, never by an API key. */
    staffbaseEvents?: boolean;
  }
}

/** What the events route has seen since the process started (for tests and the log). */
export interface StaffbaseEventCounts {
  /** Authenticated events of a known type handed to the user's run. */
  received: number;
  /** Authenticated events of a type this service does not act on: answered 202, ignored. */
  unknownType: number;
  /** Refused: wrong or missing secret (401), unreadable (400), too large (413). */
  rejected: number;
}

export interface StaffbaseEventsDeps {
  temporalClient: Client;
  /** The secret and where Studio sends it; the secret is held only inside the check. */
  webhook: WebhookSecretSettings;
  logger?: ApiLogger;
  /** Filled in by the route; pass one to read the counts. */
  counts?: StaffbaseEventCounts;
  /** Default 30 s, like the HR API's. */
  temporalTimeoutMs?: number;
}

export const newStaffbaseEventCounts = (): StaffbaseEventCounts => ({
  received: 0,
  unknownType: 0,
  rejected: 0,
});

/** The HR API's start options for the events route, from its configuration (none without a secret). */
export function staffbaseEventsApiOptions(config: StaffbaseEventsConfig | undefined): {
  staffbaseEvents?: { webhook: WebhookSecretSettings };
  staffbaseEventsPort?: number;
} {
  if (config === undefined) return {};
  return {
    staffbaseEvents: { webhook: { secret: config.secret, header: config.header, scheme: config.scheme } },
    ...(config.port !== undefined && { staffbaseEventsPort: config.port }),
  };
}

/** Adds the events route to an app (the HR API's, or the own listener's). */
export function registerStaffbaseEventsRoute(app: FastifyInstance, deps: StaffbaseEventsDeps): void {
  const logger = deps.logger ?? silentLogger;
  const counts = deps.counts ?? newStaffbaseEventCounts();
  const hasSecret = webhookSecretCheck(deps.webhook);
  const timeoutMs = deps.temporalTimeoutMs ?? 30_000;

  app.route({
    method: 'POST',
    url: STAFFBASE_EVENTS_PATH,
    bodyLimit: STAFFBASE_EVENT_BODY_LIMIT,
    config: { staffbaseEvents: true },
    // Before the body is read: an unauthenticated sender cannot make the server parse anything.
    onRequest: (request, _reply, done) => {
      if (hasSecret(request.headers)) {
        done();
        return;
      }
      done(
        new ApiError(
          401,
          'unauthorized',
          'The request does not carry the Staffbase webhook secret (STAFFBASE_WEBHOOK_SECRET).',
        ),
      );
    },
    onResponse: (_request, reply, done) => {
      if (reply.statusCode >= 400 && reply.statusCode < 500) counts.rejected += 1;
      done();
    },
    handler: async (request, reply) => {
      const hint = readStaffbaseEvent(request.body);
      if (hint.result === 'invalid') {
        throw ApiError.invalid([{ field: hint.field, message: hint.message }]);
      }
      if (hint.result === 'unknown-type') {
        counts.unknownType += 1;
        logger.info('Staffbase event of an unknown type ignored', { type: hint.type });
        return reply.code(202).send({ accepted: true, action: 'ignored', type: hint.type });
      }
      const eventId = eventIdOf(request.body);
      await deps.temporalClient.connection.withDeadline(Date.now() + timeoutMs, () =>
        signalStaffbaseEventRun(deps.temporalClient, {
          userId: hint.userId,
          type: hint.type,
          ...(eventId !== undefined && { eventId }),
        }),
      );
      counts.received += 1;
      // A Staffbase id is no personal data of the kind the logs must not carry (no name, no email).
      logger.info('Staffbase event received', { type: hint.type, userId: hint.userId });
      return reply.code(202).send({ accepted: true, action: 're-read', type: hint.type });
    },
  });
}

/** The event's own id, when it has one ([choice]: `id` or `eventId`): duplicates are recognised by it. */
function eventIdOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { id, eventId } = body as Record<string, unknown>;
  const value = typeof eventId === 'string' ? eventId : typeof id === 'string' ? id : undefined;
  return value === undefined || value === '' ? undefined : value.slice(0, 128);
}

/**
 * The events route alone, for its own listener (STAFFBASE_EVENTS_PORT): JSON only, the route's body
 * limit, the HR API's error shape, nothing else served.
 */
export function buildStaffbaseEventsApp(deps: StaffbaseEventsDeps): FastifyInstance {
  const logger = deps.logger ?? silentLogger;
  const app = Fastify({ logger: false, bodyLimit: STAFFBASE_EVENT_BODY_LIMIT, return503OnClosing: true });
  acceptJsonOnly(app);
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('cache-control', 'no-store');
  });
  app.setErrorHandler((error, request, reply) => {
    const response = errorResponse(error, STAFFBASE_EVENT_BODY_LIMIT);
    if (response.unexpected || response.statusCode >= 500) {
      logger.error(response.unexpected ? 'Unexpected error' : response.body.message, {
        path: request.url.split('?')[0],
        error,
      });
    }
    void reply.code(response.statusCode).headers(response.headers).send(response.body);
  });
  app.setNotFoundHandler((request) => {
    throw new ApiError(404, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}.`);
  });
  registerStaffbaseEventsRoute(app, deps);
  return app;
}
