/**
 * Media types and the mapping between this project's inputs and Staffbase's request/response bodies.
 * Staffbase picks the API version per endpoint by media type; [choice] the client speaks the oldest,
 * plain `application/json` version (the one the lifecycle guides use). A v3 mapping (`externalId`,
 * `email`, names under `profile`, …) would be another `WireFormat` here; callers do not change.
 */
import { type z } from 'zod';
import {
  type CreateUserInput,
  type StaffbaseAccount,
  type UserList,
  type UserPatch,
  type UserStatus,
  staffbaseAccountSchema,
  userListSchema,
} from './schemas';

export interface WireFormat {
  /** `Accept` for every request. */
  readonly accept: string;
  /** `Content-Type` of request bodies. */
  readonly contentType: string;
  createUserBody(input: CreateUserInput): unknown;
  userPatchBody(patch: UserPatch): unknown;
  statusChangeBody(status: UserStatus): unknown;
  groupMembersBody(userIds: readonly string[]): unknown;
  /**
   * Response schemas, producing the plain-JSON user shape whatever the wire says. They read users in
   * any status; the client decides which of them it hands out (only managed ones, for single reads).
   */
  readonly user: z.ZodType<StaffbaseAccount>;
  readonly userList: z.ZodType<UserList>;
}

export const plainJsonWireFormat: WireFormat = {
  accept: 'application/json',
  contentType: 'application/json',

  createUserBody(input) {
    return withoutUndefined({
      externalID: input.externalID,
      userName: input.userName,
      firstName: input.firstName,
      lastName: input.lastName,
      emails: [{ value: input.email, primary: true }],
      sendMail: input.sendMail,
      profile: input.profile,
      groupIDs: input.groupIDs,
      config: input.locale !== undefined ? { locale: input.locale } : undefined,
    });
  },

  // Partial by omission: PUT changes only the fields present in the body.
  userPatchBody(patch) {
    return withoutUndefined({
      firstName: patch.firstName,
      lastName: patch.lastName,
      userName: patch.userName,
      emails: patch.email !== undefined ? [{ value: patch.email, primary: true }] : undefined,
      profile: patch.profile,
      groupIDs: patch.groupIDs,
      config: patch.locale !== undefined ? { locale: patch.locale } : undefined,
    });
  },

  // `status` replaced the removed `enabled` flag.
  statusChangeBody(status) {
    return { status };
  },

  // A bare JSON array of user ids.
  groupMembersBody(userIds) {
    return [...userIds];
  },

  user: staffbaseAccountSchema,
  userList: userListSchema,
};

/** The wire format the client uses. */
export const defaultWireFormat: WireFormat = plainJsonWireFormat;

function withoutUndefined(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
}
