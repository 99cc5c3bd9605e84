/**
 * Every behaviour of the simulator that Staffbase does not document lives here, so one place changes
 * when a real tenant shows otherwise. simulator/README.md has the same list as a table.
 */
import { type CreationType, type RetryAfterMode, type UserRole } from './types';

export const SIMULATOR_CHOICES = {
  /** `GET /users` page size when `limit` is missing (documented default). */
  defaultListLimit: 100,
  /** Larger `limit` values are clamped to this; the envelope reports the applied limit. */
  maxListLimit: 1000,
  /** Role of a created user when the body sends none. */
  defaultRole: 'reader' satisfies UserRole as UserRole,
  /** `creationType` of users made through `POST /users`. */
  apiCreationType: 'direct' satisfies CreationType as CreationType,
  /** `sendMail` when the create body omits it. */
  defaultSendMail: false,
  /** `secret.expires` of a fresh invitation code: -1 = never expires. */
  invitationExpires: -1,
  /** Status answered by `POST /users`; a client should also accept 200. */
  createStatus: 201,
  /** Status of `DELETE /users/{id}`, `DELETE /users/{id}/sessions`, recovery and group add. */
  emptyStatus: 204,
  /** `Location` of a created user: the API path, relative to the host. */
  locationPath: (id: string): string => `/api/users/${id}`,
  /** Uniqueness: externalID compared exactly, userName and primary email case-insensitively. */
  caseInsensitiveUnique: ['userName', 'email'] as const,
  /** After activation the invitation code is spent: `secret` becomes null. */
  clearSecretOnActivation: true,
  /** Deactivation ends the user's open sessions (a deactivated user cannot stay logged in). */
  deactivationEndsSessions: true,
  /** Status of a control login refused because the user is deactivated. */
  loginRefusedStatus: 409,
  /** Default status of an injected 5xx fault. */
  defaultFaultStatus: 503,
  /** `Retry-After` form on 429 when the rate limit settings do not say. */
  defaultRetryAfter: 'seconds' satisfies RetryAfterMode as RetryAfterMode,
  /** Call log entries kept (oldest dropped first), so a long `npm start` does not grow without bound. */
  maxCallLogEntries: 10_000,
  /** Status a seeded user gets when the seed names none. */
  defaultSeedStatus: 'activated' as const,
} as const;

/** Error `ref`/`identifier` pairs. Only 401 `ERROR_LOGIN_REQUIRED`/40102 was seen on a real tenant. */
export const ERROR_KINDS = {
  badRequest: { status: 400, type: 'BadRequestError', ref: 'ERROR_INVALID_REQUEST', identifier: 40000 },
  unauthorized: { status: 401, type: 'UnauthorizedError', ref: 'ERROR_LOGIN_REQUIRED', identifier: 40102 },
  /** A token below the Administrative level (or a route injected to refuse). */
  forbidden: { status: 403, type: 'ForbiddenError', ref: 'ERROR_ACCESS_DENIED', identifier: 40300 },
  notFound: { status: 404, type: 'NotFoundError', ref: 'ERROR_NOT_FOUND', identifier: 40400 },
  conflict: { status: 409, type: 'ConflictError', ref: 'ERROR_DUPLICATE_ENTITY', identifier: 40900 },
  unsupportedMediaType: {
    status: 415,
    type: 'UnsupportedMediaTypeError',
    ref: 'ERROR_UNSUPPORTED_MEDIA_TYPE',
    identifier: 41500,
  },
  tooManyRequests: {
    status: 429,
    type: 'TooManyRequestsError',
    ref: 'ERROR_TOO_MANY_REQUESTS',
    identifier: 42900,
  },
  internal: { status: 500, type: 'InternalServerError', ref: 'ERROR_INTERNAL', identifier: 50000 },
} as const;

export type ErrorKind = keyof typeof ERROR_KINDS;
