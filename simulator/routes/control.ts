/**
 * `/_simulator/*`: the user's side (accepting the invitation, logging in), test set-up and read-outs.
 * No token needed: these routes stand for things outside the User API.
 */
import { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type AcceptedToken } from '../api-guard';
import { type CallLog } from '../call-log';
import { type EventEmitter, eventSettingsSchema } from '../events';
import { type FaultInjector } from '../faults';
import { type Outbox } from '../outbox';
import { type RateLimiter } from '../rate-limit';
import { faultSettingsSchema, parseOrBadRequest, rateLimitBodySchema, userSeedSchema } from '../schemas';
import { type ResponseShapes } from '../shapes';
import { type UserStore } from '../store';
import { type RateLimitSettings } from '../types';

export interface ControlDependencies {
  store: UserStore;
  outbox: Outbox;
  callLog: CallLog;
  faults: FaultInjector;
  rateLimiter: RateLimiter;
  /** What `reset` puts the rate limit back to: the settings the simulator started with. */
  initialRateLimit: RateLimitSettings | undefined;
  /** Response shapes; `reset` puts them back to the start value. */
  shapes: ResponseShapes;
  /** The token the API accepts; `PUT /token` rotates it, `reset` puts the start token back. */
  acceptedToken: AcceptedToken;
  initialToken: string;
  /** Staffbase's webhooks; `reset` puts the start settings back and forgets the emitted events. */
  events: EventEmitter;
}

/** `{shapes: "all-variants"}` or `{shapes: ["role-object", …]}`; `[]` or `"default"` = plain shapes. */
const shapesBodySchema = z.object({ shapes: z.union([z.string(), z.array(z.string())]) });

const userParams = z.object({ id: z.string().min(1) });
const tokenBodySchema = z.object({
  token: z.string().regex(/^\S+$/, 'must be a non-empty token without spaces'),
});
const studioStatusSchema = z.object({ status: z.enum(['activated', 'deactivated']) });

export function registerControlRoutes(control: FastifyInstance, dependencies: ControlDependencies): void {
  const {
    store,
    outbox,
    callLog,
    faults,
    rateLimiter,
    initialRateLimit,
    shapes,
    acceptedToken,
    initialToken,
    events,
  } = dependencies;

  control.get('/health', () => ({ ok: true }));

  control.get('/users', () => ({ users: store.all() }));

  control.get('/users/:id', (request) => {
    const { id } = parseOrBadRequest(userParams, request.params, 'path');
    return structuredClone(store.get(id));
  });

  control.post('/users', async (request, reply) => {
    const seed = parseOrBadRequest(userSeedSchema, request.body ?? {});
    return reply.code(201).send(structuredClone(store.seed(seed)));
  });

  control.post('/users/:id/activate', (request) => {
    const { id } = parseOrBadRequest(userParams, request.params, 'path');
    return structuredClone(store.activate(id));
  });

  // An administrator in Studio: status changes and deletes by hand, recorded as `studio` effects.
  control.put('/users/:id/status', (request) => {
    const { id } = parseOrBadRequest(userParams, request.params, 'path');
    const { status } = parseOrBadRequest(studioStatusSchema, request.body ?? {});
    return structuredClone(store.update(id, { status }, 'studio'));
  });

  control.delete('/users/:id', async (request, reply) => {
    const { id } = parseOrBadRequest(userParams, request.params, 'path');
    store.delete(id, 'studio');
    return reply.code(204).send();
  });

  control.post('/users/:id/sessions', (request) => {
    const { id } = parseOrBadRequest(userParams, request.params, 'path');
    return structuredClone(store.login(id));
  });

  control.get('/log', () => ({ calls: callLog.list() }));
  control.get('/log/count', () => ({ received: callLog.count() }));
  control.get('/effects', () => ({ effects: store.effects.list() }));
  control.get('/outbox', () => ({ mails: outbox.listMails() }));
  control.get('/recoveries', () => ({ recoveries: outbox.listRecoveries() }));

  control.get('/faults', () => ({ faults: faults.current() }));
  control.put('/faults', (request) => {
    faults.configure(parseOrBadRequest(faultSettingsSchema, request.body));
    return { faults: faults.current() };
  });

  control.get('/rate-limit', () => ({ rateLimit: rateLimiter.current() }));
  control.put('/rate-limit', (request) => {
    rateLimiter.configure(parseOrBadRequest(rateLimitBodySchema, request.body).rateLimit);
    return { rateLimit: rateLimiter.current() };
  });

  control.get('/shapes', () => shapes.current());
  control.put('/shapes', (request) =>
    shapes.configure(parseOrBadRequest(shapesBodySchema, request.body).shapes),
  );

  // Studio's webhook settings: `{url, secret, dropRate?, header?, scheme?}`, or `{events: null}` for off.
  control.get('/events', () => ({ settings: events.current(), events: events.list() }));
  control.put('/events', (request) => {
    const body = request.body as { events?: unknown } | undefined;
    events.configure(
      body?.events === null ? undefined : parseOrBadRequest(eventSettingsSchema, body?.events ?? body ?? {}),
    );
    return { settings: events.current() };
  });

  // A token rotation in Studio: the old token is refused (401) from now on. Never answered back.
  control.put('/token', async (request, reply) => {
    acceptedToken.current = parseOrBadRequest(tokenBodySchema, request.body).token;
    return reply.code(204).send();
  });

  control.post('/reset', async (_request, reply) => {
    store.clear();
    store.effects.clear();
    outbox.clear();
    callLog.clear();
    faults.clear();
    rateLimiter.configure(initialRateLimit);
    shapes.reset();
    acceptedToken.current = initialToken;
    events.reset();
    return reply.code(204).send();
  });
}
