import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import { SmtpConfigError, smtpConfigFromEnv } from '../../config/smtp';

const PASSWORD = 'Tr0ub4dor&3-horse';
const minimal = {
  SMTP_HOST: 'smtp.example.com',
  SMTP_FROM: 'HR Team <hr@example.com>',
  STAFFBASE_APP_URL: 'https://app.example.com',
};

function problemsOf(env: NodeJS.ProcessEnv): SmtpConfigError {
  try {
    smtpConfigFromEnv(env);
  } catch (error) {
    assert.ok(error instanceof SmtpConfigError);
    return error;
  }
  assert.fail('expected an SmtpConfigError');
}

describe('smtpConfigFromEnv', () => {
  it('applies the defaults: port 587, no implicit TLS but STARTTLS required, no auth', () => {
    assert.deepEqual(smtpConfigFromEnv(minimal), {
      host: 'smtp.example.com',
      port: 587,
      secure: false,
      requireTLS: true,
      auth: undefined,
      from: 'HR Team <hr@example.com>',
      appUrl: 'https://app.example.com',
    });
  });

  it('reads every variable, ignoring unrelated ones and treating empty ones as unset', () => {
    const config = smtpConfigFromEnv({
      ...minimal,
      SMTP_PORT: '465',
      SMTP_SECURE: 'TRUE',
      SMTP_USER: 'mailer',
      SMTP_PASSWORD: PASSWORD,
      PATH: '/usr/bin',
    });
    assert.equal(config.port, 465);
    assert.equal(config.secure, true);
    assert.equal(config.auth?.user, 'mailer');
    assert.equal(config.auth?.pass, PASSWORD);
    assert.equal(smtpConfigFromEnv({ ...minimal, SMTP_PORT: '', SMTP_SECURE: '0', SMTP_USER: '' }).port, 587);
  });

  it('requires STARTTLS unless TLS is implicit (SMTP_SECURE) or SMTP_REQUIRE_TLS=false opts out', () => {
    assert.equal(smtpConfigFromEnv({ ...minimal, SMTP_SECURE: 'true' }).requireTLS, false);
    assert.equal(smtpConfigFromEnv({ ...minimal, SMTP_REQUIRE_TLS: 'false' }).requireTLS, false);
    assert.equal(smtpConfigFromEnv({ ...minimal, SMTP_REQUIRE_TLS: 'true' }).requireTLS, true);
  });

  it('accepts host names and IP addresses as SMTP_HOST', () => {
    for (const host of [
      'localhost',
      'smtp.example.com',
      'mail-1.eu.example.com',
      '127.0.0.1',
      '::1',
      '[::1]',
    ]) {
      assert.equal(smtpConfigFromEnv({ ...minimal, SMTP_HOST: host }).host, host);
    }
  });

  it('hides the password when the config is logged or serialised', () => {
    const config = smtpConfigFromEnv({ ...minimal, SMTP_USER: 'mailer', SMTP_PASSWORD: PASSWORD });
    assert.ok(!JSON.stringify(config).includes(PASSWORD));
    assert.ok(!inspect(config, { depth: 5 }).includes(PASSWORD));
    assert.ok(!JSON.stringify({ ...config, auth: { ...config.auth } }).includes(PASSWORD));
  });

  it('names every missing required variable at once', () => {
    const error = problemsOf({});
    for (const name of ['SMTP_HOST', 'SMTP_FROM', 'STAFFBASE_APP_URL'])
      assert.match(error.message, new RegExp(name));
    assert.doesNotMatch(error.message, /SMTP_PORT|SMTP_SECURE|SMTP_USER|SMTP_PASSWORD/);
    assert.equal(error.problems.length, 3);
  });

  it('names every bad variable at once, including the credential pair', () => {
    const error = problemsOf({
      SMTP_HOST: 'smtp example com',
      SMTP_PORT: '70000',
      SMTP_SECURE: 'maybe',
      SMTP_PASSWORD: PASSWORD,
      SMTP_FROM: 'hr@example.com, boss@example.com',
      STAFFBASE_APP_URL: 'ftp://app.example.com',
    });
    for (const name of [
      'SMTP_HOST',
      'SMTP_PORT',
      'SMTP_SECURE',
      'SMTP_USER',
      'SMTP_FROM',
      'STAFFBASE_APP_URL',
    ]) {
      assert.match(error.message, new RegExp(`${name} `), name);
    }
    assert.match(error.message, /SMTP_USER is required when SMTP_PASSWORD is set/);
    assert.ok(!error.message.includes(PASSWORD));
  });

  it('wants SMTP_PASSWORD when SMTP_USER is given', () => {
    const error = problemsOf({ ...minimal, SMTP_USER: 'mailer' });
    assert.deepEqual(error.problems, ['SMTP_PASSWORD is required when SMTP_USER is set']);
  });

  it('never echoes the password, even when it was pasted into another variable', () => {
    const error = problemsOf({
      SMTP_USER: 'mailer',
      SMTP_PASSWORD: PASSWORD,
      SMTP_HOST: PASSWORD,
      SMTP_FROM: PASSWORD,
      STAFFBASE_APP_URL: PASSWORD,
      SMTP_PORT: PASSWORD,
      SMTP_SECURE: PASSWORD,
    });
    const everything = `${error.message} ${error.stack ?? ''} ${JSON.stringify(error)} ${inspect(error)}`;
    assert.ok(!everything.includes(PASSWORD));
    assert.match(error.message, /SMTP_HOST/);
  });
});
