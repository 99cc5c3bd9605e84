/**
 * zod schemas for what the Staffbase User API (plain `application/json` version) sends back, and the
 * inputs the client accepts. Types come from the schemas. Response objects are loose: unknown extra
 * fields pass through untouched, the fields this project uses are validated.
 */
import { z } from 'zod';

export const userStatusSchema = z.enum(['pending', 'activated', 'deactivated']);
export type UserStatus = z.infer<typeof userStatusSchema>;

export const userEmailSchema = z.looseObject({
  value: z.string(),
  // Only one address is primary; a missing flag means "not primary".
  primary: z
    .boolean()
    .nullish()
    .transform((primary) => primary ?? false),
  providerID: z.string().nullish(),
});
export type UserEmail = z.infer<typeof userEmailSchema>;

export const staffbaseUserSchema = z.looseObject({
  id: z.string().min(1),
  externalID: z.string().nullish(),
  // Nullable like every non-id field: users created by CSV/SSO can lack a userName, even names.
  userName: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  // Users without any address exist (username-only logins): normalised to an empty list.
  emails: z
    .array(userEmailSchema)
    .nullish()
    .transform((emails) => emails ?? []),
  status: userStatusSchema,
  role: z.string().nullish(),
  groupIDs: z.array(z.string()).nullish(),
  profile: z.record(z.string(), z.unknown()).nullish(),
  config: z.looseObject({ locale: z.string().nullish() }).nullish(),
  created: z.string().nullish(),
  updated: z.string().nullish(),
  activated: z.string().nullish(),
  deactivated: z.string().nullish(),
  // The invitation code; `expires` -1 means it never expires.
  secret: z
    .looseObject({
      plain: z.string().nullish(),
      expires: z.union([z.number(), z.string()]).nullish(),
    })
    .nullish(),
});
export type StaffbaseUser = z.infer<typeof staffbaseUserSchema>;

/** The `GET /users` envelope. */
export const userListSchema = z.looseObject({
  total: z.number().int().nonnegative(),
  limit: z.number().int().nonnegative().nullish(),
  offset: z.number().int().nonnegative().nullish(),
  data: z.array(staffbaseUserSchema),
});
export type UserList = z.infer<typeof userListSchema>;

export interface UserPage {
  total: number;
  limit: number;
  offset: number;
  users: StaffbaseUser[];
}

/** Staffbase's error body; every field is optional because proxies (Cloudflare) answer with HTML. */
export const staffbaseErrorBodySchema = z.looseObject({
  traceId: z.union([z.string(), z.number()]).nullish(),
  type: z.string().nullish(),
  ref: z.union([z.string(), z.number()]).nullish(),
  statusCode: z.number().nullish(),
  message: z.string().nullish(),
  identifier: z.union([z.string(), z.number()]).nullish(),
});

/** A new user, in this project's words; `wire-format.ts` maps it to the request body. */
export interface CreateUserInput {
  externalID: string;
  userName: string;
  firstName: string;
  lastName: string;
  /** Becomes the single, primary address. */
  email: string;
  /** true → Staffbase sends the invitation mail. */
  sendMail: boolean;
  locale?: string;
  groupIDs?: string[];
  profile?: Record<string, string>;
}

/** A partial change: only the fields present are sent, and only they change. */
export interface UserPatch {
  firstName?: string;
  lastName?: string;
  userName?: string;
  /** Replaces the user's addresses with this one as primary. */
  email?: string;
  profile?: Record<string, string>;
  groupIDs?: string[];
  locale?: string;
}
