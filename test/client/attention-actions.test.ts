/**
 * The shared needs-attention client code where it needs no Temporal: the correction's validation, the
 * visibility query of the bulk retry, and the root cause of a failed run (the innermost cause of
 * WorkflowFailedError → ActivityFailure → ApplicationFailure). The end-to-end paths are in
 * test/client/cli/attention-e2e.test.ts and test/client/http/attention-api.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, RetryState, TerminatedFailure } from '@temporalio/common';
import { validateCorrection, waitingRunsQuery } from '../../client/attention-actions';
import { rootCause, rootCauseMessage } from '../../client/failure-cause';
import { listRunsQuery } from '../../client/run-list';

describe('needs-attention client code', () => {
  it('validates a correction by the start request’s rules, naming each field, at least one field', () => {
    assert.deepEqual(validateCorrection({ userName: 'ada.2' }), { ok: true, value: { userName: 'ada.2' } });
    const bad = validateCorrection({ email: 'not-an-email', locale: 'German' });
    assert.equal(bad.ok, false);
    assert.deepEqual(!bad.ok && bad.problems.map((problem) => problem.field).sort(), ['email', 'locale']);
    const empty = validateCorrection({});
    assert.equal(empty.ok, false);
    assert.match(!empty.ok ? (empty.problems[0]?.message ?? '') : '', /at least one field/);
    const unknown = validateCorrection({ externalID: 'emp-2' });
    assert.equal(unknown.ok, false);
    assert.match(!unknown.ok ? (unknown.problems[0]?.message ?? '') : '', /unknown field\(s\): externalID/);
  });

  it('finds waiting runs by LifecycleStage, and by AttentionCode when a code is given', () => {
    assert.equal(
      waitingRunsQuery(),
      "WorkflowType IN ('onboarding', 'offboarding') AND ExecutionStatus = 'Running' AND LifecycleStage = 'needs-attention'",
    );
    assert.equal(
      waitingRunsQuery({ code: 'auth' }),
      "WorkflowType IN ('onboarding', 'offboarding') AND ExecutionStatus = 'Running' AND " +
        "LifecycleStage = 'needs-attention' AND AttentionCode = 'auth'",
    );
    // The code goes into a query string: only the four codes pass.
    assert.throws(() => waitingRunsQuery({ code: "auth' OR '1'='1" as never }));
    assert.match(listRunsQuery({ stage: 'needs-attention' }), /LifecycleStage = 'needs-attention'/);
  });

  it('shows the innermost cause of a failed run, not "Activity task failed"', () => {
    const staffbase = ApplicationFailure.nonRetryable(
      'Staffbase 409: userName "ada.lovelace" already exists',
      'StaffbaseConflict',
    );
    const activity = new ActivityFailure(
      'Activity task failed',
      'createUser',
      '1',
      RetryState.NON_RETRYABLE_FAILURE,
      'worker',
      staffbase,
    );
    const workflow = new WorkflowFailedError(
      'Workflow execution failed',
      activity,
      RetryState.NON_RETRYABLE_FAILURE,
    );
    assert.deepEqual(rootCause(workflow), {
      message: 'Staffbase 409: userName "ada.lovelace" already exists',
      type: 'StaffbaseConflict',
    });
    // An empty innermost message falls back to the nearest cause that says something.
    const silent = new ActivityFailure(
      'Activity task failed',
      'x',
      '1',
      RetryState.NON_RETRYABLE_FAILURE,
      'w',
      new Error(''),
    );
    assert.equal(
      rootCauseMessage(new WorkflowFailedError('failed', silent, RetryState.NON_RETRYABLE_FAILURE)),
      'Activity task failed',
    );
    assert.equal(
      rootCauseMessage(
        new WorkflowFailedError(
          'Workflow execution terminated',
          new TerminatedFailure('stuck run'),
          RetryState.NON_RETRYABLE_FAILURE,
        ),
      ),
      'stuck run',
    );
    assert.equal(rootCauseMessage('plain text'), 'plain text');
  });
});
