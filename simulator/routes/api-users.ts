/** The User API under `/api`: create, read, list/filter, update, delete, recovery, logout. */
import { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SIMULATOR_CHOICES } from '../choices';
import { badRequest } from '../errors';
import { createUserBodySchema, parseOrBadRequest, updateUserBodySchema } from '../schemas';
import { type ResponseShapes, rawQueryValue } from '../shapes';
import { type UserStore } from '../store';
import { toApiUser } from '../user-records';

const userParams = z.object({ id: z.string().min(1) });

const single = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value[value.length - 1] : value))
  .optional();

const listQuerySchema = z.object({
  filter: single,
  query: single,
  sort: single,
  limit: single,
  offset: single,
});

function nonNegativeInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw badRequest(`${name}: must be a non-negative integer, got "${value}"`);
  return Number(value);
}

/** `shapes` decides how users and create answers look on the wire (simulator/shapes.ts). */
export function registerUserRoutes(api: FastifyInstance, store: UserStore, shapes: ResponseShapes): void {
  api.post('/users', async (request, reply) => {
    shapes.checkProfilePlacement(request.body);
    const body = parseOrBadRequest(createUserBodySchema, request.body ?? {});
    const { user } = store.create(body);
    const answer = shapes.createAnswer(SIMULATOR_CHOICES.createStatus);
    reply.code(answer.status).header('location', SIMULATOR_CHOICES.locationPath(user.id));
    return answer.withBody ? reply.send(shapes.user(toApiUser(user))) : reply.send();
  });

  api.get('/users', (request) => {
    const query = parseOrBadRequest(listQuerySchema, request.query, 'query');
    const requestedLimit = nonNegativeInteger('limit', query.limit) ?? SIMULATOR_CHOICES.defaultListLimit;
    if (requestedLimit < 1) throw badRequest('limit: must be at least 1');
    shapes.checkFilter(query.filter, rawQueryValue(request.raw.url ?? '', 'filter'));
    const limit = Math.min(requestedLimit, SIMULATOR_CHOICES.maxListLimit);
    const offset = nonNegativeInteger('offset', query.offset) ?? 0;
    const stored = store.list({
      filter: query.filter,
      query: query.query,
      sort: query.sort,
      ...shapes.storeWindow(offset, limit),
    });
    return shapes.list(stored, offset, limit);
  });

  api.get('/users/:id', (request) => {
    const { id } = parseOrBadRequest(userParams, request.params, 'path');
    return shapes.unmanagedUser(id) ?? shapes.user(toApiUser(store.get(id)));
  });

  api.put('/users/:id', (request) => {
    const { id } = parseOrBadRequest(userParams, request.params, 'path');
    shapes.checkProfilePlacement(request.body);
    const body = parseOrBadRequest(updateUserBodySchema, request.body ?? {});
    return shapes.user(toApiUser(store.update(id, body, 'api', shapes.profileUpdate())));
  });

  api.delete('/users/:id', async (request, reply) => {
    const { id } = parseOrBadRequest(userParams, request.params, 'path');
    store.delete(id);
    return reply.code(SIMULATOR_CHOICES.emptyStatus).send();
  });

  api.post('/users/:id/recovery', async (request, reply) => {
    const { id } = parseOrBadRequest(userParams, request.params, 'path');
    store.requestRecovery(id);
    return reply.code(SIMULATOR_CHOICES.emptyStatus).send();
  });

  api.delete('/users/:id/sessions', async (request, reply) => {
    const { id } = parseOrBadRequest(userParams, request.params, 'path');
    store.endSessions(id);
    return reply.code(SIMULATOR_CHOICES.emptyStatus).send();
  });
}
