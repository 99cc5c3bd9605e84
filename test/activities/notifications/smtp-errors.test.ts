import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotificationDeliveryError } from '../../../activities/notifications/errors';
import { kindOfSmtpFailure, redact, toDeliveryError } from '../../../activities/notifications/smtp-errors';

describe('kindOfSmtpFailure', () => {
  it('follows the SMTP reply class when there is one', () => {
    assert.equal(kindOfSmtpFailure('EENVELOPE', 450), 'transient');
    assert.equal(kindOfSmtpFailure('EAUTH', 454), 'transient');
    assert.equal(kindOfSmtpFailure('EENVELOPE', 550), 'permanent');
    assert.equal(kindOfSmtpFailure('EAUTH', 535), 'permanent');
    assert.equal(kindOfSmtpFailure('EMESSAGE', 552), 'permanent');
  });

  it('without a reply: network trouble is transient, a refused message or login permanent', () => {
    for (const code of ['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EDNS', 'ETLS', undefined]) {
      assert.equal(kindOfSmtpFailure(code, undefined), 'transient', String(code));
    }
    for (const code of ['EAUTH', 'EENVELOPE', 'EMESSAGE'])
      assert.equal(kindOfSmtpFailure(code, undefined), 'permanent');
  });
});

describe('toDeliveryError', () => {
  const secrets = { user: 'mailer', pass: 'hunter2-secret' };

  it('redacts the password in every form the SMTP dialogue could carry it', () => {
    const plain = Buffer.from('\u0000mailer\u0000hunter2-secret').toString('base64');
    const login = Buffer.from('hunter2-secret').toString('base64');
    const text = `bad: hunter2-secret / AUTH PLAIN ${plain} / ${login}`;
    const redacted = redact(text, secrets);
    for (const secret of ['hunter2-secret', plain, login]) assert.ok(!redacted.includes(secret));
    assert.equal(redact(text, undefined), text);
  });

  it('keeps the reply code, command and error code, without the original error as cause', () => {
    const smtpError = Object.assign(new Error('Invalid login: 535 hunter2-secret rejected'), {
      code: 'EAUTH',
      responseCode: 535,
      command: 'AUTH PLAIN',
    });
    const error = toDeliveryError('invitation reminder', smtpError, secrets);
    assert.ok(error instanceof NotificationDeliveryError);
    assert.equal(error.kind, 'permanent');
    assert.equal(error.retryable, false);
    assert.deepEqual(error.details, { responseCode: 535, command: 'AUTH PLAIN', code: 'EAUTH' });
    assert.equal(
      error.message,
      'Could not deliver invitation reminder (permanent): Invalid login: 535 [redacted] rejected',
    );
    assert.equal(error.cause, undefined);
  });

  it('passes an already classified error through and copes with non-errors', () => {
    const classified = new NotificationDeliveryError('x', 'permanent');
    assert.equal(toDeliveryError('notice', classified, secrets), classified);
    const odd = toDeliveryError('notice', 'socket hang up', undefined);
    assert.equal(odd.kind, 'transient');
    assert.match(odd.message, /socket hang up/);
  });
});
