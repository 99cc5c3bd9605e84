import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { toActivityFailure } from '../../activities/activity-failures';
import { errorFromResponse } from '../../activities/staffbase/classify';
import { createRedactor } from '../../activities/staffbase/redaction';

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
