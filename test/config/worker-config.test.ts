import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { ConfigError } from '../../config/config-error';
import {
  WORKER_ENV_VARS,
  workerConfigFromEnv as readWorkerConfig,
  workerSecretValues,
} from '../../config/worker';
import { testEncryptionEnv, testEncryptionKey } from '../helpers/encryption';
import { configErrorOf as configErrorFrom } from '../helpers/config-errors';

/** Every case here runs with the encryption key set, as a deployment does (its absence: below). */
const workerConfigFromEnv: typeof readWorkerConfig = (env, options) =>
  readWorkerConfig({ ...testEncryptionEnv, ...env }, options);

const TOKEN = 'MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwOnN1cGVyLXNlY3JldA==';
const SMTP_PASSWORD = 'Tr0ub4dor&3-horse';
const API_KEY = 'tmprl-api-key-0123456789abcdef';

const staffbase = { STAFFBASE_BASE_URL: 'https://acme.staffbase.com/api', STAFFBASE_API_TOKEN: TOKEN };

function configErrorOf(
  env: NodeJS.ProcessEnv,
  options?: Parameters<typeof workerConfigFromEnv>[1],
): ConfigError {
  return configErrorFrom(() => workerConfigFromEnv(env, options));
}

describe('workerConfigFromEnv', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'worker-config-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('needs only the Staffbase platform; everything else has a default', () => {
    const config = workerConfigFromEnv(staffbase);
    assert.equal(config.temporal.address, '127.0.0.1:7233');
    assert.equal(config.temporal.namespace, 'default');
    assert.equal(config.staffbase.connection?.baseUrl, 'https://acme.staffbase.com/api');
    assert.equal(config.staffbase.requestsPerSecond, 10);
    assert.deepEqual(config.notifier, { kind: 'log' });
    assert.equal(config.appUrl, undefined);
    assert.equal(config.hrContactEmail, undefined);
    assert.equal(config.metrics, undefined);
    assert.deepEqual(config.logging, { format: 'pretty', level: 'INFO' });
    assert.equal(config.workflowBundlePath, undefined);
  });

  it('refuses to start without an encryption key unless encryption is explicitly off', () => {
    assert.deepEqual(
      (() => {
        try {
          readWorkerConfig(staffbase);
        } catch (error) {
          return error instanceof ConfigError ? error.variables : [];
        }
        return [];
      })(),
      ['LIFECYCLE_ENCRYPTION_KEY'],
    );
    assert.equal(readWorkerConfig({ ...staffbase, LIFECYCLE_ENCRYPTION: 'off' }).encryption.mode, 'off');
    const config = workerConfigFromEnv(staffbase);
    assert.equal(config.encryption.mode, 'on');
    assert.ok(!`${inspect(config, { depth: 10 })}${JSON.stringify(config)}`.includes(testEncryptionKey));
    assert.ok(workerSecretValues({ ...testEncryptionEnv }).includes(testEncryptionKey));
  });

  it('lets `npm start` go without a Staffbase platform (its simulator fills in)', () => {
    const config = workerConfigFromEnv({}, { allowEmbeddedStaffbase: true });
    assert.equal(config.staffbase.connection, undefined);
  });

  it('reads SMTP, contacts, metrics and the workflow bundle', () => {
    const bundle = path.join(dir, 'workflow-bundle.js');
    writeFileSync(bundle, '// bundle');
    const config = workerConfigFromEnv({
      ...staffbase,
      SMTP_HOST: 'smtp.example.com',
      SMTP_USER: 'mailer',
      SMTP_PASSWORD,
      SMTP_FROM: 'HR Team <hr@example.com>',
      STAFFBASE_APP_URL: 'https://app.example.com',
      HR_CONTACT_EMAIL: 'hr@example.com',
      METRICS_PORT: '9464',
      WORKFLOW_BUNDLE_PATH: bundle,
      NODE_ENV: 'production',
    });
    assert.equal(config.notifier.kind, 'smtp');
    assert.equal(config.notifier.kind === 'smtp' && config.notifier.smtp.auth?.pass, SMTP_PASSWORD);
    assert.equal(config.appUrl, 'https://app.example.com');
    assert.equal(config.hrContactEmail, 'hr@example.com');
    assert.deepEqual(config.metrics, { bindAddress: '127.0.0.1:9464' });
    assert.equal(config.workflowBundlePath, bundle);
    assert.equal(config.logging.format, 'json');
    // Nothing secret shows when the whole configuration is logged.
    const shown = `${inspect(config, { depth: 10 })}${JSON.stringify(config)}`;
    assert.doesNotMatch(shown, new RegExp(TOKEN));
    assert.ok(!shown.includes(SMTP_PASSWORD));
  });

  it('names every invalid or missing variable of every section at once', () => {
    const error = configErrorOf({
      TEMPORAL_ADDRESS: 'nowhere',
      TEMPORAL_API_KEY: `${API_KEY} x`,
      STAFFBASE_API_TOKEN: TOKEN, // without STAFFBASE_BASE_URL
      STAFFBASE_REQUESTS_PER_SECOND: 'fast',
      SMTP_HOST: 'smtp.example.com', // without SMTP_FROM and STAFFBASE_APP_URL
      SMTP_PASSWORD, // without SMTP_USER
      HR_CONTACT_EMAIL: 'not-an-address',
      METRICS_PORT: '99999',
      WORKFLOW_BUNDLE_PATH: path.join(dir, 'missing.js'),
      LOG_LEVEL: 'chatty',
    });
    assert.deepEqual(error.variables.sort(), [
      'HR_CONTACT_EMAIL',
      'LOG_LEVEL',
      'METRICS_PORT',
      'SMTP_FROM',
      'SMTP_USER',
      'STAFFBASE_APP_URL',
      'STAFFBASE_BASE_URL',
      'STAFFBASE_REQUESTS_PER_SECOND',
      'TEMPORAL_ADDRESS',
      'TEMPORAL_API_KEY',
      'WORKFLOW_BUNDLE_PATH',
    ]);
    for (const secret of [TOKEN, SMTP_PASSWORD, API_KEY]) {
      assert.ok(!error.message.includes(secret), 'a secret value appears in the error');
    }
  });

  it('requires the Staffbase platform in the worker process', () => {
    assert.deepEqual(configErrorOf({}).variables, ['STAFFBASE_BASE_URL', 'STAFFBASE_API_TOKEN']);
  });

  it('reports STAFFBASE_APP_URL once when SMTP is on and the URL is bad', () => {
    const error = configErrorOf({
      ...staffbase,
      SMTP_HOST: 'smtp.example.com',
      SMTP_FROM: 'hr@example.com',
      STAFFBASE_APP_URL: 'app',
    });
    assert.deepEqual(error.variables, ['STAFFBASE_APP_URL']);
    assert.equal(error.problems.length, 1);
  });

  it('points out SMTP settings that would be ignored without SMTP_HOST', () => {
    const error = configErrorOf({ ...staffbase, SMTP_FROM: 'hr@example.com', SMTP_PORT: '465' });
    assert.deepEqual(error.variables, ['SMTP_HOST']);
    assert.match(error.message, /SMTP_PORT, SMTP_FROM/);
  });

  it('reads the retention floor OFFBOARDING_MIN_RETENTION_DAYS: default 1 day, 0 allowed, bad values named', () => {
    assert.equal(workerConfigFromEnv(staffbase).offboardingMinRetentionDays, 1);
    assert.equal(
      workerConfigFromEnv({ ...staffbase, OFFBOARDING_MIN_RETENTION_DAYS: '0' }).offboardingMinRetentionDays,
      0,
    );
    assert.equal(
      workerConfigFromEnv({ ...staffbase, OFFBOARDING_MIN_RETENTION_DAYS: ' 7 ' })
        .offboardingMinRetentionDays,
      7,
    );
    for (const bad of ['-1', 'one', '1.5', '3651']) {
      const error = configErrorOf({ ...staffbase, OFFBOARDING_MIN_RETENTION_DAYS: bad });
      assert.deepEqual(error.variables, ['OFFBOARDING_MIN_RETENTION_DAYS'], bad);
      assert.ok(!error.message.includes(`=${bad}`), 'the message does not echo the value');
    }
    assert.ok((WORKER_ENV_VARS as readonly string[]).includes('OFFBOARDING_MIN_RETENTION_DAYS'));
  });

  it('sizes the workflow cache from WORKER_MEMORY_BUDGET_MB, and refuses it beside WORKER_MAX_CACHED_WORKFLOWS', () => {
    const budgeted = workerConfigFromEnv({ ...staffbase, WORKER_MEMORY_BUDGET_MB: '400' }).memory;
    assert.equal(budgeted.budgetMb, 400);
    assert.ok(budgeted.maxCachedWorkflows > 100, `${budgeted.maxCachedWorkflows}`);
    const error = configErrorOf({
      ...staffbase,
      WORKER_MEMORY_BUDGET_MB: '400',
      WORKER_MAX_CACHED_WORKFLOWS: '100',
    });
    assert.deepEqual(error.variables, ['WORKER_MEMORY_BUDGET_MB']);
    assert.match(error.message, /WORKER_MEMORY_BUDGET_MB and WORKER_MAX_CACHED_WORKFLOWS are both set/);
    assert.ok((WORKER_ENV_VARS as readonly string[]).includes('WORKER_MEMORY_BUDGET_MB'));
  });

  it('lists every variable it reads and the values to keep out of logs', () => {
    for (const name of [
      'TEMPORAL_ADDRESS',
      'STAFFBASE_API_TOKEN',
      'SMTP_HOST',
      'METRICS_PORT',
      'LOG_FORMAT',
    ]) {
      assert.ok((WORKER_ENV_VARS as readonly string[]).includes(name), name);
    }
    assert.deepEqual(
      workerSecretValues({ ...staffbase, SMTP_PASSWORD, TEMPORAL_API_KEY: API_KEY, OTHER: 'x' }).sort(),
      [API_KEY, TOKEN, SMTP_PASSWORD].sort(),
    );
  });
});
