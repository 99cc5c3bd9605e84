/** zod schemas for every body the simulator accepts, and for its data file. */
import { z } from 'zod';
import { badRequest } from './errors';

export const userStatusSchema = z.enum(['pending', 'activated', 'deactivated']);
export const userRoleSchema = z.enum(['admin', 'editor', 'moderator', 'reader']);
export const creationTypeSchema = z.enum(['csv', 'direct', 'scim', 'sso']);
const isoDate = z.iso.datetime({ offset: true });

const emailInputSchema = z.object({
  value: z.email(),
  primary: z.boolean().optional(),
  providerID: z.string().nullable().optional(),
});
const profileSchema = z.record(z.string(), z.unknown());
const groupIdsSchema = z.array(z.string().min(1));
/** The system profile fields at the top level of a body (the legacy model); null removes one. */
const topLevelProfileFields = {
  position: z.string().nullable().optional(),
  department: z.string().nullable().optional(),
  location: z.string().nullable().optional(),
  phoneNumber: z.string().nullable().optional(),
  publicEmailAddress: z.string().nullable().optional(),
};
const configSchema = z.object({ locale: z.string().min(2).nullable().optional() }).passthrough();

/** `POST /api/users`. Unknown fields are ignored, like read-only ones (`id`, `created`, …). */
export const createUserBodySchema = z.object({
  externalID: z.string().min(1).nullable().optional(),
  userName: z.string().min(1).nullable().optional(),
  firstName: z.string().min(1),
  lastName: z.string().min(1),
  emails: z.array(emailInputSchema).nullable().optional(),
  sendMail: z.boolean().optional(),
  profile: profileSchema.nullable().optional(),
  groupIDs: groupIdsSchema.nullable().optional(),
  config: configSchema.nullable().optional(),
  role: userRoleSchema.nullable().optional(),
  ...topLevelProfileFields,
});
export type CreateUserBody = z.infer<typeof createUserBodySchema>;

/** `PUT /api/users/{id}`: every field optional; only sent fields change. */
export const updateUserBodySchema = z.object({
  externalID: z.string().min(1).nullable().optional(),
  userName: z.string().min(1).nullable().optional(),
  firstName: z.string().min(1).optional(),
  lastName: z.string().min(1).optional(),
  emails: z.array(emailInputSchema).optional(),
  status: z.enum(['activated', 'deactivated']).optional(),
  profile: profileSchema.nullable().optional(),
  groupIDs: groupIdsSchema.nullable().optional(),
  config: configSchema.nullable().optional(),
  role: userRoleSchema.optional(),
  ...topLevelProfileFields,
});
export type UpdateUserBody = z.infer<typeof updateUserBodySchema>;

/** `POST /api/groups/{groupID}/users`: a bare array of user ids. */
export const groupMembersBodySchema = z.array(z.string().min(1));

/** `POST /_simulator/users`. */
export const userSeedSchema = z.object({
  id: z
    .string()
    .regex(/^[0-9a-f]{24}$/, 'must be 24 lowercase hex characters')
    .optional(),
  externalID: z.string().min(1).nullable().optional(),
  userName: z.string().min(1).nullable().optional(),
  firstName: z.string().nullable().optional(),
  lastName: z.string().nullable().optional(),
  emails: z.array(emailInputSchema).optional(),
  status: userStatusSchema.optional(),
  role: userRoleSchema.optional(),
  groupIDs: groupIdsSchema.optional(),
  profile: profileSchema.optional(),
  topLevel: z
    .object({
      position: z.string().optional(),
      department: z.string().optional(),
      location: z.string().optional(),
      phoneNumber: z.string().optional(),
      publicEmailAddress: z.string().optional(),
    })
    .optional(),
  locale: z.string().nullable().optional(),
  creationType: creationTypeSchema.optional(),
  created: isoDate.optional(),
  updated: isoDate.optional(),
  activated: isoDate.nullable().optional(),
  deactivated: isoDate.nullable().optional(),
  sessions: z.number().int().min(0).optional(),
});

const share = z.number().min(0).max(1);
const count = z.number().int().min(0);

export const faultSpecSchema = z.object({
  route: z.string().min(1),
  errorRate: share.optional(),
  failNext: count.optional(),
  /** 5xx, or a 4xx such as 403 to refuse chosen routes. */
  errorStatus: z.number().int().min(400).max(599).optional(),
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  dropRate: share.optional(),
  dropNext: count.optional(),
  lostReplyNext: count.optional(),
  lostReplyRate: share.optional(),
  lostReplyAs: z.enum(['error', 'drop']).optional(),
});

/** `PUT /_simulator/faults`: replaces all faults. */
export const faultSettingsSchema = z.object({
  faults: z.array(faultSpecSchema),
  seed: z.number().int().optional(),
});

export const rateLimitSettingsSchema = z.object({
  requestsPerSecond: z.number().positive(),
  burst: z.number().int().min(1).optional(),
  retryAfter: z.enum(['none', 'seconds', 'http-date']).optional(),
});

/** `PUT /_simulator/rate-limit`: `null` turns the limit off. */
export const rateLimitBodySchema = z.object({ rateLimit: rateLimitSettingsSchema.nullable() });

const emailRecordSchema = z.object({
  value: z.string(),
  primary: z.boolean(),
  providerID: z.string().nullable(),
});

/** One user in the data file (the full simulator record). */
export const userRecordSchema = z.object({
  id: z.string(),
  externalID: z.string().nullable(),
  userName: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  emails: z.array(emailRecordSchema),
  status: userStatusSchema,
  role: userRoleSchema,
  groupIDs: z.array(z.string()),
  profile: profileSchema,
  position: z.string().optional(),
  department: z.string().optional(),
  location: z.string().optional(),
  phoneNumber: z.string().optional(),
  publicEmailAddress: z.string().optional(),
  config: z.object({ locale: z.string().nullable() }),
  created: z.string(),
  updated: z.string(),
  activated: z.string().nullable(),
  secret: z.object({ plain: z.string(), expires: z.number() }).nullable(),
  creationType: creationTypeSchema,
  deactivated: z.string().nullable(),
  sessions: z.number().int().min(0),
  sessionsEnded: z.number().int().min(0),
  logoutRequests: z.number().int().min(0),
  recoveryRequests: z.number().int().min(0),
});

export const dataFileSchema = z.object({
  version: z.literal(1),
  users: z.array(userRecordSchema),
});
export type DataFile = z.infer<typeof dataFileSchema>;

/** "emails.0.value: Invalid email address; firstName: …" — names every field at fault. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** Parses a body or query against a schema; a failure is a Staffbase 400 naming the fields. */
export function parseOrBadRequest<T>(schema: z.ZodType<T>, value: unknown, what = 'body'): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badRequest(`${what}: ${describeZodError(parsed.error)}`);
  return parsed.data;
}
