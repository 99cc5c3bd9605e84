/** The User API under `/api`: create, read, list/filter, update, delete, recovery, logout. */
import { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SIMULATOR_CHOICES } from '../choices';
import { badRequest } from '../errors';
import { createUserBodySchema, parseOrBadRequest, updateUserBodySchema } from '../schemas';
import { toApiUser, type UserStore } from '../store';

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

export function registerUserRoutes(api: FastifyInstance, store: UserStore): void {
  api.post('/users', async (request, reply) => {
    const body = parseOrBadRequest(createUserBodySchema, request.body ?? {});
    const { user } = store.create(body);
    return reply
      .code(SIMULATOR_CHOICES.createStatus)
      .header('location', SIMULATOR_CHOICES.locationPath(user.id))
      .send(toApiUser(user));
  });

  api.get('/users', (request) => {
    const query = parseOrBadRequest(listQuerySchema, request.query, 'query');
    const requestedLimit = nonNegativeInteger('limit', query.limit) ?? SIMULATOR_CHOICES.defaultListLimit;
    if (requestedLimit < 1) throw badRequest('limit: must be at least 1');
    return store.list({
      filter: query.filter,
      query: query.query,
      sort: query.sort,
      limit: Math.min(requestedLimit, SIMULATOR_CHOICES.maxListLimit),
      offset: nonNegativeInteger('offset', query.offset) ?? 0,
    });
  });

  api.get('/users/:id', (request) => {
    const { id } = parseOrBadRequest(userParams, request.params, 'path');
    return toApiUser(store.get(id));
  });

  api.put('/users/:id', (request) => {
    const { id } = parseOrBadRequest(userParams, request.params, 'path');
    const body = parseOrBadRequest(updateUserBodySchema, request.body ?? {});
    return toApiUser(store.update(id, body));
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
