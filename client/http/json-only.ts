import { type FastifyInstance } from 'fastify';

/**
 * JSON bodies only, parsed with Fastify's own parser (which refuses `__proto__` and `constructor`
 * keys). An empty body with a JSON content type counts as no body (`curl -X POST -H …`).
 */
export function acceptJsonOnly(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    void parseJson(request, text, done);
  });
}
