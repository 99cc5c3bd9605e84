/**
 * Turns what came back (an HTTP status and body, a transport failure, a body that fails its schema)
 * into one of the typed errors. Retryability is decided by status only.
 */
import { type z } from 'zod';
import {
  type MalformedIssue,
  type StaffbaseApiError,
  type StaffbaseErrorDetails,
  StaffbaseAuthError,
  StaffbaseConflictError,
  StaffbaseMalformedResponseError,
  StaffbaseNotFoundError,
  StaffbaseRateLimitedError,
  StaffbaseTransientError,
  StaffbaseValidationError,
} from './errors';
import { type Redactor } from './redaction';
import { parseRetryAfter } from './retry-after';
import { staffbaseErrorBodySchema } from './schemas';

export interface FailedResponse {
  status: number;
  retryAfter: string | string[] | undefined;
  bodyText: string;
}

export function errorFromResponse(
  operation: string,
  response: FailedResponse,
  redact: Redactor,
): StaffbaseApiError {
  const { status } = response;
  const staffbase = staffbaseDetails(response.bodyText, redact);
  const init = { operation, status, staffbase, summary: `HTTP ${status}` };
  if (status === 429) {
    return new StaffbaseRateLimitedError({ ...init, retryAfterMs: parseRetryAfter(response.retryAfter) });
  }
  if (status >= 500 || status === 408) {
    return new StaffbaseTransientError({ ...init, retryAfterMs: parseRetryAfter(response.retryAfter) });
  }
  if (status === 401 || status === 403) return new StaffbaseAuthError(init);
  if (status === 404 || status === 410) return new StaffbaseNotFoundError(init);
  if (status === 409) return new StaffbaseConflictError(init);
  if (status >= 400) return new StaffbaseValidationError(init);
  // 1xx/3xx/unexpected 2xx: e.g. a redirect to a login page when the base URL is wrong.
  return new StaffbaseMalformedResponseError({ ...init, summary: `unexpected HTTP ${status}` });
}

/** No response at all: timeouts, refused/reset/dropped connections. All worth another try. */
export function errorFromTransport(
  operation: string,
  error: unknown,
  redact: Redactor,
): StaffbaseTransientError {
  const code = errorCode(error);
  const message = redact(error instanceof Error ? error.message : String(error));
  // A fresh, minimal cause: the transport's own error object may reference request options.
  const cause = new Error(message);
  cause.name = error instanceof Error ? error.name : 'Error';
  return new StaffbaseTransientError({
    operation,
    summary: `no response (${code ?? cause.name}: ${message})`,
    cause,
    ...(code !== undefined ? { code } : {}),
  });
}

export function malformedBody(
  operation: string,
  status: number,
  error: z.ZodError,
): StaffbaseMalformedResponseError {
  const issues: MalformedIssue[] = error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message,
  }));
  const shown = issues
    .slice(0, 3)
    .map((issue) => `${issue.path || '(body)'}: ${issue.message}`)
    .join('; ');
  const more = issues.length > 3 ? `; and ${issues.length - 3} more` : '';
  return new StaffbaseMalformedResponseError({
    operation,
    status,
    summary: `response body does not match the expected shape: ${shown}${more}`,
    issues,
  });
}

export function notJson(operation: string, status: number, contentType: string | undefined) {
  return new StaffbaseMalformedResponseError({
    operation,
    status,
    summary: `response body is not JSON (content-type ${contentType ?? 'missing'})`,
    issues: [{ path: '', message: 'not JSON' }],
  });
}

function staffbaseDetails(bodyText: string, redact: Redactor): StaffbaseErrorDetails | undefined {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    return undefined; // an HTML page from a proxy, or nothing
  }
  const parsed = staffbaseErrorBodySchema.safeParse(json);
  if (!parsed.success) return undefined;
  const details: StaffbaseErrorDetails = {};
  for (const key of ['traceId', 'type', 'ref', 'message', 'identifier'] as const) {
    const value = parsed.data[key];
    if (value !== undefined && value !== null) details[key] = redact(String(value)).slice(0, 500);
  }
  return Object.keys(details).length > 0 ? details : undefined;
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  // undici wraps socket errors (`UND_ERR_SOCKET` → `ECONNRESET`): the outermost code is the most specific.
  for (let depth = 0; depth < 3 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`,
    )
    .join('');
}
