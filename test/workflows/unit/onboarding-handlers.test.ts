/**
 * Onboarding unit test, patch `onboarding-awaits-handlers`: an update accepted while its step was
 * already being retried has no retry left to answer it; the run answers it when it finishes (the
 * desk's settleAll) and completes only after its handler finished, so the caller gets the answer, not
 * "workflow execution already completed", and the SDK logs no unfinished-handler warning (TMPRL1102).
 * Today's handlers finish in the finishing activation, so the `allHandlersFinished` wait guards
 * handlers to come; without the settleAll this test fails. The real workflow on the time-skipping
 * server with STUBBED activities (stubbed-workers.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { WorkflowUpdateStage } from '@temporalio/client';
import { retryStepUpdate } from '../../../workflows/attention-messages';
import { onboardingActivatedSignal, onboardingStatusQuery } from '../../../workflows/onboarding-messages';
import { LOG_CAPTURE_DIR_ENV } from '../../../config/log-capture';
import { gate, reached } from './bulk-fixtures';
import { account, newAccountStubs, startOnboarding } from './onboarding-fixtures';
import { type Stubs, type UnitTestBed, refusal, useStubbedWorkers } from './stubbed-workers';

/**
 * The SDK's warning that a run finished with an update handler still running (TMPRL1102), for this
 * run, from the lines `npm test` captures (config/log-capture.ts).
 */
function unfinishedHandlerWarnings(workflowId: string): string[] {
  const dir = process.env[LOG_CAPTURE_DIR_ENV];
  assert.ok(dir, `run through \`npm test\`: it sets ${LOG_CAPTURE_DIR_ENV}, which this test reads`);
  return readdirSync(dir)
    .flatMap((file) => readFileSync(path.join(dir, file), 'utf8').split('\n'))
    .filter((line) => line.includes('TMPRL1102') && line.includes(workflowId));
}

describe('onboarding, its update handlers before it finishes (unit: stubbed activities, time-skipping server)', () => {
  let bed: UnitTestBed;
  useStubbedWorkers((started) => (bed = started));

  it('answers a retry accepted during the retried create when it finishes, before it completes', async () => {
    const token = { back: false };
    const createHeld = gate();
    const stubs: Stubs = {
      ...newAccountStubs,
      createAccount: async () => {
        if (!token.back) throw refusal('StaffbaseAuthError', 'HTTP 401', { kind: 'auth' });
        await createHeld.pass();
        return { result: 'created', account: account('pending') };
      },
      notifyNeedsAttention: () => 'sent',
    };
    const run = await startOnboarding(bed, stubs);
    await bed.until(
      () => run.handle.query(onboardingStatusQuery),
      (status) => status.stage === 'needs-attention',
      'needs-attention',
    );

    token.back = true;
    const first = await run.handle.startUpdate(retryStepUpdate, {
      waitForStage: WorkflowUpdateStage.ACCEPTED,
    });
    await reached(bed, createHeld, 'the retried create');
    // The run still waits in needs-attention while the retried create runs: the validator accepts.
    const second = await run.handle.startUpdate(retryStepUpdate, {
      waitForStage: WorkflowUpdateStage.ACCEPTED,
    });
    createHeld.open();
    assert.equal((await first.result()).result, 'resolved');

    await bed.until(
      () => run.handle.query(onboardingStatusQuery),
      (status) => status.stage === 'awaiting-activation',
      'awaiting-activation',
    );
    await run.handle.signal(onboardingActivatedSignal, {});
    const outcome = await run.result();
    assert.equal(outcome.result, 'activated');
    const late = await second.result();
    assert.equal(late.result, 'run-ended');
    assert.equal(late.stage, 'completed');
    assert.deepEqual(
      unfinishedHandlerWarnings(run.workflowId),
      [],
      'the run finished before its update handler',
    );
  });
});
