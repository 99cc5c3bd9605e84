/**
 * Dev mode (no API key) over real HTTP: a DNS-rebinding Host and a cross-site request with an Origin
 * are refused before anything is read or started; the API's own console origin and the Temporal UI's
 * codec calls still work. And dev mode refuses to start in front of a real Staffbase tenant.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WorkflowNotFoundError } from '@temporalio/client';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type RunningHttpApi, startHttpApi } from '../../../client/http/server';
import { ConfigError } from '../../../config/config-error';
import { httpApiConfigFromEnv } from '../../../config/http-api';
import { startConfigFromEnv } from '../../../config/start';
import { defaultOffboardingPolicy } from '../../../lifecycle/offboarding-request';
import { testDataConverter, testEncryptionEnv } from '../../helpers/encryption';
import { onboardingPolicy, uniqueSuffix } from '../../helpers/people';
import { startTimeSkippingEnvironment } from '../../helpers/temporal';
import { lazyTempStore } from '../../helpers/temp-store';

/** The store behind GET /v1/people (opened only if a request reaches it). */
const store = lazyTempStore();

const root = path.resolve(__dirname, '../../..');
const UI_ORIGIN = 'http://127.0.0.1:8233';

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: { error?: string; message?: string };
}

/** One request with exactly these headers (fetch would not let a test choose `Host`). */
function rawRequest(
  port: number,
  method: string,
  pathname: string,
  headers: Record<string, string>,
  body?: string,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method, path: pathname, headers, setHost: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text ? (JSON.parse(text) as RawAnswer['body']) : {},
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('dev mode request guards (real HTTP, time-skipping server)', () => {
  let env: TestWorkflowEnvironment;
  let api: RunningHttpApi;
  let host: string;

  before(async () => {
    env = await startTimeSkippingEnvironment();
    api = await startHttpApi({
      temporalClient: env.client,
      store,
      policies: { onboarding: onboardingPolicy(), offboarding: defaultOffboardingPolicy },
      devMode: true,
      payloadCodecs: testDataConverter.payloadCodecs,
      codecCorsOrigin: UI_ORIGIN,
      port: 0,
    });
    host = `127.0.0.1:${api.port}`;
  });
  after(async () => {
    await api?.close();
    await env?.teardown();
  });

  const get = (pathname: string, headers: Record<string, string>) =>
    rawRequest(api.port, 'GET', pathname, { accept: 'application/json', ...headers });
  const postJson = (pathname: string, headers: Record<string, string>, body: unknown) =>
    rawRequest(
      api.port,
      'POST',
      pathname,
      { 'content-type': 'application/json', ...headers },
      JSON.stringify(body),
    );

  it('answers requests addressed to loopback names, with any port', async () => {
    for (const name of [host, `localhost:${api.port}`, `[::1]:${api.port}`, 'LOCALHOST', '127.0.0.1']) {
      const answer = await get('/v1/openapi.json', { host: name });
      assert.equal(answer.status, 200, `Host ${name}: ${JSON.stringify(answer.body)}`);
    }
  });

  it('refuses a DNS-rebinding Host (421), on every route, before the key or the body', async () => {
    for (const name of [
      `evil.example:${api.port}`,
      'rebind.127.0.0.1.nip.io',
      `localhost.evil.example:${api.port}`,
      '127.0.0.1@evil.example',
      '',
    ]) {
      const answer = await get('/v1/openapi.json', { host: name });
      assert.equal(answer.status, 421, `Host "${name}"`);
      assert.equal(answer.body.error, 'host_not_allowed');
      assert.match(answer.body.message ?? '', /localhost, 127\.0\.0\.1 or \[::1\]/);
    }
    const externalID = `rebound-${uniqueSuffix()}`;
    const post = await postJson('/v1/offboardings', { host: 'evil.example' }, { externalID });
    assert.equal(post.status, 421);
    await assert.rejects(
      env.client.workflow.getHandle(`offboarding-${externalID}`).describe(),
      WorkflowNotFoundError,
      'nothing was started',
    );
  });

  it('refuses a cross-site POST with an Origin (403), and starts nothing', async () => {
    const externalID = `cross-site-${uniqueSuffix()}`;
    for (const origin of [
      'https://evil.example',
      'null',
      `http://localhost:${api.port + 1}`,
      `https://${host}`,
    ]) {
      const answer = await postJson('/v1/offboardings', { host, origin }, { externalID, retentionDays: 0 });
      assert.equal(answer.status, 403, `Origin ${origin}`);
      assert.equal(answer.body.error, 'origin_not_allowed');
    }
    await assert.rejects(
      env.client.workflow.getHandle(`offboarding-${externalID}`).describe(),
      WorkflowNotFoundError,
      'nothing was started',
    );
    // A simple request (no preflight) is refused the same way.
    const simple = await rawRequest(
      api.port,
      'POST',
      '/v1/offboardings',
      { host, origin: 'https://evil.example', 'content-type': 'text/plain' },
      JSON.stringify({ externalID }),
    );
    assert.equal(simple.status, 403);
  });

  it('lets the API’s own console origin through (same origin as the Host)', async () => {
    // An invalid body: the 400 shows the request got past the guard to the route's checks.
    const answer = await postJson('/v1/onboardings', { host, origin: `http://${host}` }, {});
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error, 'invalid_request');
    const viaLocalhost = await get('/v1/openapi.json', {
      host: `localhost:${api.port}`,
      origin: `http://localhost:${api.port}`,
    });
    assert.equal(viaLocalhost.status, 200);
  });

  it('lets the Temporal UI’s origin call /codec/* only', async () => {
    const decode = await postJson('/codec/decode', { host, origin: UI_ORIGIN }, { payloads: [] });
    assert.equal(decode.status, 200, JSON.stringify(decode.body));
    assert.equal(decode.headers['access-control-allow-origin'], UI_ORIGIN);
    const preflight = await rawRequest(api.port, 'OPTIONS', '/codec/decode', {
      host,
      origin: UI_ORIGIN,
      'access-control-request-method': 'POST',
    });
    assert.equal(preflight.status, 204);

    const elsewhere = await get('/v1/openapi.json', { host, origin: UI_ORIGIN });
    assert.equal(elsewhere.status, 403, 'the codec origin is not allowed beyond /codec');
    const otherOrigin = await postJson(
      '/codec/decode',
      { host, origin: 'https://evil.example' },
      { payloads: [] },
    );
    assert.equal(otherOrigin.status, 403);
    const rebound = await postJson(
      '/codec/decode',
      { host: 'evil.example', origin: UI_ORIGIN },
      { payloads: [] },
    );
    assert.equal(rebound.status, 421, 'the codec exception is about Origin, never about Host');
  });

  it('does not apply with a key: the key is the guard there', async () => {
    const keyed = await startHttpApi({
      temporalClient: env.client,
      store,
      policies: { onboarding: onboardingPolicy(), offboarding: defaultOffboardingPolicy },
      apiKey: 'k'.repeat(32),
      port: 0,
    });
    try {
      const answer = await rawRequest(keyed.port, 'GET', '/v1/openapi.json', {
        host: 'hr-api.internal.example',
        authorization: `Bearer ${'k'.repeat(32)}`,
      });
      assert.equal(answer.status, 200);
    } finally {
      await keyed.close();
    }
  });
});

describe('dev mode in front of a real tenant', () => {
  const realTenant = {
    ...testEncryptionEnv,
    STAFFBASE_BASE_URL: 'https://acme.staffbase.com/api',
    STAFFBASE_API_TOKEN: 'dG9rZW4tdmFsdWU=',
  };
  const namesTheKeys = (error: unknown): boolean => {
    assert.ok(error instanceof ConfigError);
    assert.deepEqual(error.variables, ['LIFECYCLE_API_KEY']);
    assert.match(error.message, /real tenant/);
    assert.match(error.message, /Set LIFECYCLE_API_KEY and LIFECYCLE_ADMIN_API_KEY/);
    return true;
  };

  it('is refused by the HR API’s and npm start’s configuration; the simulator on loopback is fine', () => {
    assert.throws(
      () => httpApiConfigFromEnv({ ...realTenant, LIFECYCLE_API_DEV_MODE: 'true' }),
      namesTheKeys,
    );
    assert.throws(() => startConfigFromEnv(realTenant), namesTheKeys);
    for (const local of ['http://127.0.0.1:4010/api', 'http://localhost:4010/api', 'http://[::1]:4010/api']) {
      const config = httpApiConfigFromEnv({
        ...testEncryptionEnv,
        LIFECYCLE_API_DEV_MODE: 'true',
        STAFFBASE_BASE_URL: local,
      });
      assert.equal(config.devMode, true, local);
    }
    // With the keys set, a real tenant is what production is.
    const keyed = startConfigFromEnv({ ...realTenant, LIFECYCLE_API_KEY: 'k'.repeat(32) });
    assert.equal(keyed.api.devMode, false);
  });

  const spawned = new Set<ChildProcess>();
  const dataDirs: string[] = [];
  after(() => {
    for (const child of spawned) child.kill('SIGKILL');
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  /** Runs a script with exactly `env` (plus PATH and HOME); resolves with its exit code and output. */
  function runScript(
    script: string,
    env: Record<string, string>,
  ): Promise<{ code: number | null; output: string }> {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    spawned.add(child);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return new Promise((resolve) =>
      child.on('exit', (code) => {
        spawned.delete(child);
        resolve({ code, output });
      }),
    );
  }

  it('the HR API process and npm start exit 1 saying to set the keys, starting nothing', async () => {
    const api = await runScript('client/http/main.ts', {
      ...realTenant,
      LIFECYCLE_API_DEV_MODE: 'true',
      LIFECYCLE_API_PORT: '0',
    });
    assert.equal(api.code, 1, api.output);
    assert.match(api.output, /LIFECYCLE_API_KEY is required when STAFFBASE_BASE_URL is a real tenant/);
    assert.doesNotMatch(api.output, /HR API listening/);

    const dataDir = mkdtempSync(path.join(tmpdir(), 'npm-start-real-tenant-'));
    dataDirs.push(dataDir);
    const envFile = path.join(dataDir, 'empty.env'); // a developer's own .env must not leak in
    writeFileSync(envFile, '');
    const start = await runScript('tooling/start.ts', {
      ...realTenant,
      DATA_DIR: dataDir,
      ENV_FILE: envFile,
    });
    assert.equal(start.code, 1, start.output);
    assert.match(start.output, /Set LIFECYCLE_API_KEY and LIFECYCLE_ADMIN_API_KEY/);
    assert.doesNotMatch(start.output, /Starting the Temporal dev server/);
    assert.ok(!start.output.includes(realTenant.STAFFBASE_API_TOKEN), 'the token was printed');
  });
});
