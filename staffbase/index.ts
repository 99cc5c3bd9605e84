/** The Staffbase User API client: import from here. */
export { StaffbaseClient, type FindUsersParams, type ListUsersPageParams } from './client';
export { type StaffbaseClientConfig } from './config';
export * from './errors';
export { parseRetryAfter } from './retry-after';
export { and, equals, quoteFilterValue, statusCondition } from './filters';
export {
  type AccountStatus,
  type CreateUserInput,
  type StaffbaseAccount,
  type StaffbaseUser,
  type UnmanagedUser,
  isManagedUser,
  type UserEmail,
  type UserPage,
  type UserPatch,
  type UserStatus,
} from './schemas';
