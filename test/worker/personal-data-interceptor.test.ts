import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApplicationFailure, ApplicationFailureCategory, CancelledFailure } from '@temporalio/common';
import {
  PERSONAL_VALUE_REDACTED,
  personalValuesOf,
  scrubbedActivityError,
} from '../../worker/interceptors/personal-data-interceptor';

const hire = {
  externalID: 'emp-77',
  userName: 'grace.hopper.77',
  firstName: 'Grace',
  lastName: 'Hopper',
  email: 'grace.77@example.test',
  profile: { department: 'Navy' },
};

describe('personal data in activity failures', () => {
  it('finds the person’s values in an activity input, at any depth, and every email address', () => {
    const values = personalValuesOf([{ request: hire, note: 'cc boss@example.test' }, 'stf-1']);
    for (const value of [
      'grace.hopper.77',
      'Grace',
      'Hopper',
      'grace.77@example.test',
      'boss@example.test',
    ]) {
      assert.ok(values.includes(value), `${value} is found`);
    }
    for (const value of ['emp-77', 'stf-1', 'Navy']) assert.ok(!values.includes(value), `${value} is kept`);
  });

  it('scrubs an ApplicationFailure’s message, stack and cause, keeping type, retry decision, details and category', () => {
    const cause = new Error('SMTP 550 <grace.77@example.test> unknown');
    const failure = new ApplicationFailure(
      'createUser: userName grace.hopper.77 (GRACE HOPPER) is taken',
      'StaffbaseConflictError',
      true,
      [{ field: 'userName', kind: 'conflict' }],
      cause,
      undefined,
      ApplicationFailureCategory.BENIGN,
    );
    const scrubbed = scrubbedActivityError(failure, personalValuesOf([hire]));
    assert.ok(scrubbed instanceof ApplicationFailure);
    assert.equal(scrubbed.type, 'StaffbaseConflictError');
    assert.equal(scrubbed.nonRetryable, true);
    assert.equal(scrubbed.category, ApplicationFailureCategory.BENIGN);
    assert.deepEqual(scrubbed.details, [{ field: 'userName', kind: 'conflict' }]);
    assert.equal(
      scrubbed.message,
      `createUser: userName ${PERSONAL_VALUE_REDACTED} (${PERSONAL_VALUE_REDACTED} ${PERSONAL_VALUE_REDACTED}) is taken`,
    );
    const texts = `${scrubbed.message}\n${scrubbed.stack ?? ''}\n${String((scrubbed.cause as Error).message)}`;
    for (const value of ['grace', 'hopper', 'example.test']) {
      assert.ok(!texts.toLowerCase().includes(value), `${value} is gone from ${texts}`);
    }
  });

  it('scrubs any other error in place, and leaves a cancellation untouched', () => {
    const error = new TypeError('cannot read grace.77@example.test');
    const scrubbed = scrubbedActivityError(error, []);
    assert.equal(scrubbed, error);
    assert.ok(scrubbed instanceof TypeError);
    assert.equal(scrubbed.message, `cannot read ${PERSONAL_VALUE_REDACTED}`);
    const cancelled = new CancelledFailure('cancelled while creating Grace');
    assert.equal(scrubbedActivityError(cancelled, ['Grace']), cancelled);
    assert.equal(cancelled.message, 'cancelled while creating Grace');
  });
});
