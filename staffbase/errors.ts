/**
 * The client's typed errors. Every failure is classified here, once, by HTTP status (never by
 * Staffbase's `ref`), so callers decide retries with `retryable` / `kind` alone. Errors carry no
 * request headers and no token.
 */

export type StaffbaseErrorKind =
  | 'validation'
  | 'auth'
  | 'not-found'
  | 'conflict'
  | 'rate-limited'
  | 'transient'
  | 'malformed-response'
  | 'unmanaged-user'
  | 'unreadable-write';

/** What Staffbase said in its error body, when it said anything. */
export interface StaffbaseErrorDetails {
  traceId?: string;
  type?: string;
  ref?: string;
  message?: string;
  identifier?: string;
}

export interface StaffbaseErrorInit {
  operation: string;
  status?: number;
  staffbase?: StaffbaseErrorDetails;
  /** What went wrong, without the operation (added in front). */
  summary: string;
  cause?: Error;
}

export abstract class StaffbaseApiError extends Error {
  /** The client method that failed, e.g. `createUser`. */
  readonly operation: string;
  /** What went wrong, without the operation and without Staffbase's words (see `loggableMessage`). */
  readonly summary: string;
  // `declare`: optional facts are absent, not `undefined` own properties, when unknown.
  declare readonly status?: number;
  declare readonly staffbase?: StaffbaseErrorDetails;
  abstract readonly retryable: boolean;
  abstract readonly kind: StaffbaseErrorKind;

  constructor(init: StaffbaseErrorInit) {
    super(
      `${init.operation}: ${init.summary}${describeStaffbase(init.staffbase)}`,
      init.cause ? { cause: init.cause } : undefined,
    );
    this.name = new.target.name;
    this.operation = init.operation;
    this.summary = init.summary;
    if (init.status !== undefined) this.status = init.status;
    if (init.staffbase !== undefined) this.staffbase = init.staffbase;
  }
}

/** 400 (and other client-side refusals): the request itself is wrong; retrying cannot help. */
export class StaffbaseValidationError extends StaffbaseApiError {
  readonly retryable = false;
  readonly kind = 'validation';
}

/** 401 missing/bad token, 403 token not Administrative. */
export class StaffbaseAuthError extends StaffbaseApiError {
  readonly retryable = false;
  readonly kind = 'auth';
}

/** 404: no such user (usually deleted). */
export class StaffbaseNotFoundError extends StaffbaseApiError {
  readonly retryable = false;
  readonly kind = 'not-found';
}

export type ConflictField = 'userName' | 'email' | 'externalID';

/** 409: a unique field (userName, email, externalID) is taken by another user. */
export class StaffbaseConflictError extends StaffbaseApiError {
  readonly retryable = false;
  readonly kind = 'conflict';
  /** The taken field, when Staffbase's message or identifier names it. */
  declare readonly field?: ConflictField;

  constructor(init: StaffbaseErrorInit) {
    super(init);
    const field = conflictFieldOf(init.staffbase);
    if (field !== undefined) this.field = field;
  }
}

/** 429: over the contract's rate limit. */
export class StaffbaseRateLimitedError extends StaffbaseApiError {
  readonly retryable = true;
  readonly kind = 'rate-limited';
  /** From `Retry-After`, when the response had a readable one. */
  declare readonly retryAfterMs?: number;

  constructor(init: StaffbaseErrorInit & { retryAfterMs?: number }) {
    super(init);
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
  }
}

/** 5xx, 408, timeouts, refused/reset/dropped connections: worth another try. */
export class StaffbaseTransientError extends StaffbaseApiError {
  readonly retryable = true;
  readonly kind = 'transient';
  /** A 503 may say when to come back. */
  declare readonly retryAfterMs?: number;
  /** The transport's error code (`UND_ERR_HEADERS_TIMEOUT`, `ECONNREFUSED`, …) when no response came. */
  declare readonly code?: string;

  constructor(init: StaffbaseErrorInit & { retryAfterMs?: number; code?: string }) {
    super(init);
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.code !== undefined) this.code = init.code;
  }
}

export interface MalformedIssue {
  /** e.g. `data[2].emails[0].value`; empty for the body itself. */
  path: string;
  message: string;
}

/**
 * A response this client cannot read: a body that fails the schema, is not JSON, or an unexpected
 * status (e.g. a redirect to a login page). Retrying gives the same answer.
 */
export class StaffbaseMalformedResponseError extends StaffbaseApiError {
  readonly retryable = false;
  readonly kind = 'malformed-response';
  readonly issues: MalformedIssue[];

  constructor(init: StaffbaseErrorInit & { issues?: MalformedIssue[] }) {
    super(init);
    this.issues = init.issues ?? [];
  }
}

/**
 * A response body larger than the client reads (`maxResponseBytes`): refused unread, so a broken or
 * hostile endpoint cannot fill the worker's memory. A page of users is far smaller; retrying gets the
 * same answer.
 */
export class StaffbaseResponseTooLargeError extends StaffbaseMalformedResponseError {
  readonly limitBytes: number;

  constructor(init: StaffbaseErrorInit & { limitBytes: number }) {
    super(init);
    this.limitBytes = init.limitBytes;
  }
}

/**
 * The user exists but in a status this project does not manage (`contact`, or one nobody has seen
 * yet): acting on it (adopting, deactivating, deleting) could harm an account HR does not own here.
 */
export class StaffbaseUnmanagedUserError extends StaffbaseApiError {
  readonly retryable = false;
  readonly kind = 'unmanaged-user';
  /** The status as the server sent it. */
  readonly reportedStatus: string;

  constructor(init: StaffbaseErrorInit & { reportedStatus: string }) {
    super(init);
    this.reportedStatus = init.reportedStatus;
  }
}

/**
 * A write (create, update) was answered with a success status, but neither its body nor a read-back
 * showed the result: the write may or may not have taken effect. Never retry the write blindly;
 * look the user up (by externalID) and act on what is there. Not retryable on its own.
 */
export class StaffbaseUnreadableWriteError extends StaffbaseApiError {
  readonly retryable = false;
  readonly kind = 'unreadable-write';
}

export function isStaffbaseApiError(error: unknown): error is StaffbaseApiError {
  return error instanceof StaffbaseApiError;
}

/**
 * The message without Staffbase's own words, which can quote the values of the request (a 409's
 * "userName ada.lovelace is taken"): what may go into failures that are logged. Staffbase's codes
 * (ref, type, identifier, traceId) stay.
 */
export function loggableMessage(error: StaffbaseApiError): string {
  const { message: _words, ...codes } = error.staffbase ?? {};
  return `${error.operation}: ${error.summary}${describeStaffbase(error.staffbase && codes)}`;
}

function describeStaffbase(details: StaffbaseErrorDetails | undefined): string {
  if (!details) return '';
  const facts = [
    details.ref !== undefined ? `ref ${details.ref}` : undefined,
    details.type !== undefined ? `type ${details.type}` : undefined,
    details.identifier !== undefined ? `identifier ${details.identifier}` : undefined,
    details.traceId !== undefined ? `traceId ${details.traceId}` : undefined,
  ].filter((fact) => fact !== undefined);
  const message = details.message !== undefined ? ` "${details.message}"` : '';
  const suffix = facts.length > 0 ? ` (${facts.join(', ')})` : '';
  return message || suffix ? ` — Staffbase:${message}${suffix}` : '';
}

function conflictFieldOf(details: StaffbaseErrorDetails | undefined): ConflictField | undefined {
  // Quoted parts are the conflicting *values* (an address may well contain "username"): ignore them.
  const text = [details?.identifier, details?.message]
    .filter(Boolean)
    .join(' ')
    .replace(/"[^"]*"|'[^']*'/g, '');
  const matches = [
    { field: 'externalID', at: text.search(/external[\s_-]?id/i) },
    { field: 'userName', at: text.search(/user[\s_-]?name/i) },
    { field: 'email', at: text.search(/e-?mail/i) },
  ] as const;
  // The first field named wins: "userName: a user with the email … exists" is about the userName.
  const named = matches.filter((match) => match.at >= 0).sort((a, b) => a.at - b.at);
  return named[0]?.field;
}
