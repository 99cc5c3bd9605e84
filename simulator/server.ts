/**
 * The Staffbase User API simulator: a real HTTP server with the User API under `/api` and its control
 * routes under `/_simulator`. `startSimulator` is what `npm start`, demos and tests use.
 */
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { type AcceptedToken, installApiGuard } from './api-guard';
import { CallLog } from './call-log';
import { errorBody, kindForStatus, SimulatorError } from './errors';
import { type EventSettings, EventEmitter } from './events';
import { FaultInjector } from './faults';
import { Outbox } from './outbox';
import { loadUsers, saveUsers } from './persistence';
import { RateLimiter } from './rate-limit';
import { registerGroupRoutes } from './routes/api-groups';
import { registerUserRoutes } from './routes/api-users';
import { registerControlRoutes } from './routes/control';
import { parseShapes, ResponseShapes } from './shapes';
import { UserStore } from './store';
import { type RateLimitSettings } from './types';

export interface SimulatorOptions {
  /** The API token clients must send as `Authorization: Basic <token>`, compared as is. */
  token: string;
  /** 0 = a free port chosen by the OS; default 0. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** When set, users are loaded from this file at start and saved to it after every change. */
  dataFile?: string;
  /** Off when not set; `PUT /_simulator/rate-limit` changes it while running. */
  rateLimit?: RateLimitSettings;
  /** Log every request with Fastify's logger (never headers). Default false. */
  logRequests?: boolean;
  /**
   * Response shapes (simulator/shapes.ts): a profile name or variants, e.g. `'all-variants'` or
   * `['role-object', 'epoch-timestamps']`. Default: the plain shapes. `PUT /_simulator/shapes` changes them.
   */
  shapes?: string | readonly string[];
  /**
   * Staffbase's webhooks (simulator/events.ts): where activations and Studio changes are POSTed, with
   * which secret and drop rate. Off when not set; `PUT /_simulator/events` changes it while running.
   */
  events?: EventSettings;
}

export interface RunningSimulator {
  /** e.g. http://127.0.0.1:4010 */
  baseUrl: string;
  /** baseUrl + '/api' */
  apiUrl: string;
  port: number;
  close(): Promise<void>;
}

/** Media types Fastify should parse as JSON: plain and vendor (`application/vnd.…+json`). */
const jsonContentType = /^application\/([\w.+-]+\+)?json(\s*;.*)?$/i;

export function buildSimulatorApp(options: SimulatorOptions): FastifyInstance {
  const app = Fastify({ logger: options.logRequests ? { level: 'info' } : false });

  // Bodiless POST/DELETE calls (recovery, sessions) may still carry `Content-Type: application/json`.
  const defaultJsonParser = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(jsonContentType, { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    void defaultJsonParser(request, text, done);
  });

  const outbox = new Outbox();
  const dataFile = options.dataFile;
  const store = new UserStore(outbox, dataFile ? (users) => saveUsers(dataFile, users) : undefined);
  if (dataFile) store.load(loadUsers(dataFile));
  const callLog = new CallLog();
  const acceptedToken: AcceptedToken = { current: options.token };
  const faults = new FaultInjector();
  const rateLimiter = new RateLimiter(options.rateLimit);
  const shapes = new ResponseShapes(parseShapes(options.shapes));
  const events = new EventEmitter(options.events);
  store.effects.onRecord((effect) => events.onEffect(effect));
  app.addHook('onClose', () => events.settled());

  app.setErrorHandler((error: FastifyError | SimulatorError | Error, request, reply) => {
    if (error instanceof SimulatorError) {
      return reply.code(error.statusCode).send(errorBody(error.kind, error.message, error.statusOverride));
    }
    const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 500) request.log.error(error);
    return reply.code(status).send(errorBody(kindForStatus(status), error.message, status));
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(errorBody('notFound', `no route for ${request.method} ${request.url.split('?')[0]}`)),
  );

  void app.register(
    (api, _options, done) => {
      installApiGuard(api, { token: acceptedToken, rateLimiter, faults, callLog });
      registerUserRoutes(api, store, shapes);
      registerGroupRoutes(api, store);
      // Unknown /api paths still meet the guard (auth, faults) and land in the call log.
      api.setNotFoundHandler((request, reply) =>
        reply
          .code(404)
          .send(errorBody('notFound', `no route for ${request.method} ${request.url.split('?')[0]}`)),
      );
      done();
    },
    { prefix: '/api' },
  );

  void app.register(
    (control, _options, done) => {
      registerControlRoutes(control, {
        store,
        outbox,
        callLog,
        faults,
        rateLimiter,
        initialRateLimit: options.rateLimit,
        acceptedToken,
        initialToken: options.token,
        shapes,
        events,
      });
      done();
    },
    { prefix: '/_simulator' },
  );

  return app;
}

export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const app = buildSimulatorApp(options);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  if (address === null || typeof address === 'string') {
    await app.close();
    throw new Error('the simulator did not get a TCP address');
  }
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const baseUrl = `http://${urlHost}:${address.port}`;
  let closing: Promise<void> | undefined;
  return {
    baseUrl,
    apiUrl: `${baseUrl}/api`,
    port: address.port,
    // Safe to call twice (an `after` hook and a test's own clean-up).
    close: () => (closing ??= app.close()),
  };
}
