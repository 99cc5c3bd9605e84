/**
 * The HR API as a Fastify instance, built from injected dependencies (a Temporal client, the
 * policies, the key): no environment, no port, no process — `server.ts` and `main.ts` add those.
 *
 * Order of a request: auth (before the body is read, so an unauthenticated client cannot make the
 * server parse anything) → JSON body (size limit) → the route's zod checks → the shared client module
 * → one JSON answer. Every error goes through `errorResponse`.
 */
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { type AuditRecord, type AuditSink, auditSink } from '../../lifecycle/audit/audit-record';
import { auditRowWriter } from '../../store/audit-records';
import { type RequestedBy, bearerKeyCheck, callerIdentity } from './auth';
import { checkCodecOrigin, codecPreflightRoutes, isCodecPath } from './codec-cors';
import { checkDevModeRequest } from './dev-mode-guard';
import { registerConsole } from './console-assets';
import { DEFAULT_HTTP_API_BODY_LIMIT } from '../../config/defaults';
import { defaultImportLimits } from '../../config/import-limits';
import { ApiError, errorResponse, isBodyTooLarge } from './errors';
import { type ApiLogger, silentLogger } from './logger';
import { openApiDocument } from './openapi';
import { type ApiRoute, type HttpApiDeps, type RouteContext, fastifyPath, routeAccess } from './route-spec';
import { attentionRoutes } from './routes/attention';
import { auditRoutes } from './routes/audit';
import { lifecycleEventRoutes } from './routes/lifecycle-events';
import { bulkListRoutes } from './routes/bulk-runs';
import { codecRoutes } from './routes/codec';
import { importRoutes } from './routes/imports';
import { metaRoutes } from './routes/meta';
import { offboardingActionRoutes } from './routes/offboarding-actions';
import { leaveRoutes } from './routes/leaves';
import { onboardingActionRoutes } from './routes/onboarding-actions';
import { peopleRoutes } from './routes/people';
import { peopleIndexRoutes } from './routes/people-index';
import { reportRoutes } from './routes/reports';
import { reconciliationRoutes } from './routes/reconciliations';
import { runRoutes } from './routes/runs';
import { supportRoutes } from './routes/support';
import { registerStaffbaseEventsRoute } from './staffbase-events';
import { acceptJsonOnly } from './json-only';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Served without an API key (only `GET /health`). */
    public?: boolean;
    /** `admin`: the support key only. */
    admin?: boolean;
    /** The route's own answer to a body over its limit (ApiRoute.bodyTooLarge). */
    bodyTooLarge?: ApiError;
  }
}

export type { HttpApiDeps } from './route-spec';

/** Every route of the HR API, in the order the OpenAPI document lists them. */
export const apiRoutes: readonly ApiRoute[] = [
  ...metaRoutes,
  ...runRoutes,
  ...onboardingActionRoutes,
  ...offboardingActionRoutes,
  ...leaveRoutes,
  ...peopleIndexRoutes,
  ...reportRoutes,
  ...peopleRoutes,
  ...attentionRoutes,
  ...lifecycleEventRoutes,
  ...importRoutes,
  ...reconciliationRoutes,
  ...supportRoutes,
  ...bulkListRoutes,
  ...auditRoutes,
  ...codecRoutes,
];

export const DEFAULT_TEMPORAL_TIMEOUT_MS = 30_000;

/** Refuses to build an API without a key unless dev mode is on; warns loudly in dev mode without one. */
function checkKeyPolicy(deps: HttpApiDeps, logger: ApiLogger): void {
  if (deps.apiKey?.length === 0 || deps.adminApiKey?.length === 0) {
    throw new Error('The HR API keys must not be empty');
  }
  if (deps.adminApiKey !== undefined && deps.apiKey === undefined) {
    throw new Error('The HR API needs LIFECYCLE_API_KEY when LIFECYCLE_ADMIN_API_KEY is set');
  }
  if (deps.apiKey === undefined) {
    if (!deps.devMode) {
      throw new Error(
        'The HR API refuses to start without an API key (LIFECYCLE_API_KEY) unless dev mode is on (LIFECYCLE_API_DEV_MODE=true)',
      );
    }
    logger.warn(
      '!!! DEV MODE: the HR API runs WITHOUT an API key — anyone who can reach it can start and cancel ' +
        'onboardings and offboardings. Set LIFECYCLE_API_KEY for anything but local development. !!!',
    );
  }
}

/** Builds (does not start) the HR API. */
export function buildHttpApi(deps: HttpApiDeps, routes: readonly ApiRoute[] = apiRoutes): FastifyInstance {
  const logger = deps.logger ?? silentLogger;
  checkKeyPolicy(deps, logger);
  const bodyLimit = deps.bodyLimit ?? DEFAULT_HTTP_API_BODY_LIMIT;
  const checkKey = bearerKeyCheck({ apiKey: deps.apiKey, adminApiKey: deps.adminApiKey });
  const identify = callerIdentity(deps.trustedUserHeader);
  const audit: AuditSink = deps.audit ?? auditSink((message, fields) => logger.info(message, fields));
  const auditRows = auditRowWriter(deps.store.audit);
  // Who asked, per request: set by the auth hook, read by the handler for the audit line.
  const callers = new WeakMap<FastifyRequest, RequestedBy>();

  const app = Fastify({
    // Off: Fastify's logger would log request objects; one line per request is written below instead.
    logger: false,
    bodyLimit,
    // An externalID may be 255 characters, URL-encoded up to 9 bytes each.
    routerOptions: { maxParamLength: 2_400, ignoreTrailingSlash: true },
    return503OnClosing: true,
    requestTimeout: 120_000,
  });

  acceptJsonOnly(app);

  app.addHook('onRequest', (request, _reply, done) => {
    // Staffbase's webhook is authenticated by its own secret (its route's hook), never by an API key.
    if (request.routeOptions.config.staffbaseEvents === true) {
      done();
      return;
    }
    try {
      // Without a key, Host and Origin are all that stands between a web page and the API.
      if (deps.apiKey === undefined) checkDevModeRequest(request, deps.codecCorsOrigin);
      checkCodecOrigin(request, deps.codecCorsOrigin);
      const { config } = request.routeOptions;
      const key = checkKey(request, config.public === true ? 'public' : config.admin ? 'admin' : 'lifecycle');
      callers.set(request, identify(request, key));
      done();
    } catch (error) {
      done(error as Error);
    }
  });

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    // CORS for the Temporal UI's codec calls only, and only for its configured origin.
    if (deps.codecCorsOrigin && isCodecPath(request.url) && request.headers.origin === deps.codecCorsOrigin) {
      reply.header('access-control-allow-origin', deps.codecCorsOrigin);
      reply.header('access-control-allow-credentials', 'true');
      reply.header('vary', 'Origin');
    }
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });

  app.addHook('onResponse', async (request, reply) => {
    // Method, path, status, duration: never a header (the key), never a body (personal data).
    logger.info('request', {
      method: request.method,
      path: request.url.split('?')[0],
      route: request.routeOptions.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
      reqId: request.id,
    });
  });

  app.setErrorHandler((error, request, reply) => {
    // A route with a limit of its own (the import's IMPORT_MAX_FILE_MB) names it, and says its own size.
    const routeTooLarge = isBodyTooLarge(error) ? request.routeOptions.config.bodyTooLarge : undefined;
    const response = errorResponse(routeTooLarge ?? error, request.routeOptions.bodyLimit ?? bodyLimit);
    if (response.unexpected || response.statusCode >= 500) {
      logger.error(response.unexpected ? 'Unexpected error' : response.body.message, {
        method: request.method,
        path: request.url.split('?')[0],
        reqId: request.id,
        error,
      });
    }
    void reply.code(response.statusCode).headers(response.headers).send(response.body);
  });

  app.setNotFoundHandler((request) => {
    throw new ApiError(404, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}.`);
  });

  let document: unknown;
  const context: Omit<RouteContext, 'params' | 'query' | 'body' | 'caller' | 'audit'> = {
    deps: {
      temporalClient: deps.temporalClient,
      store: deps.store,
      policies: deps.policies,
      temporalTimeoutMs: deps.temporalTimeoutMs ?? DEFAULT_TEMPORAL_TIMEOUT_MS,
      payloadCodecs: deps.payloadCodecs ?? [],
      importLimits: deps.importLimits ?? defaultImportLimits,
    },
    openApiDocument: () => (document ??= openApiDocument(routes)),
  };

  /** Waits for a request's audit rows; a row not written makes the answer a 503, never a success. */
  async function settleAuditRows(rowsWritten: Promise<unknown>[], reqId: string): Promise<void> {
    if (rowsWritten.length === 0) return;
    const failures = (await Promise.allSettled(rowsWritten)).filter(
      (settled): settled is PromiseRejectedResult => settled.status === 'rejected',
    );
    if (failures.length === 0) return;
    for (const failure of failures) {
      logger.error('Writing an audit row failed (its audit line was written)', {
        reqId,
        error: failure.reason as unknown,
      });
    }
    throw new ApiError(
      503,
      'audit_unavailable',
      'The request was carried out, but its audit row could not be written to the store; retry once the store is back.',
    );
  }

  codecPreflightRoutes(app, deps.codecCorsOrigin);
  // The HR console's static files (no data in them): it calls the /v1 routes below like any client.
  registerConsole(app, { ...deps.console, importMaxFileMb: context.deps.importLimits.maxFileMb });

  if (deps.staffbaseEvents) {
    registerStaffbaseEventsRoute(app, {
      ...deps.staffbaseEvents,
      temporalClient: deps.temporalClient,
      logger,
      temporalTimeoutMs: context.deps.temporalTimeoutMs,
    });
  }

  for (const route of routes) {
    app.route({
      method: route.method,
      url: fastifyPath(route.path),
      config: {
        public: route.public ?? false,
        admin: routeAccess(route) === 'admin',
        ...(route.bodyTooLarge && { bodyTooLarge: route.bodyTooLarge(context.deps) }),
      },
      ...(route.bodyLimit !== undefined && {
        bodyLimit: typeof route.bodyLimit === 'function' ? route.bodyLimit(context.deps) : route.bodyLimit,
      }),
      handler: async (request, reply) => {
        const caller = callers.get(request) ?? { key: 'none' };
        const rowsWritten: Promise<unknown>[] = [];
        const auditRequest: RouteContext['audit'] = (record) => {
          const full: AuditRecord = {
            ...record,
            via: caller.key,
            at: new Date().toISOString(),
            ...(caller.requestedBy !== undefined && { requestedBy: caller.requestedBy }),
            ...(caller.claimedBy !== undefined && { claimedBy: caller.claimedBy }),
          };
          audit(full);
          rowsWritten.push(auditRows(full));
        };
        let result: Awaited<ReturnType<ApiRoute['handle']>>;
        try {
          // One deadline for every Temporal call of the request: a query or an update waits for a
          // worker, and an HR system should get a 504 rather than a connection that never answers.
          result = await deps.temporalClient.connection.withDeadline(
            Date.now() + context.deps.temporalTimeoutMs,
            () =>
              route.handle({
                ...context,
                params: { ...(request.params as Record<string, string>) },
                query: { ...(request.query as Record<string, unknown>) },
                body: request.body,
                caller,
                accept: request.headers.accept,
                audit: auditRequest,
              }),
          );
        } finally {
          // Even when the route failed after acting: the rows of what it did are written first.
          await settleAuditRows(rowsWritten, request.id);
        }
        void reply.code(result.statusCode);
        if (result.headers) void reply.headers(result.headers);
        return result.body;
      },
    });
  }
  return app;
}
