/**
 * Support look-ups, read from Staffbase now through short, rate-limited workflows: a person's record
 * and groups, a group's members. An allow-list of fields: never the invitation code or another secret.
 */
import { z } from 'zod';
import { lookUpGroupMembers, lookUpUser } from '../../support-runs';
import {
  groupMembersLookupRequestSchema,
  userLookupRequestSchema,
} from '../../../lifecycle/support-requests';
import { ApiError } from '../errors';
import { type ApiRoute, parseRequest } from '../route-spec';
import { badRequest, isPlainObject, timeout, withoutSecret } from './support-common';

/** `GET /v1/groups/{groupId}/members` query: text formats here, ranges by the shared look-up schema. */
const groupMembersQuerySchema = z.strictObject({
  statuses: z
    .string()
    .regex(/^[a-z]+(,[a-z]+)*$/, 'must be a comma-separated list: pending, activated, deactivated')
    .optional()
    .meta({ description: 'Comma-separated; default: every status.' }),
  pageSize: z
    .string()
    .regex(/^\d{1,4}$/, 'must be a whole number from 1 to 200')
    .optional()
    .meta({ description: 'Users per list call (1–200, default 100).' }),
  limit: z
    .string()
    .regex(/^\d{1,5}$/, 'must be a whole number from 1 to 1000')
    .optional()
    .meta({ description: 'At most this many members are returned (1–1000, default 200).' }),
});

export const supportLookupRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/v1/people/{externalID}/staffbase',
    operationId: 'lookUpStaffbaseUser',
    tag: 'support',
    summary: "A person's Staffbase record and groups",
    description:
      'Read from Staffbase now (through a short, rate-limited workflow), in any status. An allow-list of ' +
      'fields: never the invitation code or another secret.',
    responses: {
      200: { description: '`user` (the record) and `groupIDs`.' },
      400: badRequest,
      404: { description: 'No Staffbase user has this externalID (`error: not_found`).', schema: 'Error' },
      504: timeout,
    },
    async handle(context) {
      const { body: request } = parseRequest({
        body: [userLookupRequestSchema, { externalID: context.params.externalID }],
      });
      const found = await lookUpUser(context.deps.temporalClient, request);
      if (found.result !== 'found') {
        throw new ApiError(404, 'not_found', `No Staffbase user with externalID "${request.externalID}".`, {
          externalID: request.externalID,
        });
      }
      return {
        statusCode: 200,
        body: { externalID: found.externalID, user: withoutSecret(found.user), groupIDs: found.groupIDs },
      };
    },
  },
  {
    method: 'GET',
    path: '/v1/groups/{groupId}/members',
    operationId: 'lookUpGroupMembers',
    tag: 'support',
    summary: "A Staffbase group's members",
    description:
      'Read from Staffbase now, every status unless `statuses` says otherwise. `total` counts every member; ' +
      'at most `limit` are returned (`truncated: true` when there are more). Never a secret.',
    query: groupMembersQuerySchema,
    responses: {
      200: { description: '`total`, `members`, `truncated`.' },
      400: badRequest,
      504: timeout,
    },
    async handle(context) {
      // Text formats by the query schema, values by the shared look-up schema: each field named once,
      // every problem of either in the same 400.
      const raw = isPlainObject(context.query) ? context.query : {};
      const text = (field: keyof typeof groupMembersQuerySchema.shape): string | undefined => {
        const parsed = groupMembersQuerySchema.shape[field].safeParse(raw[field]);
        return parsed.success ? parsed.data : undefined;
      };
      const query = { statuses: text('statuses'), pageSize: text('pageSize'), limit: text('limit') };
      const { body: request } = parseRequest({
        query: [groupMembersQuerySchema, context.query],
        body: [
          groupMembersLookupRequestSchema,
          Object.fromEntries(
            Object.entries({
              groupId: context.params.groupId,
              statuses: query.statuses?.split(','),
              pageSize: query.pageSize === undefined ? undefined : Number(query.pageSize),
              limit: query.limit === undefined ? undefined : Number(query.limit),
            }).filter(([, value]) => value !== undefined),
          ),
        ],
      });
      const result = await lookUpGroupMembers(context.deps.temporalClient, request);
      return { statusCode: 200, body: { ...result, members: result.members.map(withoutSecret) } };
    },
  },
];
