/**
 * Serves the HR console (client/console/, built by tooling/build-console.ts) at `/`: static files
 * only, without a key, because they hold no data — every piece of data the console shows comes from
 * the /v1 routes with the key the user enters, exactly as for any other client. The one dynamic
 * file, `/console/config.json`, says where the Temporal Web UI is and how large an import file may be
 * (no secret).
 *
 * A strict Content-Security-Policy allows scripts, styles and calls from this origin only: no inline
 * script, no external font or script, no framing.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type FastifyInstance, type FastifyReply } from 'fastify';
import { DEFAULT_TEMPORAL_NAMESPACE } from '../../config/defaults';

export interface ConsoleOptions {
  /** Where the built assets are; default: the build's console folder (see {@link defaultConsoleAssetsDir}). */
  assetsDir?: string;
  /** The Temporal Web UI, for the console's links to a run (e.g. http://127.0.0.1:8233). */
  temporalUiUrl?: string;
  /** The Temporal namespace of the runs (for those links); default `default`. */
  namespace?: string;
  /** IMPORT_MAX_FILE_MB: the import page refuses a larger file before uploading it. */
  importMaxFileMb?: number;
}

/**
 * Where a build puts the console for the module at `moduleFile` (this file, client/http/…):
 * compiled (`<out>/client/http/console-assets.js`, the image's /app/dist and `npm run build`'s dist/),
 * the console is `<out>/console`; run from the sources (tsx), it is `dist/console` of the project.
 * Known from the module's own place, not by looking for a package.json: tsc copies package.json into
 * the output (a source file imports it), so such a search took /app/dist for the project (issue 25).
 */
export function consoleAssetsDirFor(moduleFile: string): string {
  const twoUp = path.resolve(path.dirname(moduleFile), '..', '..');
  return moduleFile.endsWith('.ts') ? path.join(twoUp, 'dist', 'console') : path.join(twoUp, 'console');
}

export const defaultConsoleAssetsDir = consoleAssetsDirFor(__filename);

/** The files a build writes; nothing else in the folder is ever served. */
const assets: Record<string, string> = {
  'app.js': 'text/javascript; charset=utf-8',
  'app.js.map': 'application/json; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
};

const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const notBuilt = `<!doctype html><html lang="en"><meta charset="utf-8"><title>HR console not built</title>
<h1>The HR console is not built</h1><p>Run <code>npm run build:console</code> (npm start does it by itself)
and reload. The HTTP API works without it: <a href="/v1/openapi.json">/v1/openapi.json</a>.</p></html>`;

function withSecurityHeaders(reply: FastifyReply, type: string): FastifyReply {
  return reply.headers({
    'content-type': type,
    'content-security-policy': contentSecurityPolicy,
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  });
}

/** Registers `GET /`, `GET /console/<asset>` and `GET /console/config.json` (all without a key). */
export function registerConsole(app: FastifyInstance, options: ConsoleOptions = {}): void {
  const dir = options.assetsDir ?? defaultConsoleAssetsDir;
  const config = JSON.stringify({
    ...(options.temporalUiUrl && { temporalUiUrl: options.temporalUiUrl }),
    namespace: options.namespace ?? DEFAULT_TEMPORAL_NAMESPACE,
    ...(options.importMaxFileMb !== undefined && { importMaxFileMb: options.importMaxFileMb }),
  });

  app.route({
    method: 'GET',
    url: '/',
    config: { public: true },
    handler: async (_request, reply) => {
      const html = await readFile(path.join(dir, 'index.html'), 'utf8').catch(() => undefined);
      return withSecurityHeaders(reply, 'text/html; charset=utf-8')
        .code(html === undefined ? 503 : 200)
        .send(html ?? notBuilt);
    },
  });

  app.route({
    method: 'GET',
    url: '/console/config.json',
    config: { public: true },
    handler: async (_request, reply) =>
      withSecurityHeaders(reply, 'application/json; charset=utf-8').send(config),
  });

  app.route({
    method: 'GET',
    url: '/console/:asset',
    config: { public: true },
    handler: async (request, reply) => {
      const { asset = '' } = request.params as { asset?: string };
      const type = Object.hasOwn(assets, asset) ? assets[asset] : undefined;
      const body = type ? await readFile(path.join(dir, asset)).catch(() => undefined) : undefined;
      if (!type || body === undefined) {
        return reply.code(404).send({ error: 'not_found', message: `No console asset "${asset}".` });
      }
      return withSecurityHeaders(reply, type).send(body);
    },
  });
}
