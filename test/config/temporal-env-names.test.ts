import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { after, describe, it } from 'node:test';
import {
  DEPRECATED_TEMPORAL_ENV_ALIASES,
  TEMPORAL_ENV_VARS,
  temporalConfigFromEnv,
  temporalConnectionOptions,
} from '../../config/temporal';
import { configErrorOf, readTemporalConfigWithWarnings } from '../helpers/config-errors';

const API_KEY = 'tmprl-api-key-0123456789abcdef';

describe("Temporal's standard connection variables", () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'temporal-env-names-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const filePath = path.join(dir, name);
    writeFileSync(filePath, text);
    return filePath;
  };
  const cert = file('client.pem', 'CERT');
  const key = file('client.key', 'KEY');
  const ca = file('ca.pem', 'CA');
  const otherCa = file('other-ca.pem', 'OTHER CA');

  it('reads the standard names for mTLS, a private CA and the server name, without warnings', () => {
    const { config, warnings } = readTemporalConfigWithWarnings({
      TEMPORAL_ADDRESS: 'temporal.example.com:7233',
      TEMPORAL_NAMESPACE: 'lifecycle',
      TEMPORAL_TLS_CLIENT_CERT_PATH: cert,
      TEMPORAL_TLS_CLIENT_KEY_PATH: key,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: ca,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });
    assert.deepEqual(warnings, []);
    assert.deepEqual(config.tls, {
      certPath: cert,
      keyPath: key,
      caPath: ca,
      serverName: 'temporal.internal',
    });
    const tls = temporalConnectionOptions(config).tls;
    assert.ok(tls && typeof tls === 'object');
    assert.equal(tls.clientCertPair?.crt.toString(), 'CERT');
    assert.equal(tls.clientCertPair?.key.toString(), 'KEY');
    assert.equal(tls.serverRootCACertificate?.toString(), 'CA');
  });

  it('still reads each deprecated name, warning once per name with its replacement', () => {
    const { config, warnings } = readTemporalConfigWithWarnings({
      TEMPORAL_TLS_CERT_PATH: cert,
      TEMPORAL_TLS_KEY_PATH: key,
      TEMPORAL_TLS_CA_PATH: ca,
    });
    assert.deepEqual(config.tls, { certPath: cert, keyPath: key, caPath: ca });
    assert.equal(warnings.length, 3);
    for (const [oldName, standardName] of Object.entries(DEPRECATED_TEMPORAL_ENV_ALIASES)) {
      const warning = warnings.find((message) => message.startsWith(`${oldName} is deprecated`));
      assert.ok(warning, `no warning for ${oldName}`);
      assert.match(warning, new RegExp(`rename it to ${standardName}`));
    }
  });

  it('mixes old and new names (one of each) and pairs them for mTLS', () => {
    const { config, warnings } = readTemporalConfigWithWarnings({
      TEMPORAL_TLS_CLIENT_CERT_PATH: cert,
      TEMPORAL_TLS_KEY_PATH: key,
    });
    assert.deepEqual(config.tls, { certPath: cert, keyPath: key });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /^TEMPORAL_TLS_KEY_PATH is deprecated/);
  });

  it('both names set to the same value: read, with a warning to remove the old one', () => {
    const { config, warnings } = readTemporalConfigWithWarnings({
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: ca,
      TEMPORAL_TLS_CA_PATH: ca,
    });
    assert.deepEqual(config.tls, { caPath: ca });
    assert.deepEqual(warnings.length, 1);
    assert.match(warnings[0] ?? '', /remove TEMPORAL_TLS_CA_PATH/);
  });

  it('both names set to different values: a start-up error naming both, and nothing read', () => {
    const error = configErrorOf(() =>
      readTemporalConfigWithWarnings({
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: ca,
        TEMPORAL_TLS_CA_PATH: otherCa,
        TEMPORAL_TLS_CLIENT_CERT_PATH: cert,
        TEMPORAL_TLS_CLIENT_KEY_PATH: key,
        TEMPORAL_TLS_CERT_PATH: cert,
        TEMPORAL_TLS_KEY_PATH: path.join(dir, 'another.key'),
      }),
    );
    assert.deepEqual(error.variables.sort(), ['TEMPORAL_TLS_CA_PATH', 'TEMPORAL_TLS_KEY_PATH']);
    assert.match(
      error.message,
      /TEMPORAL_TLS_CA_PATH and TEMPORAL_TLS_SERVER_CA_CERT_PATH are both set, to different values/,
    );
    assert.match(
      error.message,
      /TEMPORAL_TLS_KEY_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH are both set, to different values/,
    );
    // A value is a path, not a secret, but the message need not carry either path.
    assert.doesNotMatch(error.message, new RegExp(otherCa.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });

  it('reports a bad value under the name the person set, together with a conflict', () => {
    const error = configErrorOf(() =>
      readTemporalConfigWithWarnings({
        TEMPORAL_TLS_CERT_PATH: path.join(dir, 'missing.pem'),
        TEMPORAL_TLS_KEY_PATH: key,
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: ca,
        TEMPORAL_TLS_CA_PATH: otherCa,
        TEMPORAL_API_KEY: `${API_KEY} extra`,
      }),
    );
    assert.deepEqual(error.variables.sort(), [
      'TEMPORAL_API_KEY',
      'TEMPORAL_TLS_CA_PATH',
      'TEMPORAL_TLS_CERT_PATH',
    ]);
    assert.match(error.message, /TEMPORAL_TLS_CERT_PATH must be the path of a readable file/);
    assert.doesNotMatch(error.message, new RegExp(API_KEY));
  });

  it("reads Temporal's config file variables now: a missing TEMPORAL_CONFIG_FILE stops the start, naming it", () => {
    const error = configErrorOf(() =>
      readTemporalConfigWithWarnings({
        TEMPORAL_CONFIG_FILE: path.join(dir, 'temporal.toml'),
        TEMPORAL_PROFILE: 'prod',
      }),
    );
    assert.deepEqual(error.variables, ['TEMPORAL_CONFIG_FILE']);
    assert.match(error.message, /temporal\.toml\) does not exist/);
  });

  it("warns, by name only, about Temporal's standard names it does not read, and connects as without them", () => {
    const { config, warnings } = readTemporalConfigWithWarnings({
      TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: 'true',
      TEMPORAL_GRPC_META_X_TENANT: 'acme-tenant-header',
    });
    assert.equal(config.tls, false);
    assert.deepEqual(
      warnings.map((message) => message.split(' ')[0]),
      ['TEMPORAL_TLS_DISABLE_HOST_VERIFICATION', 'TEMPORAL_GRPC_META_X_TENANT'],
    );
    assert.match(warnings[0] ?? '', /TEMPORAL_TLS_SERVER_NAME/);
    for (const message of warnings) assert.ok(!message.includes('acme-tenant-header'), message);
  });

  const certPem = '-----BEGIN CERTIFICATE-----\nclient\n-----END CERTIFICATE-----\n';
  const keyPem = '-----BEGIN PRIVATE KEY-----\nsecret-key-material\n-----END PRIVATE KEY-----\n';
  const caPem = '-----BEGIN CERTIFICATE-----\nprivate-ca\n-----END CERTIFICATE-----\n';

  it('takes the certificate, key and CA as PEM text (the *_DATA names), and never shows the key', () => {
    const { config, warnings } = readTemporalConfigWithWarnings({
      TEMPORAL_TLS_CLIENT_CERT_DATA: certPem,
      TEMPORAL_TLS_CLIENT_KEY_DATA: keyPem,
      TEMPORAL_TLS_SERVER_CA_CERT_DATA: caPem,
    });
    assert.deepEqual(warnings, []);
    assert.ok(config.tls, 'a client certificate turns TLS on');
    assert.equal(config.tls.keyData, keyPem);
    for (const shown of [
      JSON.stringify(config),
      inspect(config, { depth: 5 }),
      JSON.stringify({ ...config.tls }),
    ]) {
      assert.ok(!shown.includes('secret-key-material'), shown);
    }
    const tls = temporalConnectionOptions(config).tls;
    assert.ok(tls && typeof tls === 'object');
    assert.equal(tls.clientCertPair?.crt.toString(), certPem);
    assert.equal(tls.clientCertPair?.key.toString(), keyPem);
    assert.equal(tls.serverRootCACertificate?.toString(), caPem);
  });

  it('pairs a certificate file with a key given as text', () => {
    const { config } = readTemporalConfigWithWarnings({
      TEMPORAL_TLS_CLIENT_CERT_PATH: cert,
      TEMPORAL_TLS_CLIENT_KEY_DATA: keyPem,
    });
    const tls = temporalConnectionOptions(config).tls;
    assert.ok(tls && typeof tls === 'object');
    assert.equal(tls.clientCertPair?.crt.toString(), 'CERT');
    assert.equal(tls.clientCertPair?.key.toString(), keyPem);
  });

  it('refuses a file and text for the same input, a certificate without its key, and text that is not PEM', () => {
    const both = configErrorOf(() =>
      temporalConfigFromEnv({
        TEMPORAL_TLS_CLIENT_CERT_PATH: cert,
        TEMPORAL_TLS_CLIENT_CERT_DATA: certPem,
        TEMPORAL_TLS_CLIENT_KEY_PATH: key,
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: ca,
        TEMPORAL_TLS_SERVER_CA_CERT_DATA: caPem,
      }),
    );
    assert.deepEqual(both.variables.sort(), [
      'TEMPORAL_TLS_CLIENT_CERT_DATA',
      'TEMPORAL_TLS_SERVER_CA_CERT_DATA',
    ]);
    assert.match(
      both.message,
      /TEMPORAL_TLS_CLIENT_CERT_DATA and TEMPORAL_TLS_CLIENT_CERT_PATH are both set/,
    );

    const noKey = configErrorOf(() => temporalConfigFromEnv({ TEMPORAL_TLS_CLIENT_CERT_DATA: certPem }));
    assert.deepEqual(noKey.variables, ['TEMPORAL_TLS_CLIENT_KEY_PATH']);
    assert.match(noKey.message, /is required when TEMPORAL_TLS_CLIENT_CERT_DATA is set/);

    const notPem = 'secret-key-material-without-header';
    const bad = configErrorOf(() =>
      temporalConfigFromEnv({ TEMPORAL_TLS_CLIENT_CERT_DATA: certPem, TEMPORAL_TLS_CLIENT_KEY_DATA: notPem }),
    );
    assert.deepEqual(bad.variables, ['TEMPORAL_TLS_CLIENT_KEY_DATA']);
    assert.match(bad.message, /must be PEM text/);
    assert.ok(!bad.message.includes(notPem), 'the key is never echoed');
  });

  it('lists both the standard and the deprecated names as read (for .env.example and compose)', () => {
    for (const name of [
      'TEMPORAL_TLS_CLIENT_CERT_PATH',
      'TEMPORAL_TLS_CLIENT_KEY_PATH',
      'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
      'TEMPORAL_CONFIG_FILE',
      'TEMPORAL_PROFILE',
      ...Object.keys(DEPRECATED_TEMPORAL_ENV_ALIASES),
    ]) {
      assert.ok((TEMPORAL_ENV_VARS as readonly string[]).includes(name), name);
    }
  });
});
