/** Group membership under `/api`: members are listed with the `groups eq "<id>"` user filter. */
import { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SIMULATOR_CHOICES } from '../choices';
import { groupMembersBodySchema, parseOrBadRequest } from '../schemas';
import { type UserStore } from '../store';

const groupParams = z.object({ id: z.string().min(1) });

export function registerGroupRoutes(api: FastifyInstance, store: UserStore): void {
  // [choice] Groups exist implicitly: any group id is accepted, unknown user ids are a 400.
  api.post('/groups/:id/users', async (request, reply) => {
    const { id } = parseOrBadRequest(groupParams, request.params, 'path');
    const userIds = parseOrBadRequest(groupMembersBodySchema, request.body);
    store.addToGroup(id, userIds);
    return reply.code(SIMULATOR_CHOICES.emptyStatus).send();
  });
}
