/**
 * CORS for the codec endpoint: the Temporal UI calls `/codec/decode` from the browser, on another
 * origin than the HR API. Exactly one origin is allowed (LIFECYCLE_CODEC_CORS_ORIGIN, `npm start`:
 * its own UI), and only on the codec routes; every other route stays same-origin. A browser request
 * from any other origin is refused before its key is even looked at.
 */
import { type FastifyInstance, type FastifyRequest } from 'fastify';
import { ApiError } from './errors';

export const CODEC_PATHS = ['/codec/decode', '/codec/encode'] as const;

export function isCodecPath(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return (CODEC_PATHS as readonly string[]).includes(path.replace(/\/$/, ''));
}

/** Throws a 403 for a browser request (it has an Origin) to a codec route from another origin. */
export function checkCodecOrigin(request: FastifyRequest, allowedOrigin: string | undefined): void {
  const { origin } = request.headers;
  if (origin === undefined || !isCodecPath(request.url)) return;
  if (origin !== allowedOrigin) {
    throw new ApiError(
      403,
      'origin_not_allowed',
      'The codec endpoint answers browsers only from the Temporal UI named by LIFECYCLE_CODEC_CORS_ORIGIN.',
    );
  }
}

/**
 * The preflights (`OPTIONS`) of the codec routes: no key needed (browsers never send one in a
 * preflight), allowed headers as the UI sends them (`X-Namespace`, and `Authorization` when it passes
 * a token).
 */
export function codecPreflightRoutes(app: FastifyInstance, allowedOrigin: string | undefined): void {
  for (const path of CODEC_PATHS) {
    app.route({
      method: 'OPTIONS',
      url: path,
      config: { public: true },
      handler: async (_request, reply) => {
        if (allowedOrigin) {
          void reply.headers({
            'access-control-allow-methods': 'POST, OPTIONS',
            'access-control-allow-headers': 'authorization, content-type, x-namespace',
            'access-control-max-age': '600',
          });
        }
        return reply.code(204).send();
      },
    });
  }
}
