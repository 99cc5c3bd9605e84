import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { collectConfig } from '../../config/config-error';
import { loggingConfigFromEnv } from '../../config/logging';
import { staffbaseConfigFromEnv } from '../../config/staffbase';
import { temporalConfigFromEnv, temporalConnectionOptions } from '../../config/temporal';
import { configErrorOf } from '../helpers/config-errors';

const TOKEN = 'MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwOnN1cGVyLXNlY3JldA==';
const API_KEY = 'tmprl-api-key-0123456789abcdef';

/** Everything a person or a log could see of a value. */
function visible(value: unknown): string {
  return `${inspect(value, { depth: 10 })}\n${JSON.stringify(value)}\n${JSON.stringify({ ...(value as object) })}`;
}

describe('temporalConfigFromEnv', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'temporal-tls-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('defaults to the local dev server, namespace default, no TLS', () => {
    const config = temporalConfigFromEnv({});
    assert.deepEqual(config, { address: '127.0.0.1:7233', namespace: 'default', tls: false });
    assert.deepEqual(temporalConnectionOptions(config), { address: '127.0.0.1:7233' });
  });

  it('turns TLS on with an API key, and hides the key from logs', () => {
    const config = temporalConfigFromEnv({
      TEMPORAL_ADDRESS: 'acme.a1b2c.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'acme.a1b2c',
      TEMPORAL_API_KEY: API_KEY,
    });
    assert.equal(config.apiKey, API_KEY);
    assert.deepEqual(config.tls, {});
    assert.doesNotMatch(visible(config), new RegExp(API_KEY));
    const options = temporalConnectionOptions(config);
    assert.equal(options.apiKey, API_KEY);
    assert.deepEqual(options.tls, {});
    assert.equal(temporalConfigFromEnv({ TEMPORAL_API_KEY: API_KEY, TEMPORAL_TLS: 'false' }).tls, false);
  });

  it('reads mTLS files for the connection', () => {
    const cert = path.join(dir, 'client.pem');
    const key = path.join(dir, 'client.key');
    writeFileSync(cert, 'CERT');
    writeFileSync(key, 'KEY');
    const config = temporalConfigFromEnv({
      TEMPORAL_TLS_CLIENT_CERT_PATH: cert,
      TEMPORAL_TLS_CLIENT_KEY_PATH: key,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.example.com',
    });
    assert.deepEqual(config.tls, { certPath: cert, keyPath: key, serverName: 'temporal.example.com' });
    const tls = temporalConnectionOptions(config).tls;
    assert.ok(tls && typeof tls === 'object');
    assert.equal(tls.clientCertPair?.crt.toString(), 'CERT');
    assert.equal(tls.clientCertPair?.key.toString(), 'KEY');
    assert.equal(tls.serverNameOverride, 'temporal.example.com');
  });

  it('names every bad variable at once, never echoing the API key', () => {
    const error = configErrorOf(() =>
      temporalConfigFromEnv({
        TEMPORAL_ADDRESS: 'localhost',
        TEMPORAL_NAMESPACE: 'has spaces',
        TEMPORAL_API_KEY: `${API_KEY} extra`,
        TEMPORAL_TLS: 'sometimes',
        TEMPORAL_TLS_CLIENT_CERT_PATH: path.join(dir, 'missing.pem'),
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: path.join(dir, 'missing-ca.pem'),
      }),
    );
    assert.deepEqual(error.variables.sort(), [
      'TEMPORAL_ADDRESS',
      'TEMPORAL_API_KEY',
      'TEMPORAL_NAMESPACE',
      'TEMPORAL_TLS',
      'TEMPORAL_TLS_CLIENT_CERT_PATH',
      'TEMPORAL_TLS_CLIENT_KEY_PATH',
      'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
    ]);
    assert.doesNotMatch(error.message, new RegExp(API_KEY));
    assert.match(
      error.message,
      /TEMPORAL_TLS_CLIENT_KEY_PATH is required when TEMPORAL_TLS_CLIENT_CERT_PATH is set/,
    );
  });

  it('checks the port of TEMPORAL_ADDRESS', () => {
    for (const address of ['temporal:0', 'temporal:70000', 'temporal:', ':7233']) {
      assert.deepEqual(configErrorOf(() => temporalConfigFromEnv({ TEMPORAL_ADDRESS: address })).variables, [
        'TEMPORAL_ADDRESS',
      ]);
    }
    assert.equal(temporalConfigFromEnv({ TEMPORAL_ADDRESS: '[::1]:7233' }).address, '[::1]:7233');
  });
});

describe('staffbaseConfigFromEnv', () => {
  it('without URL and token means the embedded simulator, with the default limits', () => {
    assert.deepEqual(staffbaseConfigFromEnv({}), {
      connection: undefined,
      requestsPerSecond: 10,
      requestTimeoutMs: 30_000,
      maxConcurrentCalls: 20,
      filterSpaceEncoding: '%20',
      lookupMode: 'auto',
      profilePlacement: 'top-level',
      profileUpdate: 'replace',
    });
  });

  it('reads the connection and limits; the token is readable but hidden from logs', () => {
    const config = staffbaseConfigFromEnv({
      STAFFBASE_BASE_URL: 'https://acme.staffbase.com/api/',
      STAFFBASE_API_TOKEN: TOKEN,
      STAFFBASE_REQUESTS_PER_SECOND: '2.5',
      STAFFBASE_REQUEST_TIMEOUT_MS: '5000',
      STAFFBASE_MAX_CONCURRENT_CALLS: '4',
    });
    assert.equal(config.connection?.baseUrl, 'https://acme.staffbase.com/api');
    assert.equal(config.connection?.token, TOKEN);
    assert.equal(config.requestsPerSecond, 2.5);
    assert.equal(config.requestTimeoutMs, 5000);
    assert.equal(config.maxConcurrentCalls, 4);
    assert.doesNotMatch(visible(config), new RegExp(TOKEN));
  });

  it('requires both or neither', () => {
    assert.deepEqual(
      configErrorOf(() => staffbaseConfigFromEnv({ STAFFBASE_BASE_URL: 'https://acme.staffbase.com/api' }))
        .variables,
      ['STAFFBASE_API_TOKEN'],
    );
    const tokenOnly = configErrorOf(() => staffbaseConfigFromEnv({ STAFFBASE_API_TOKEN: TOKEN }));
    assert.deepEqual(tokenOnly.variables, ['STAFFBASE_BASE_URL']);
    assert.doesNotMatch(tokenOnly.message, new RegExp(TOKEN));
  });

  it('requires both when the caller cannot run the simulator (the worker process)', () => {
    const error = configErrorOf(() => staffbaseConfigFromEnv({}, { requireConnection: true }));
    assert.deepEqual(error.variables, ['STAFFBASE_BASE_URL', 'STAFFBASE_API_TOKEN']);
    assert.match(error.message, /npm start/);
  });

  it('names every bad variable at once, never echoing the token', () => {
    const badToken = `${TOKEN} ${TOKEN}`;
    const error = configErrorOf(() =>
      staffbaseConfigFromEnv({
        STAFFBASE_BASE_URL: 'https://user:pw@acme.staffbase.com/api?x=1',
        STAFFBASE_API_TOKEN: badToken,
        STAFFBASE_REQUESTS_PER_SECOND: '0',
        STAFFBASE_REQUEST_TIMEOUT_MS: 'soon',
        STAFFBASE_MAX_CONCURRENT_CALLS: '1.5',
      }),
    );
    assert.deepEqual(error.variables.sort(), [
      'STAFFBASE_API_TOKEN',
      'STAFFBASE_BASE_URL',
      'STAFFBASE_MAX_CONCURRENT_CALLS',
      'STAFFBASE_REQUESTS_PER_SECOND',
      'STAFFBASE_REQUEST_TIMEOUT_MS',
    ]);
    assert.doesNotMatch(error.message, new RegExp(TOKEN));
    assert.doesNotMatch(visible(error), new RegExp(TOKEN));
  });

  it('rejects non-http URLs', () => {
    for (const url of ['ftp://acme.staffbase.com/api', 'acme.staffbase.com/api', 'https://x/api#frag']) {
      const error = configErrorOf(() =>
        staffbaseConfigFromEnv({ STAFFBASE_BASE_URL: url, STAFFBASE_API_TOKEN: TOKEN }),
      );
      assert.deepEqual(error.variables, ['STAFFBASE_BASE_URL']);
    }
  });
});

describe('loggingConfigFromEnv', () => {
  it('defaults to readable logs in dev and JSON in production, level info', () => {
    assert.deepEqual(loggingConfigFromEnv({}), { format: 'pretty', level: 'INFO' });
    assert.deepEqual(loggingConfigFromEnv({ NODE_ENV: 'production' }), { format: 'json', level: 'INFO' });
    assert.deepEqual(
      loggingConfigFromEnv({ NODE_ENV: 'production', LOG_FORMAT: 'Pretty', LOG_LEVEL: 'debug' }),
      {
        format: 'pretty',
        level: 'DEBUG',
      },
    );
  });

  it('names both bad variables', () => {
    const error = configErrorOf(() => loggingConfigFromEnv({ LOG_FORMAT: 'xml', LOG_LEVEL: 'loud' }));
    assert.deepEqual(error.variables.sort(), ['LOG_FORMAT', 'LOG_LEVEL']);
  });
});

describe('collectConfig', () => {
  it('merges the problems of every reader, each once, and rethrows anything else', () => {
    const error = configErrorOf(() =>
      collectConfig({
        worker: () => temporalConfigFromEnv({ TEMPORAL_ADDRESS: 'x' }),
        api: () => temporalConfigFromEnv({ TEMPORAL_ADDRESS: 'x', TEMPORAL_NAMESPACE: 'a b' }),
        logging: () => loggingConfigFromEnv({ LOG_LEVEL: 'loud' }),
      }),
    );
    assert.deepEqual(
      error.problems.map((problem) => problem.variable),
      ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'LOG_LEVEL'],
    );
    assert.throws(
      () =>
        collectConfig({
          bug: () => {
            throw new RangeError('a bug');
          },
        }),
      RangeError,
    );
  });
});
