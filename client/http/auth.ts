/**
 * Bearer-key authentication with two keys (least privilege):
 * - LIFECYCLE_API_KEY, held by HR systems: the lifecycle routes (start, follow, cancel, correct);
 * - LIFECYCLE_ADMIN_API_KEY, held by support: everything, including support and bulk routes,
 *   delete-now, shorter retention, confirmations and the codec endpoint.
 * A wrong or missing key is a 401; the lifecycle key on an admin route a 403. Comparisons are
 * constant-time: both sides are hashed (SHA-256) to equal-length digests, which `timingSafeEqual`
 * compares without revealing, by timing, how much of a guess was right or how long the key is. The
 * keys are held only inside this closure.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { type FastifyRequest } from 'fastify';
import { ApiError } from './errors';

/** What a route needs: no key (`GET /health`), the HR systems' key, or the support key. */
export type RouteAccess = 'public' | 'lifecycle' | 'admin';

/** Who made a request, as far as the API can tell: the key used (never the key itself). */
export type CallerKey = 'lifecycle-key' | 'admin-key' | 'dev-mode' | 'none';

export interface ApiKeys {
  /** Undefined only in dev mode: every request passes. */
  apiKey?: string;
  adminApiKey?: string;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

const challenge = (error?: string) => ({
  'www-authenticate': error
    ? `Bearer realm="staffbase-lifecycle", error="${error}"`
    : 'Bearer realm="staffbase-lifecycle"',
});

/**
 * Returns the check for one request: the key the caller used, or throws a 401/403 {@link ApiError}.
 * Without any key configured (dev mode only) every request passes as `dev-mode`.
 */
export function bearerKeyCheck(keys: ApiKeys): (request: FastifyRequest, access: RouteAccess) => CallerKey {
  if (keys.apiKey === undefined && keys.adminApiKey === undefined) {
    return (_request, access) => (access === 'public' ? 'none' : 'dev-mode');
  }
  const lifecycle = keys.apiKey === undefined ? undefined : digest(keys.apiKey);
  const admin = keys.adminApiKey === undefined ? undefined : digest(keys.adminApiKey);
  return (request, access) => {
    if (access === 'public') return 'none';
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header) : null;
    if (!match?.[1]) {
      throw new ApiError(
        401,
        'unauthorized',
        'Send the API key as `Authorization: Bearer <key>`.',
        {},
        challenge(),
      );
    }
    const given = digest(match[1]);
    // Both comparisons always run: which key matched must not show in the timing either.
    const isAdmin = admin !== undefined && timingSafeEqual(given, admin);
    const isLifecycle = lifecycle !== undefined && timingSafeEqual(given, lifecycle);
    if (isAdmin) return 'admin-key';
    if (!isLifecycle) {
      throw new ApiError(401, 'unauthorized', 'The API key is not valid.', {}, challenge('invalid_token'));
    }
    if (access === 'admin') {
      throw new ApiError(
        403,
        'forbidden',
        admin === undefined
          ? 'This route needs the support key (LIFECYCLE_ADMIN_API_KEY), and none is configured.'
          : 'This route needs the support key (LIFECYCLE_ADMIN_API_KEY); the HR systems’ key may not use it.',
        {},
        challenge('insufficient_scope'),
      );
    }
    return 'lifecycle-key';
  };
}

/**
 * Who asked, for the audit log: the key used, the operator as the SSO proxy names them (only when
 * LIFECYCLE_TRUSTED_USER_HEADER is configured), and what the caller says of itself in `X-Requested-By`.
 */
export interface RequestedBy {
  key: CallerKey;
  /** From the trusted header (LIFECYCLE_TRUSTED_USER_HEADER), set by the SSO proxy; unset without one. */
  requestedBy?: string;
  /** `X-Requested-By`, self-asserted by the caller: kept for the record, never taken as who asked. */
  claimedBy?: string;
  /** The best name known: the trusted user, else the claimed one (e.g. a confirmation's default `confirmedBy`). */
  by?: string;
}

// eslint-disable-next-line no-control-regex -- exactly these are what a log line must not carry
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

/** A header's value made safe for one log line: first value, no control characters, trimmed, bounded. */
function headerText(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  const raw = Array.isArray(value) ? value[0] : value;
  const cleaned = raw?.replace(CONTROL_CHARACTERS, '').trim().slice(0, 100);
  return cleaned ? cleaned : undefined;
}

/** `X-Requested-By`, made safe for one log line; undefined when absent or empty. */
export function requestedByHeader(request: FastifyRequest): string | undefined {
  return headerText(request, 'x-requested-by');
}

/**
 * Returns who asked, per request. With a trusted header configured (the SSO proxy sets it and strips
 * it from what clients send), a keyed request without it is a 401: it did not come through the proxy.
 */
export function callerIdentity(
  trustedUserHeader: string | undefined,
): (request: FastifyRequest, key: CallerKey) => RequestedBy {
  const header = trustedUserHeader?.toLowerCase();
  return (request, key) => {
    const claimedBy = requestedByHeader(request);
    if (header === undefined || key === 'none') {
      return { key, ...(claimedBy !== undefined && { claimedBy, by: claimedBy }) };
    }
    const requestedBy = headerText(request, header);
    if (requestedBy === undefined) {
      throw new ApiError(
        401,
        'trusted_user_missing',
        `This API takes the operator's identity from the ${header} header of its SSO proxy ` +
          '(LIFECYCLE_TRUSTED_USER_HEADER), and the request has none: send it through the proxy.',
      );
    }
    return { key, requestedBy, by: requestedBy, ...(claimedBy !== undefined && { claimedBy }) };
  };
}
