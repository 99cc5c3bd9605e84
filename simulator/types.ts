/**
 * Shapes shared by the simulator, its control routes and the typed control client. Kept free of
 * server imports so tests and demos can use them without loading Fastify.
 */

export type UserStatus = 'pending' | 'activated' | 'deactivated';
export type UserRole = 'admin' | 'editor' | 'moderator' | 'reader';
export type CreationType = 'csv' | 'direct' | 'scim' | 'sso';

export interface UserEmail {
  value: string;
  primary: boolean;
  providerID: string | null;
}

/**
 * The system profile fields: the legacy model keeps them at the top level of the user, the newer one
 * under `profile`. The simulator keeps each where it was sent (shapes decide what is refused).
 */
export const SYSTEM_PROFILE_FIELDS = [
  'position',
  'department',
  'location',
  'phoneNumber',
  'publicEmailAddress',
] as const;
export type SystemProfileField = (typeof SYSTEM_PROFILE_FIELDS)[number];
export type TopLevelProfileFields = Partial<Record<SystemProfileField, string>>;

/** A user as the plain `application/json` version of the User API returns it. */
export interface ApiUser extends TopLevelProfileFields {
  id: string;
  externalID: string | null;
  userName: string | null;
  firstName: string | null;
  lastName: string | null;
  emails: UserEmail[];
  status: UserStatus;
  role: UserRole;
  groupIDs: string[];
  profile: Record<string, unknown>;
  config: { locale: string | null };
  created: string;
  updated: string;
  activated: string | null;
  /** When the user was last deactivated; null while not deactivated (filterable as `deactivated`). */
  deactivated: string | null;
  secret: { plain: string; expires: number } | null;
}

/** The full record the simulator keeps: the API user plus what only tests may see. */
export interface SimulatedUserRecord extends ApiUser {
  creationType: CreationType;
  /** Sessions currently open (logins not yet ended). */
  sessions: number;
  /** Sessions ended by `DELETE /users/{id}/sessions` or by deactivation, over the user's life. */
  sessionsEnded: number;
  /** How many times `DELETE /users/{id}/sessions` was called for the user. */
  logoutRequests: number;
  /** How many recovery requests the API accepted for the user. */
  recoveryRequests: number;
}

/** What `POST /_simulator/users` accepts: any state a test needs, checked for uniqueness. */
export interface UserSeed {
  id?: string;
  externalID?: string | null;
  userName?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  emails?: Array<{ value: string; primary?: boolean; providerID?: string | null }>;
  status?: UserStatus;
  role?: UserRole;
  groupIDs?: string[];
  profile?: Record<string, unknown>;
  /** System profile fields kept at the top level (as the legacy model shows them). */
  topLevel?: TopLevelProfileFields;
  locale?: string | null;
  creationType?: CreationType;
  created?: string;
  updated?: string;
  activated?: string | null;
  deactivated?: string | null;
  sessions?: number;
}

/** One call the `/api` part of the simulator received. Never holds request headers. */
export interface CallRecord {
  method: string;
  /** Path without the query string, e.g. `/api/users/abc`. */
  path: string;
  /** Raw query string without the leading `?`, '' when there was none. */
  query: string;
  /** The JSON body of a POST/PUT/DELETE as received (tests check what a change sent). */
  body?: unknown;
  /** Route key as faults use it, e.g. `GET /users/:id`; `unmatched` for unknown paths. */
  routeKey: string;
  /** HTTP status answered; 0 when the connection was dropped by a fault. */
  status: number;
  /** ISO time the request arrived. */
  time: string;
  durationMs: number;
  /**
   * Set when a fault or the rate limit answered instead of the route; `reply-lost` when the route ran
   * (its effect happened) and a fault then replaced or dropped the answer.
   */
  outcome?: 'dropped' | 'fault' | 'rate-limited' | 'reply-lost';
}

/** `activated`: the user accepted the invitation (or logged in for the first time): pending → activated. */
export type EffectKind = 'created' | 'activated' | 'deactivated' | 'reactivated' | 'deleted' | 'logged-out';

/**
 * What the simulated tenant actually did to an account, whatever the client saw of it: tests count
 * these, not the answers, so a lost reply cannot hide a repeated effect.
 */
export interface EffectRecord {
  kind: EffectKind;
  userId: string;
  externalID: string | null;
  /** The account's status right before the effect; null for a create. */
  statusBefore: UserStatus | null;
  /**
   * `api`: a User API call; `studio`: an administrator by hand; `user`: the person themselves (the
   * last two through the simulator's control routes).
   */
  via: EffectActor;
  time: string;
}

export type EffectActor = 'api' | 'studio' | 'user';

export type MailKind = 'invitation' | 'recovery';

/** A mail the simulated tenant "sent". */
export interface MailRecord {
  kind: MailKind;
  to: string;
  userId: string;
  externalID: string | null;
  /** Invitation code or recovery code carried by the mail. */
  code: string;
  time: string;
}

/** A recovery request accepted by `POST /users/{id}/recovery`. */
export interface RecoveryRecord {
  userId: string;
  externalID: string | null;
  time: string;
}

/**
 * A fault for the requests whose route key matches `route` (`POST /users`, `GET /users/:id`, `*`).
 * Counters (`failNext`, `dropNext`) fire first and deterministically; the rates use the fault PRNG.
 */
export interface FaultSpec {
  route: string;
  /** Share 0..1 of matching requests answered with `errorStatus`. */
  errorRate?: number;
  /** The next N matching requests are answered with `errorStatus`. */
  failNext?: number;
  /** Status for injected errors (5xx, or a 4xx such as 403 to refuse chosen routes); default 503. */
  errorStatus?: number;
  /** Milliseconds added before every matching request is handled. */
  latencyMs?: number;
  /** Share 0..1 of matching requests whose connection is destroyed without an answer. */
  dropRate?: number;
  /** The next N matching requests have their connection destroyed without an answer. */
  dropNext?: number;
  /**
   * The next N matching requests are handled (their effect happens) and then the answer is lost:
   * replaced by `errorStatus` or, with `lostReplyAs: 'drop'`, the connection is destroyed.
   */
  lostReplyNext?: number;
  /** Share 0..1 of matching requests that are handled and then lose their answer. */
  lostReplyRate?: number;
  /** How a lost answer looks to the client; default 'error' (a 5xx). */
  lostReplyAs?: 'error' | 'drop';
}

export interface FaultSettings {
  faults: FaultSpec[];
  /** Seed of the fault PRNG, so rate-based faults repeat exactly across runs. */
  seed?: number;
}

/** A fault as currently configured, with the counters left. */
export interface FaultState extends FaultSpec {
  failNext: number;
  dropNext: number;
  lostReplyNext: number;
  /** Requests this fault matched so far. */
  matched: number;
}

export type RetryAfterMode = 'none' | 'seconds' | 'http-date';

/** Token bucket for `/api`: `burst` tokens, refilled at `requestsPerSecond`. */
export interface RateLimitSettings {
  requestsPerSecond: number;
  /** Bucket size; default max(1, ceil(requestsPerSecond)). */
  burst?: number;
  /** Whether and how 429 answers carry `Retry-After`; default 'seconds'. */
  retryAfter?: RetryAfterMode;
}

/** The Staffbase error body. */
export interface StaffbaseErrorBody {
  traceId: string;
  type: string;
  ref: string;
  statusCode: number;
  message: string;
  identifier: number;
}
