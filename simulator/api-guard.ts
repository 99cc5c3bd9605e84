/**
 * What stands in front of every `/api` route, in the order a real request meets it: the rate limit
 * (Cloudflare's edge), injected faults, then the token check. It also writes the call log.
 */
import { timingSafeEqual } from 'node:crypto';
import { type IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { type CallLog } from './call-log';
import { errorBody, kindForStatus } from './errors';
import { normalizeRouteKey, type FaultAction, type FaultInjector } from './faults';
import { type RateLimiter } from './rate-limit';
import { type CallRecord } from './types';

/** The accepted API token; a control route replaces it at run time (a token rotation). */
export interface AcceptedToken {
  current: string;
}

export interface ApiGuardDependencies {
  token: AcceptedToken;
  rateLimiter: RateLimiter;
  faults: FaultInjector;
  callLog: CallLog;
}

interface CallStart {
  time: string;
  startedAt: number;
  routeKey: string;
  outcome?: CallRecord['outcome'];
  /** Set when the route must run and its answer then be lost. */
  loseReply?: Extract<FaultAction, { kind: 'lose-reply' }>;
  recorded?: boolean;
}

export function routeKeyOf(request: FastifyRequest): string {
  const url = request.routeOptions.url;
  return url === undefined ? 'unmatched' : normalizeRouteKey(`${request.method} ${url}`);
}

/** Compares the token exactly as sent: it is already base64 and must never be decoded or encoded. */
export function isAuthorized(header: string | undefined, token: string): boolean {
  const match = /^Basic\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  const sent = Buffer.from(match[1]);
  const expected = Buffer.from(token);
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}

export function installApiGuard(api: FastifyInstance, dependencies: ApiGuardDependencies): void {
  const { token, rateLimiter, faults, callLog } = dependencies;
  const calls = new WeakMap<IncomingMessage, CallStart>();

  const record = (request: FastifyRequest, status: number, start: CallStart): void => {
    if (start.recorded) return;
    start.recorded = true;
    const [path = '', query = ''] = request.url.split(/\?(.*)/s);
    callLog.record({
      method: request.method,
      path,
      query,
      routeKey: start.routeKey,
      ...(request.method !== 'GET' && request.body !== undefined && request.body !== null
        ? { body: structuredClone(request.body) }
        : {}),
      status,
      time: start.time,
      durationMs: Math.round(performance.now() - start.startedAt),
      ...(start.outcome ? { outcome: start.outcome } : {}),
    });
  };

  api.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const start: CallStart = {
      time: new Date().toISOString(),
      startedAt: performance.now(),
      routeKey: routeKeyOf(request),
    };
    calls.set(request.raw, start);

    const rate = rateLimiter.take();
    if (!rate.allowed) {
      start.outcome = 'rate-limited';
      if (rate.retryAfterHeader !== undefined) void reply.header('retry-after', rate.retryAfterHeader);
      return reply.code(429).send(errorBody('tooManyRequests', 'rate limit exceeded, slow down'));
    }

    const fault = faults.decide(start.routeKey);
    if (fault.latencyMs > 0) await sleep(fault.latencyMs);
    if (fault.action.kind === 'drop') {
      start.outcome = 'dropped';
      reply.hijack();
      request.raw.socket.destroy();
      record(request, 0, start);
      return reply;
    }
    if (fault.action.kind === 'fail') {
      start.outcome = 'fault';
      const status = fault.action.status;
      return reply.code(status).send(errorBody(kindForStatus(status), `injected fault: ${status}`, status));
    }

    if (fault.action.kind === 'lose-reply') start.loseReply = fault.action;

    if (!isAuthorized(request.headers.authorization, token.current)) {
      return reply.code(401).send(errorBody('unauthorized', 'login required: missing or invalid API token'));
    }
  });

  // A lost answer: the route has run and changed the tenant; the client sees a 5xx or a dead socket.
  api.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const start = calls.get(request.raw);
    const lost = start?.loseReply;
    if (!start || !lost) return payload;
    start.outcome = 'reply-lost';
    if (lost.as === 'drop') {
      record(request, 0, start);
      request.raw.socket.destroy();
      return payload;
    }
    void reply.code(lost.status).removeHeader('location').type('application/json');
    return JSON.stringify(
      errorBody('internal', `injected fault after handling: ${lost.status}`, lost.status),
    );
  });

  api.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const start = calls.get(request.raw);
    if (start) record(request, reply.statusCode, start);
  });
}
