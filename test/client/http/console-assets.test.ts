/**
 * The HR console's static files as the HR API serves them: without a key (they hold no data), with
 * a strict Content-Security-Policy, only the files a build writes, a clear page when it is not built,
 * and the Temporal UI's address in config.json — while every /v1 route still needs the key.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { type Client } from '@temporalio/client';
import { buildHttpApi } from '../../../client/http/app';
import { defaultOffboardingPolicy } from '../../../lifecycle/offboarding-request';
import { defaultOnboardingPolicy } from '../../../lifecycle/onboarding-request';
import { lazyTempStore } from '../../helpers/temp-store';

/** The store behind GET /v1/people (opened only if a request reaches it). */
const store = lazyTempStore();

const dir = mkdtempSync(path.join(tmpdir(), 'console-assets-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The static routes never reach Temporal; a /v1 route is refused before it would. */
const noTemporal = {} as Client;

function app(assetsDir: string) {
  return buildHttpApi({
    temporalClient: noTemporal,
    store,
    policies: { onboarding: defaultOnboardingPolicy, offboarding: defaultOffboardingPolicy },
    apiKey: 'k'.repeat(32),
    console: { assetsDir, temporalUiUrl: 'http://127.0.0.1:8233', namespace: 'hr' },
  });
}

describe('HR console assets', () => {
  it('serves index.html, the bundle and the stylesheet without a key, under a strict CSP', async () => {
    const built = path.join(dir, 'built');
    mkdirSync(built);
    writeFileSync(path.join(built, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(path.join(built, 'app.js'), 'console.log(1)');
    writeFileSync(path.join(built, 'console.css'), 'body{}');
    writeFileSync(path.join(built, 'secret.txt'), 'not an asset');
    const api = app(built);
    const index = await api.inject({ method: 'GET', url: '/' });
    assert.equal(index.statusCode, 200);
    assert.match(index.headers['content-type'] as string, /^text\/html/);
    const csp = index.headers['content-security-policy'] as string;
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /connect-src 'self'/);
    assert.equal(index.headers['x-frame-options'], 'DENY');
    const script = await api.inject({ method: 'GET', url: '/console/app.js' });
    assert.equal(script.statusCode, 200);
    assert.match(script.headers['content-type'] as string, /^text\/javascript/);
    assert.equal((await api.inject({ method: 'GET', url: '/console/console.css' })).statusCode, 200);
    // Only the files a build writes.
    assert.equal((await api.inject({ method: 'GET', url: '/console/secret.txt' })).statusCode, 404);
    assert.equal((await api.inject({ method: 'GET', url: '/console/..%2Fbuilt%2Fapp.js' })).statusCode, 404);
    const config = await api.inject({ method: 'GET', url: '/console/config.json' });
    // IMPORT_MAX_FILE_MB (the default here): the import page refuses a larger file before uploading it.
    assert.deepEqual(config.json(), {
      temporalUiUrl: 'http://127.0.0.1:8233',
      namespace: 'hr',
      importMaxFileMb: 20,
    });
    // The data stays behind the key.
    assert.equal((await api.inject({ method: 'GET', url: '/v1/runs' })).statusCode, 401);
    await api.close();
  });

  it('says how to build the console when it is not built', async () => {
    const api = app(path.join(dir, 'missing'));
    const index = await api.inject({ method: 'GET', url: '/' });
    assert.equal(index.statusCode, 503);
    assert.match(index.body, /npm run build:console/);
    await api.close();
  });
});
