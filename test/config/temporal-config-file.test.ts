/**
 * Temporal's TOML client configuration file (TEMPORAL_CONFIG_FILE, else the default location;
 * TEMPORAL_PROFILE, else `default`), read from real files in a temporary directory.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { after, describe, it } from 'node:test';
import { temporalConnectionOptions } from '../../config/temporal';
import { defaultTemporalConfigFile } from '../../config/temporal-config-file';
import { startConfigFromEnv } from '../../config/start';
import { testEncryptionEnv } from '../helpers/encryption';
import { configErrorOf, readTemporalConfigWithWarnings } from '../helpers/config-errors';

const API_KEY = 'tmprl-file-api-key-0123456789abcdef';
const KEY_MATERIAL = 'file-private-key-material-42';
const certPem = '-----BEGIN CERTIFICATE-----\nfile-cert\n-----END CERTIFICATE-----\n';
const keyPem = `-----BEGIN PRIVATE KEY-----\n${KEY_MATERIAL}\n-----END PRIVATE KEY-----\n`;

describe("Temporal's TOML config file", () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'temporal-config-file-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const filePath = path.join(dir, name);
    mkdirSync(path.dirname(filePath), { recursive: true });
    writeFileSync(filePath, text);
    return filePath;
  };
  const cert = file('client.pem', certPem);
  const key = file('client.key', keyPem);
  const ca = file('ca.pem', '-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n');
  const otherCa = file('other-ca.pem', '-----BEGIN CERTIFICATE-----\nother\n-----END CERTIFICATE-----\n');
  const toml = file(
    'temporal.toml',
    `[profile.default]
address = "cloud.example.com:7233"
namespace = "lifecycle.acct"
api_key = "${API_KEY}"

[profile.mtls]
address = "temporal.internal:7233"
namespace = "lifecycle"
[profile.mtls.tls]
client_cert_path = "${cert}"
client_key_path = "${key}"
server_ca_cert_path = "${ca}"
server_name = "frontend.temporal.internal"

[profile.inline]
address = "inline.example.com:7233"
[profile.inline.tls]
client_cert_data = """${certPem}"""
client_key_data = """${keyPem}"""

[profile.plain]
address = "127.0.0.1:7233"
api_key = "${API_KEY}"
[profile.plain.tls]
disabled = true

[profile.meta]
address = "127.0.0.1:7233"
[profile.meta.grpc_meta]
x_tenant = "acme-tenant-header"
`,
  );

  it('reads address, namespace and API key from the default profile (TLS on, as with the variable)', () => {
    const { config, warnings } = readTemporalConfigWithWarnings({ TEMPORAL_CONFIG_FILE: toml });
    assert.deepEqual(warnings, []);
    assert.equal(config.address, 'cloud.example.com:7233');
    assert.equal(config.namespace, 'lifecycle.acct');
    assert.equal(config.apiKey, API_KEY);
    assert.deepEqual(config.tls, {});
    assert.equal(temporalConnectionOptions(config).apiKey, API_KEY);
    assert.ok(!inspect(config, { depth: 5 }).includes(API_KEY), 'the key stays hidden from logging');
    assert.ok(!JSON.stringify(config).includes(API_KEY));
  });

  it('reads a named profile: mTLS files, private CA and server name', () => {
    const { config } = readTemporalConfigWithWarnings({
      TEMPORAL_CONFIG_FILE: toml,
      TEMPORAL_PROFILE: 'mtls',
    });
    assert.equal(config.address, 'temporal.internal:7233');
    assert.equal(config.apiKey, undefined);
    assert.deepEqual(config.tls, {
      certPath: cert,
      keyPath: key,
      caPath: ca,
      serverName: 'frontend.temporal.internal',
    });
    const tls = temporalConnectionOptions(config).tls;
    assert.ok(typeof tls === 'object');
    assert.equal(tls.serverNameOverride, 'frontend.temporal.internal');
    assert.equal(tls.clientCertPair?.key.toString(), keyPem);
  });

  it('reads PEM text from the profile, the key hidden like TEMPORAL_TLS_CLIENT_KEY_DATA', () => {
    const { config } = readTemporalConfigWithWarnings({
      TEMPORAL_CONFIG_FILE: toml,
      TEMPORAL_PROFILE: 'inline',
    });
    assert.ok(config.tls);
    assert.equal(config.tls.certData, certPem);
    assert.equal(config.tls.keyData, keyPem);
    assert.ok(!inspect(config, { depth: 5 }).includes(KEY_MATERIAL));
  });

  it('honours `disabled = true` in the profile’s [tls] even with an API key', () => {
    const { config } = readTemporalConfigWithWarnings({
      TEMPORAL_CONFIG_FILE: toml,
      TEMPORAL_PROFILE: 'plain',
    });
    assert.equal(config.tls, false);
    assert.equal(config.apiKey, API_KEY);
    // Said explicitly: the SDK would otherwise turn TLS on for the API key.
    assert.equal(temporalConnectionOptions(config).tls, false);
  });

  it('lets the environment override the profile, value by value (and the deprecated names too)', () => {
    const { config, warnings } = readTemporalConfigWithWarnings({
      TEMPORAL_CONFIG_FILE: toml,
      TEMPORAL_PROFILE: 'mtls',
      TEMPORAL_ADDRESS: '10.0.0.5:7233',
      TEMPORAL_TLS_CLIENT_KEY_DATA: keyPem,
      TEMPORAL_TLS_CA_PATH: otherCa,
    });
    assert.equal(config.address, '10.0.0.5:7233');
    assert.equal(
      config.namespace,
      'lifecycle',
      'what the environment leaves unset still comes from the file',
    );
    assert.ok(config.tls);
    // The environment's key as text replaces the file's key path (never both forms of one input).
    assert.equal(config.tls.keyPath, undefined);
    assert.equal(config.tls.keyData, keyPem);
    assert.equal(config.tls.caPath, otherCa);
    assert.equal(config.tls.certPath, cert);
    assert.deepEqual(
      warnings.map((message) => message.split(' ')[0]),
      ['TEMPORAL_TLS_CA_PATH'],
    );

    const tlsOff = readTemporalConfigWithWarnings({
      TEMPORAL_CONFIG_FILE: toml,
      TEMPORAL_TLS: 'false',
    }).config;
    assert.equal(tlsOff.tls, false, 'TEMPORAL_TLS=false wins over the API key in the file');
    const otherKey = readTemporalConfigWithWarnings({
      TEMPORAL_CONFIG_FILE: toml,
      TEMPORAL_API_KEY: 'env-key',
    }).config;
    assert.equal(otherKey.apiKey, 'env-key');
  });

  it('warns, by name only, that the profile’s grpc_meta is not sent', () => {
    const { config, warnings } = readTemporalConfigWithWarnings({
      TEMPORAL_CONFIG_FILE: toml,
      TEMPORAL_PROFILE: 'meta',
    });
    assert.equal(config.address, '127.0.0.1:7233');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /^grpc_meta .*not read here/);
    assert.ok(!warnings[0]?.includes('acme-tenant-header'));
  });

  it('reads the default file ($XDG_CONFIG_HOME, else ~/.config) as the SDK does; none there is no error', () => {
    const home = path.join(dir, 'home');
    const xdg = path.join(dir, 'xdg');
    assert.equal(
      defaultTemporalConfigFile({ HOME: home }),
      path.join(home, '.config', 'temporalio', 'temporal.toml'),
    );
    // No file yet: the defaults, no warning.
    const none = readTemporalConfigWithWarnings({ HOME: home });
    assert.equal(none.config.address, '127.0.0.1:7233');
    assert.deepEqual(none.warnings, []);

    file('home/.config/temporalio/temporal.toml', '[profile.default]\naddress = "from-home:7233"\n');
    file('xdg/temporalio/temporal.toml', '[profile.default]\naddress = "from-xdg:7233"\n');
    assert.equal(readTemporalConfigWithWarnings({ HOME: home }).config.address, 'from-home:7233');
    assert.equal(
      readTemporalConfigWithWarnings({ HOME: home, XDG_CONFIG_HOME: xdg }).config.address,
      'from-xdg:7233',
    );
    // TEMPORAL_CONFIG_FILE names another file: the default one is not read.
    assert.equal(
      readTemporalConfigWithWarnings({ HOME: home, TEMPORAL_CONFIG_FILE: toml }).config.address,
      'cloud.example.com:7233',
    );
  });

  it('a file without the default profile is no error unless a profile is named', () => {
    const onlyStaging = file('staging-only.toml', '[profile.staging]\naddress = "staging:7233"\n');
    assert.equal(
      readTemporalConfigWithWarnings({ TEMPORAL_CONFIG_FILE: onlyStaging }).config.address,
      '127.0.0.1:7233',
    );
    assert.equal(
      readTemporalConfigWithWarnings({ TEMPORAL_CONFIG_FILE: onlyStaging, TEMPORAL_PROFILE: 'staging' })
        .config.address,
      'staging:7233',
    );
  });

  it('a file with no profiles at all (empty, only comments) is no error', () => {
    for (const text of ['', '# profiles come later\n']) {
      const empty = file('empty.toml', text);
      assert.equal(
        readTemporalConfigWithWarnings({ TEMPORAL_CONFIG_FILE: empty }).config.address,
        '127.0.0.1:7233',
      );
    }
  });

  it('npm start: its own dev server reads no default file; a chosen file or profile means that cluster', () => {
    const home = path.join(dir, 'start-home');
    file(
      'start-home/.config/temporalio/temporal.toml',
      `[profile.default]\naddress = "cloud.example.com:7233"\napi_key = "${API_KEY}"\n`,
    );
    const own = startConfigFromEnv({ ...testEncryptionEnv, HOME: home });
    assert.deepEqual(own.devServer, { port: 7233, uiPort: 8233 });
    assert.equal(own.worker.temporal.address, '127.0.0.1:7233');
    assert.equal(
      own.worker.temporal.apiKey,
      undefined,
      'no API key of the default profile on the dev server',
    );
    assert.equal(own.worker.temporal.tls, false);

    const chosen = startConfigFromEnv({
      ...testEncryptionEnv,
      HOME: home,
      TEMPORAL_CONFIG_FILE: toml,
      TEMPORAL_PROFILE: 'mtls',
    });
    assert.equal(chosen.devServer, undefined);
    assert.equal(chosen.worker.temporal.address, 'temporal.internal:7233');
    assert.equal(chosen.api.temporal.namespace, 'lifecycle');
  });

  it('stops with an error naming the profile and the file when the named profile is absent', () => {
    const error = configErrorOf(() =>
      readTemporalConfigWithWarnings({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'prod' }),
    );
    assert.deepEqual(error.variables, ['TEMPORAL_PROFILE']);
    assert.match(error.message, /TEMPORAL_PROFILE is "prod", but .*temporal\.toml has no \[profile\.prod\]/);
    assert.match(error.message, /its profiles: default, mtls, inline, plain, meta/);
    assert.ok(!error.message.includes(API_KEY));

    const noFile = configErrorOf(() =>
      readTemporalConfigWithWarnings({ TEMPORAL_PROFILE: 'prod', HOME: path.join(dir, 'nobody') }),
    );
    assert.deepEqual(noFile.variables, ['TEMPORAL_PROFILE']);
    assert.match(noFile.message, /"prod", but there is no config file .*TEMPORAL_CONFIG_FILE is not set/);
  });

  it('stops with an error naming the file when it is missing or cannot be read', () => {
    const missing = path.join(dir, 'missing.toml');
    const error = configErrorOf(() => readTemporalConfigWithWarnings({ TEMPORAL_CONFIG_FILE: missing }));
    assert.deepEqual(error.variables, ['TEMPORAL_CONFIG_FILE']);
    assert.ok(error.message.includes(`TEMPORAL_CONFIG_FILE (${missing}) does not exist`), error.message);

    // A directory: unreadable as a file whoever runs the test (root reads a chmod 000 file).
    const unreadable = configErrorOf(() => readTemporalConfigWithWarnings({ TEMPORAL_CONFIG_FILE: dir }));
    assert.ok(
      unreadable.message.includes(`TEMPORAL_CONFIG_FILE (${dir}) cannot be read (EISDIR)`),
      unreadable.message,
    );
  });

  it('stops with an error naming the file and position for invalid TOML, never quoting the line', () => {
    const broken = file('broken.toml', `[profile.default]\naddress = "a:1"\napi_key = "${API_KEY}\n`);
    const error = configErrorOf(() => readTemporalConfigWithWarnings({ TEMPORAL_CONFIG_FILE: broken }));
    assert.deepEqual(error.variables, ['TEMPORAL_CONFIG_FILE']);
    assert.ok(
      error.message.includes(`TEMPORAL_CONFIG_FILE (${broken}) is not valid TOML at line 3`),
      error.message,
    );
    assert.ok(!error.message.includes(API_KEY), error.message);
    assert.ok(!error.message.includes(API_KEY.slice(0, 12)), error.message);

    const bothForms = file(
      'both-forms.toml',
      `[profile.default.tls]\nclient_key_path = "${key}"\nclient_key_data = """${keyPem}"""\n`,
    );
    const both = configErrorOf(() => readTemporalConfigWithWarnings({ TEMPORAL_CONFIG_FILE: bothForms }));
    assert.match(
      both.message,
      /both-forms\.toml\) is not a valid Temporal config file: .*client_key_path and client_key_data/,
    );
    assert.ok(!both.message.includes(KEY_MATERIAL));

    const wrongType = file('wrong-type.toml', '[profile.default]\naddress = 7233\n');
    assert.match(
      configErrorOf(() => readTemporalConfigWithWarnings({ TEMPORAL_CONFIG_FILE: wrongType })).message,
      /wrong-type\.toml\) profile "default" .*: address must be a string/,
    );
  });

  it('names a bad value by its key, profile and file, never echoing a secret', () => {
    const bad = file(
      'bad-values.toml',
      `[profile.default]\naddress = "no port"\napi_key = "${API_KEY} extra"\n[profile.default.tls]\nclient_cert_data = """${certPem}"""\nclient_key_data = "${KEY_MATERIAL}"\n`,
    );
    const error = configErrorOf(() => readTemporalConfigWithWarnings({ TEMPORAL_CONFIG_FILE: bad }));
    assert.match(error.message, /address \(profile "default" in .*bad-values\.toml\) must be host:port/);
    assert.match(error.message, /api_key \(profile "default" in .*bad-values\.toml\) must be one token/);
    assert.match(error.message, /tls\.client_key_data \(profile "default" in .*\) must be PEM text/);
    assert.ok(!error.message.includes(API_KEY), error.message);
    assert.ok(!error.message.includes(KEY_MATERIAL), error.message);
  });

  it('loads @temporalio/envconfig only in a process that has a config file to read', () => {
    const root = path.resolve(__dirname, '..', '..');
    const probe = (env: NodeJS.ProcessEnv) =>
      spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '-e',
          "require('./config/temporal').temporalConfigFromEnv(process.env, () => {}); " +
            "console.log(Object.keys(require.cache).some((m) => m.includes('@temporalio/envconfig')))",
        ],
        { cwd: root, env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' },
      );
    const without = probe({ HOME: path.join(dir, 'nobody') });
    assert.equal(without.stdout.trim(), 'false', without.stderr);
    const withFile = probe({ HOME: path.join(dir, 'nobody'), TEMPORAL_CONFIG_FILE: toml });
    assert.equal(withFile.stdout.trim(), 'true', withFile.stderr);
  });
});
