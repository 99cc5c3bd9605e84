/**
 * Media types and the mapping between this project's inputs and Staffbase's request/response bodies.
 * Staffbase picks the API version per endpoint by media type; [choice] the client speaks the oldest,
 * plain `application/json` version (the one the lifecycle guides use). A v3 mapping (`externalId`,
 * `email`, names under `profile`, …) would be another `WireFormat` here; callers do not change.
 */
import { type z } from 'zod';
import {
  DEFAULT_PROFILE_PLACEMENT,
  DEFAULT_PROFILE_UPDATE,
  type ProfilePlacement,
  type ProfileUpdateMode,
  isSystemProfileField,
} from './api-choices';
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

/** Where the tenant keeps the system profile fields, and how its PUT treats `profile` (api-choices). */
export interface ProfileModel {
  placement: ProfilePlacement;
  update: ProfileUpdateMode;
}

export const defaultProfileModel: ProfileModel = {
  placement: DEFAULT_PROFILE_PLACEMENT,
  update: DEFAULT_PROFILE_UPDATE,
};

/** The plain `application/json` version, with the profile fields placed per `model`. */
export function plainJsonWireFormatFor(model: ProfileModel): WireFormat {
  return {
    accept: 'application/json',
    contentType: 'application/json',

    createUserBody(input) {
      const { topLevel, profile } = placeProfile(model, input.profile ?? {}, undefined);
      return withoutUndefined({
        externalID: input.externalID,
        userName: input.userName,
        firstName: input.firstName,
        lastName: input.lastName,
        emails: [{ value: input.email, primary: true }],
        sendMail: input.sendMail,
        ...topLevel,
        profile,
        groupIDs: input.groupIDs,
        config: input.locale !== undefined ? { locale: input.locale } : undefined,
      });
    },

    // Partial by omission: PUT changes only the fields present in the body.
    userPatchBody(patch) {
      const { topLevel, profile } = placeProfile(model, patch.profile ?? {}, patch.profileAsRead);
      return withoutUndefined({
        firstName: patch.firstName,
        lastName: patch.lastName,
        userName: patch.userName,
        emails: patch.email !== undefined ? [{ value: patch.email, primary: true }] : undefined,
        ...topLevel,
        profile,
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

    // The reader takes system fields from either place (schemas.ts), whatever the placement.
    user: staffbaseAccountSchema,
    userList: userListSchema,
  };
}

/**
 * The project's `profile.<field>` values on the wire: system fields at the top level or under
 * `profile` (per placement), custom fields under `profile`. With `asRead` (a change that lists only
 * its changed fields) and a replacing PUT, the `profile` object sent is completed with the fields as
 * read that belong under it, so none is lost; a merging PUT gets only the changes. Never an empty
 * `profile` object: nothing under `profile` changes, nothing is sent there.
 */
function placeProfile(
  model: ProfileModel,
  fields: Readonly<Record<string, unknown>>,
  asRead: Readonly<Record<string, unknown>> | undefined,
): { topLevel: Record<string, unknown>; profile: Record<string, unknown> | undefined } {
  const entries = Object.entries(fields);
  const belowProfile = (field: string) => model.placement === 'profile' || !isSystemProfileField(field);
  const topLevel = Object.fromEntries(entries.filter(([field]) => !belowProfile(field)));
  const changes = Object.fromEntries(entries.filter(([field]) => belowProfile(field)));
  if (Object.keys(changes).length === 0) return { topLevel, profile: undefined };
  if (asRead === undefined || model.update === 'merge') return { topLevel, profile: changes };
  const kept = Object.fromEntries(Object.entries(asRead).filter(([field]) => belowProfile(field)));
  return { topLevel, profile: { ...kept, ...changes } };
}

/** The default profile model: system fields at the top level, profile replaced on PUT. */
export const plainJsonWireFormat: WireFormat = plainJsonWireFormatFor(defaultProfileModel);

/** The wire format the client uses. */
export const defaultWireFormat: WireFormat = plainJsonWireFormat;

function withoutUndefined(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
}
