/**
 * Dev mode (no API key) trusts whoever can reach the port, which on a laptop includes every web page
 * its browser opens: a page can POST cross-site (a "simple" request needs no preflight), or rebind
 * its own DNS name to 127.0.0.1 and call the API as if same-origin. So a keyless API answers only
 * requests addressed to a loopback name (`Host`), and from no other browser origin than its own —
 * except the Temporal UI's codec calls (LIFECYCLE_CODEC_CORS_ORIGIN on `/codec/*`).
 */
import { type FastifyRequest } from 'fastify';
import { isCodecPath } from './codec-cors';
import { ApiError } from './errors';

/** The names a keyless API answers to (any port): what a DNS-rebinding page cannot claim. */
const LOOPBACK_HOST_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

const firstHeader = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/** The `host[:port]` of a Host header in its canonical form, or undefined when it is not a plain host. */
function canonicalHost(hostHeader: string | undefined): URL | undefined {
  if (!hostHeader || /[/?#@\s]/.test(hostHeader)) return undefined;
  try {
    return new URL(`http://${hostHeader}`);
  } catch {
    return undefined;
  }
}

/** Whether a `Host` header names this machine's loopback (localhost, 127.0.0.1, [::1]), with any port. */
export function isLoopbackHostHeader(hostHeader: string | undefined): boolean {
  const host = canonicalHost(hostHeader);
  return host !== undefined && LOOPBACK_HOST_NAMES.has(host.hostname);
}

/** Whether an `Origin` is the API's own origin (the HR console it serves), as addressed by `Host`. */
function isSameOrigin(origin: string, hostHeader: string | undefined): boolean {
  const host = canonicalHost(hostHeader);
  if (host === undefined || !URL.canParse(origin)) return false;
  const parsed = new URL(origin);
  return parsed.protocol === 'http:' && parsed.host === host.host;
}

/**
 * Throws a 421 for a Host that is not a loopback name, and a 403 for a browser request (it has an
 * `Origin`) from another origin than the API's own, unless it is the codec origin on a codec route.
 */
export function checkDevModeRequest(request: FastifyRequest, codecCorsOrigin: string | undefined): void {
  const hostHeader = firstHeader(request.headers.host);
  if (!isLoopbackHostHeader(hostHeader)) {
    throw new ApiError(
      421,
      'host_not_allowed',
      'Dev mode (no LIFECYCLE_API_KEY) answers only requests addressed to localhost, 127.0.0.1 or [::1]. ' +
        'Set LIFECYCLE_API_KEY (and LIFECYCLE_ADMIN_API_KEY) to serve other host names.',
    );
  }
  const origin = firstHeader(request.headers.origin);
  if (origin === undefined) return;
  if (codecCorsOrigin !== undefined && origin === codecCorsOrigin && isCodecPath(request.url)) return;
  if (!isSameOrigin(origin, hostHeader)) {
    throw new ApiError(
      403,
      'origin_not_allowed',
      'Dev mode (no LIFECYCLE_API_KEY) refuses browser requests from other origins: only its own HR console ' +
        '(and the Temporal UI named by LIFECYCLE_CODEC_CORS_ORIGIN, on /codec/*) may call it.',
    );
  }
}
