import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorFromResponse, errorFromTransport } from '../../staffbase/classify';
import {
  StaffbaseAuthError,
  StaffbaseConflictError,
  StaffbaseMalformedResponseError,
  StaffbaseNotFoundError,
  StaffbaseRateLimitedError,
  StaffbaseTransientError,
  StaffbaseValidationError,
  isStaffbaseApiError,
} from '../../staffbase/errors';
import { createRedactor } from '../../staffbase/redaction';

const token = Buffer.from('5c1b6a2f9f1e2a0001a1b2c3:very-secret-part-123').toString('base64');
const redact = createRedactor(token);
const body = (fields: Record<string, unknown>) => JSON.stringify(fields);
const classify = (status: number, bodyText = '', retryAfter?: string) =>
  errorFromResponse('getUser', { status, bodyText, retryAfter }, redact);

describe('error classification by status', () => {
  const cases = [
    [400, StaffbaseValidationError, 'validation', false],
    [422, StaffbaseValidationError, 'validation', false],
    [401, StaffbaseAuthError, 'auth', false],
    [403, StaffbaseAuthError, 'auth', false],
    [404, StaffbaseNotFoundError, 'not-found', false],
    [409, StaffbaseConflictError, 'conflict', false],
    [429, StaffbaseRateLimitedError, 'rate-limited', true],
    [408, StaffbaseTransientError, 'transient', true],
    [500, StaffbaseTransientError, 'transient', true],
    [502, StaffbaseTransientError, 'transient', true],
    [503, StaffbaseTransientError, 'transient', true],
    [302, StaffbaseMalformedResponseError, 'malformed-response', false],
  ] as const;
  for (const [status, type, kind, retryable] of cases) {
    it(`${status} → ${type.name}`, () => {
      const error = classify(status);
      assert.ok(error instanceof type);
      assert.ok(isStaffbaseApiError(error));
      assert.equal(error.kind, kind);
      assert.equal(error.retryable, retryable);
      assert.equal(error.status, status);
      assert.equal(error.operation, 'getUser');
      assert.equal(error.name, type.name);
      assert.match(error.message, new RegExp(`^getUser: .*HTTP ${status}`));
    });
  }

  it('ignores ref when deciding (a 500 claiming a validation ref stays transient)', () => {
    const error = classify(500, body({ ref: 'ERROR_INVALID_REQUEST', message: 'bad' }));
    assert.equal(error.retryable, true);
  });

  it('names Staffbase message, ref and traceId in the message and keeps them as details', () => {
    const error = classify(
      401,
      body({
        traceId: 'abc',
        type: 'UnauthorizedError',
        ref: 'ERROR_LOGIN_REQUIRED',
        statusCode: 401,
        message: 'Login required',
        identifier: 40102,
      }),
    );
    assert.deepEqual(error.staffbase, {
      traceId: 'abc',
      type: 'UnauthorizedError',
      ref: 'ERROR_LOGIN_REQUIRED',
      message: 'Login required',
      identifier: '40102',
    });
    assert.match(error.message, /getUser: HTTP 401 — Staffbase: "Login required" \(ref ERROR_LOGIN_REQUIRED/);
    assert.match(error.message, /traceId abc/);
  });

  it('tolerates non-JSON error bodies (proxy HTML)', () => {
    const error = classify(502, '<html>Bad gateway</html>');
    assert.equal(error.staffbase, undefined);
    assert.equal(error.message, 'getUser: HTTP 502');
  });

  it('reads the conflicting field from the message', () => {
    const field = (message: string) => (classify(409, body({ message })) as StaffbaseConflictError).field;
    assert.equal(field('userName "ada" is already taken'), 'userName');
    assert.equal(field('A user with this email address already exists'), 'email');
    assert.equal(field('externalID E1 already exists'), 'externalID');
    assert.equal(
      field('emails: a user with the primary email "username@externalid.com" already exists'),
      'email',
    );
    assert.equal(field('userName: a user with userName "e-mail" already exists'), 'userName');
    assert.equal(field('duplicate'), undefined);
    assert.equal(Object.hasOwn(classify(409, body({ message: 'duplicate' })), 'field'), false);
  });

  it('parses Retry-After on 429 and 503', () => {
    assert.equal((classify(429, '', '2') as StaffbaseRateLimitedError).retryAfterMs, 2000);
    assert.equal((classify(429, '') as StaffbaseRateLimitedError).retryAfterMs, undefined);
    assert.equal((classify(503, '', '4') as StaffbaseTransientError).retryAfterMs, 4000);
  });

  it('redacts the token and its decoded secret from anything Staffbase echoes', () => {
    const error = classify(400, body({ message: `bad header Basic ${token} / very-secret-part-123` }));
    assert.equal(error.message.includes(token), false);
    assert.equal(error.message.includes('very-secret-part-123'), false);
    assert.match(error.message, /\[redacted\]/);
  });
});

describe('transport failure classification', () => {
  it('is transient, keeps the code, and carries a fresh sanitized cause', () => {
    const original = Object.assign(new Error(`connect ECONNREFUSED (auth ${token})`), {
      code: 'ECONNREFUSED',
      headers: { authorization: `Basic ${token}` },
    });
    const error = errorFromTransport('deleteUser', original, redact);
    assert.ok(error instanceof StaffbaseTransientError);
    assert.equal(error.retryable, true);
    assert.equal(error.code, 'ECONNREFUSED');
    assert.equal(error.status, undefined);
    assert.match(error.message, /^deleteUser: no response \(ECONNREFUSED/);
    assert.notEqual(error.cause, original);
    assert.equal(JSON.stringify(error.cause).includes(token), false);
    assert.equal(String((error.cause as Error).message).includes(token), false);
  });

  it('finds the code of a wrapped socket error', () => {
    const inner = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const outer = new Error('other side closed', { cause: inner });
    assert.equal(errorFromTransport('getUser', outer, redact).code, 'ECONNRESET');
  });
});
