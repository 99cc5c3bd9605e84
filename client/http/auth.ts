/**
 * Bearer-key authentication: `Authorization: Bearer <LIFECYCLE_API_KEY>` on every route not marked
 * public. The comparison is constant-time: both keys are hashed (SHA-256) to equal-length digests,
 * which `timingSafeEqual` compares without revealing, by timing, how much of a guess was right or
 * how long the key is. The key itself is held only inside this closure.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { type FastifyRequest } from 'fastify';
import { ApiError } from './errors';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

const challenge = (error?: string) => ({
  'www-authenticate': error
    ? `Bearer realm="staffbase-lifecycle", error="${error}"`
    : 'Bearer realm="staffbase-lifecycle"',
});

/**
 * Returns the check for one request: throws a 401 {@link ApiError} when the key is missing or wrong.
 * `apiKey` undefined (dev mode only) lets every request through.
 */
export function bearerKeyCheck(apiKey: string | undefined): (request: FastifyRequest) => void {
  if (apiKey === undefined) return () => undefined;
  const expected = digest(apiKey);
  return (request) => {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header) : null;
    if (!match?.[1]) {
      throw new ApiError(
        401,
        'unauthorized',
        'Send the API key as `Authorization: Bearer <LIFECYCLE_API_KEY>`.',
        {},
        challenge(),
      );
    }
    if (!timingSafeEqual(digest(match[1]), expected)) {
      throw new ApiError(401, 'unauthorized', 'The API key is not valid.', {}, challenge('invalid_token'));
    }
  };
}
