import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { toActivityFailure } from '../../activities/activity-failures';
import { errorFromResponse } from '../../staffbase/classify';
import { createRedactor } from '../../staffbase/redaction';

const redact = createRedactor('token-never-shown');

function retryDelayFor(status: number, retryAfter?: string): unknown {
  const failure = toActivityFailure(errorFromResponse('test', { status, retryAfter, bodyText: '' }, redact));
  assert.ok(failure instanceof ApplicationFailure);
  return failure.nextRetryDelay;
}

describe('Retry-After becomes the next retry delay, clamped to 1 s – 15 min', () => {
  it('honours it on 429 and on 503', () => {
    assert.equal(retryDelayFor(429, '7'), 7_000);
    assert.equal(retryDelayFor(503, '30'), 30_000);
  });

  it('raises 0 to one second and caps a day at 15 minutes', () => {
    assert.equal(retryDelayFor(429, '0'), 1_000);
    assert.equal(retryDelayFor(429, '86400'), 15 * 60_000);
    assert.equal(retryDelayFor(503, '86400'), 15 * 60_000);
  });

  it('leaves the retry policy’s exponential backoff in charge without a header', () => {
    assert.equal(retryDelayFor(429), undefined);
    assert.equal(retryDelayFor(503), undefined);
    assert.equal(retryDelayFor(500, 'soon'), undefined);
  });

  it('never delays a final failure', () => {
    assert.equal(retryDelayFor(409, '5'), undefined);
  });
});

describe('a refusal names the field to correct (needs-attention)', () => {
  const refusal = (status: number, message: string) => {
    const failure = toActivityFailure(
      errorFromResponse(
        'createUser',
        { status, retryAfter: undefined, bodyText: JSON.stringify({ statusCode: status, message }) },
        redact,
      ),
    );
    assert.ok(failure instanceof ApplicationFailure);
    return {
      type: failure.type,
      nonRetryable: failure.nonRetryable,
      detail: failure.details?.[0],
      message: failure.message,
      category: failure.category,
    };
  };

  it('carries the taken field of a 409 and the named field of a 400, final either way', () => {
    const conflict = refusal(409, 'A user with this userName already exists');
    assert.equal(conflict.type, 'StaffbaseConflictError');
    assert.equal(conflict.nonRetryable, true);
    assert.deepEqual(conflict.detail, {
      operation: 'createUser',
      status: 409,
      kind: 'conflict',
      field: 'userName',
      staffbaseMessage: 'A user with this userName already exists',
    });
    assert.equal((refusal(400, 'invalid locale "xx-YY"').detail as { field?: string }).field, 'locale');
    assert.equal((refusal(400, 'unknown group 5f3c').detail as { field?: string }).field, 'groupIDs');
    assert.equal((refusal(400, 'bad request').detail as { field?: string }).field, undefined);
  });

  it('marks a refused token as auth, for `retry --all --code auth`', () => {
    const auth = refusal(401, 'login required');
    assert.equal(auth.type, 'StaffbaseAuthError');
    assert.equal((auth.detail as { kind?: string }).kind, 'auth');
    assert.equal(auth.category, undefined, 'a refused token is the operator’s problem: logged as a warning');
  });

  it('keeps Staffbase’s words (which quote the person’s values) out of the message, which is logged', () => {
    const conflict = refusal(409, 'userName "ada.lovelace.7" is already used by ada@example.test');
    assert.match(conflict.message, /^createUser: HTTP 409/);
    assert.ok(!conflict.message.includes('ada'), conflict.message);
    assert.equal(
      (conflict.detail as { staffbaseMessage?: string }).staffbaseMessage,
      'userName "ada.lovelace.7" is already used by ada@example.test',
    );
    assert.equal(conflict.category, ApplicationFailureCategory.BENIGN, 'an expected refusal logs at debug');
    assert.equal(refusal(400, 'bad locale').category, ApplicationFailureCategory.BENIGN);
    assert.equal(refusal(404, 'no such user').category, ApplicationFailureCategory.BENIGN);
    assert.equal(refusal(500, 'boom').category, undefined);
  });
});
