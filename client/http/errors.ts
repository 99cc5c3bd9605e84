import { WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
/**
 * Every error the HR API answers with has one shape: `{ error: <code>, message, …details }`, where
 * `error` is a stable machine-readable code (the table in `errorCodes`) and `message` is for people.
 * Errors are turned into responses in exactly one place: {@link errorResponse}.
 */
import { ActionRefusedError, InvalidActionInputError, NoOpenRunError } from '../lifecycle-actions';
import { InvalidLifecycleRequestError } from '../lifecycle-runs';
import { type FieldProblem } from '../../lifecycle/validation';

export const errorCodes = {
  invalid_request: 'A field of the body, the path or the query is invalid; `problems` lists every one.',
  malformed_json: 'The body is not valid JSON.',
  unauthorized: 'The Authorization header is missing or does not carry the API key.',
  forbidden: 'The key is valid but may not use this route (support routes need LIFECYCLE_ADMIN_API_KEY).',
  origin_not_allowed:
    'A browser request from an origin other than the configured Temporal UI (dev mode: other than the API’s own).',
  host_not_allowed: 'Dev mode (no key) answers only requests addressed to localhost, 127.0.0.1 or [::1].',
  trusted_user_missing:
    'LIFECYCLE_TRUSTED_USER_HEADER is set and the request does not carry that header (from the SSO proxy).',
  not_found: 'No such route, or no runs for this person.',
  no_open_run: 'The person has no open run of this lifecycle to act on (never started, or finished).',
  already_completed: 'A run for this person completed earlier; add `?rerun=true` to start a new one.',
  action_refused: 'The run is open but refused the action; `reason` says why (e.g. LegalHold).',
  'not-awaiting-confirmation':
    'A bulk run was confirmed outside phase `awaiting-confirmation` (still counting, running, or ended); `phase` says which.',
  payload_too_large: 'The body is larger than the limit.',
  unsupported_media_type: 'The body is not JSON (send Content-Type: application/json).',
  temporal_unavailable: 'Temporal cannot be reached right now; retry later.',
  temporal_timeout: 'Temporal (or a worker) did not answer in time; the action may still take effect.',
  audit_unavailable:
    'The act was carried out, but its row in the audit trail could not be written (its log line was); the server log has the details.',
  internal_error: 'An unexpected error; the server log has the details.',
} as const;
export type ErrorCode = keyof typeof errorCodes;

export interface ErrorBody {
  error: ErrorCode;
  message: string;
  [detail: string]: unknown;
}

/** An error that already knows its HTTP answer. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  static invalid(problems: FieldProblem[]): ApiError {
    return new ApiError(
      400,
      'invalid_request',
      `${problems.length} invalid field${problems.length === 1 ? '' : 's'}: ${problems.map((p) => p.field).join(', ')}`,
      { problems },
    );
  }
}

export interface ErrorResponse {
  statusCode: number;
  body: ErrorBody;
  headers: Record<string, string>;
  /** Unexpected: log it with its stack. */
  unexpected: boolean;
}

const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

/**
 * Why a Temporal call failed, when it is about reaching Temporal: `unavailable` (no server) or
 * `timeout` (the request's deadline passed, e.g. a query or update no worker answered). Looks
 * through the cause chain, where the SDK keeps the gRPC status.
 */
export function temporalCallFailure(error: unknown): 'unavailable' | 'timeout' | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    if (typeof current !== 'object') return undefined;
    // The SDK wraps an update whose deadline passed, sometimes without the gRPC code on its cause.
    if (current instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return 'timeout';
    const code = (current as { code?: unknown }).code;
    if (code === GRPC_UNAVAILABLE) return 'unavailable';
    if (code === GRPC_DEADLINE_EXCEEDED) return 'timeout';
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

interface FastifyLikeError {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
}

/** Fastify's refusal of a body over the route's limit. */
export function isBodyTooLarge(error: unknown): boolean {
  if (error instanceof ApiError) return false; // a route's own answer, already saying which limit
  const fastifyError = (typeof error === 'object' && error !== null ? error : {}) as FastifyLikeError;
  return fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fastifyError.statusCode === 413;
}

/** The HTTP answer to any error a route or Fastify itself raised. */
export function errorResponse(error: unknown, bodyLimit: number): ErrorResponse {
  const answer = (
    statusCode: number,
    code: ErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): ErrorResponse => ({
    statusCode,
    body: { error: code, message, ...details },
    headers,
    unexpected: code === 'internal_error',
  });

  if (error instanceof ApiError) {
    return answer(error.statusCode, error.code, error.message, error.details, error.headers);
  }
  if (error instanceof NoOpenRunError) {
    return answer(404, 'no_open_run', error.message, {
      lifecycle: error.lifecycle,
      externalID: error.externalID,
    });
  }
  if (error instanceof ActionRefusedError) {
    return answer(409, 'action_refused', error.message, { reason: error.reasonCode });
  }
  if (error instanceof InvalidLifecycleRequestError) {
    // The routes validate with the same schemas first, so this is a last line of defence.
    return answer(400, 'invalid_request', error.message, { problems: error.problems });
  }
  if (error instanceof InvalidActionInputError) {
    return answer(400, 'invalid_request', error.message, {
      problems: [{ field: error.field, message: error.message }],
    });
  }
  const temporalFailure = temporalCallFailure(error);
  if (temporalFailure === 'unavailable') {
    return answer(
      503,
      'temporal_unavailable',
      'Temporal cannot be reached right now; retry later.',
      {},
      {
        'retry-after': '5',
      },
    );
  }
  if (temporalFailure === 'timeout') {
    return answer(
      504,
      'temporal_timeout',
      'Temporal did not answer in time (is a worker running?). An action may still take effect: ' +
        'check GET /v1/people/{externalID} before retrying.',
    );
  }

  // Fastify's own errors: body parsing, size, media type.
  const fastifyError = (typeof error === 'object' && error !== null ? error : {}) as FastifyLikeError;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return answer(413, 'payload_too_large', `The body must be at most ${bodyLimit} bytes.`, {
        limitBytes: bodyLimit,
      });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return answer(415, 'unsupported_media_type', 'Send the body as JSON (Content-Type: application/json).');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return answer(400, 'malformed_json', 'The Content-Length header does not match the body.');
    default:
      break;
  }
  const statusCode = typeof fastifyError.statusCode === 'number' ? fastifyError.statusCode : 500;
  if (statusCode === 400) {
    // JSON syntax errors and prototype-poisoning attempts; the parser's message names the position.
    const detail = typeof fastifyError.message === 'string' ? fastifyError.message : 'invalid JSON';
    return answer(400, 'malformed_json', `The body is not valid JSON: ${detail}`);
  }
  if (statusCode === 413) {
    return answer(413, 'payload_too_large', `The body must be at most ${bodyLimit} bytes.`, {
      limitBytes: bodyLimit,
    });
  }
  if (statusCode === 415) {
    return answer(415, 'unsupported_media_type', 'Send the body as JSON (Content-Type: application/json).');
  }
  return answer(500, 'internal_error', 'An unexpected error occurred; the server log has the details.');
}
