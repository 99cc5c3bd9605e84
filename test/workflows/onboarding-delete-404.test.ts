import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startOnboarding } from '../../client/lifecycle-runs';
import type { AttentionAnswer } from '../../lifecycle/attention';
import { retryStepUpdate } from '../../workflows/attention-messages';
import {
  cancelOnboardingSignal,
  onboardingStatusQuery,
  type OnboardingOutcome,
} from '../../workflows/onboarding-messages';
import { type LifecycleTestStack, useLifecycleTestStack } from '../helpers/lifecycle-stack';
import { newHire, onboardingPolicy } from '../helpers/people';
import { waitFor } from '../helpers/waiting';

/**
 * Issue 27, patch `onboarding-delete-404-confirmed`: the pending account's DELETE answered 404 while
 * the account still exists parks the onboarding as `not-permitted`. Time-skipping server, real
 * activities, the simulator.
 */
describe('onboarding: a pending deletion answered 404 is confirmed by a read', () => {
  let stack: LifecycleTestStack;
  useLifecycleTestStack(
    { server: 'time-skipping', longLivedWorkers: true, resetSimulatorBeforeEach: true },
    (started) => (stack = started),
  );
  const handleOf = (workflowId: string) => stack.env.client.workflow.getHandle(workflowId);

  it('a withdrawn offer whose DELETE answers 404 waits as not-permitted; a retry deletes', async () => {
    const hire = newHire();
    const outcome = await stack.runWorkers(async () => {
      const run = stack.track(
        await startOnboarding(stack.env.client, hire, onboardingPolicy({ cancelAction: 'delete-pending' })),
      );
      await waitFor(
        () => handleOf(run.workflowId).query(onboardingStatusQuery),
        (status) => status.stage === 'awaiting-activation',
        { what: 'stage awaiting-activation', timeoutMs: 60_000 },
      );
      await stack.control.setFaults([{ route: 'DELETE /users/:id', failNext: 1, errorStatus: 404 }]);
      await handleOf(run.workflowId).signal(cancelOnboardingSignal, { reason: 'offer withdrawn' });
      const parked = await waitFor(
        () => handleOf(run.workflowId).query(onboardingStatusQuery),
        (status) => status.stage === 'needs-attention',
        { what: 'stage needs-attention', timeoutMs: 60_000 },
      );
      assert.equal(parked.attention?.code, 'not-permitted');
      assert.equal(parked.attention?.step, 'delete-pending');
      assert.equal((await stack.control.user(hire.externalID))?.status, 'pending', 'still there');

      const answer: AttentionAnswer = await handleOf(run.workflowId).executeUpdate(retryStepUpdate);
      assert.equal(answer.result, 'resolved');
      return (await handleOf(run.workflowId).result()) as OnboardingOutcome;
    });
    assert.equal(outcome.result, 'cancelled');
    assert.equal(outcome.accountAction, 'deleted');
    assert.equal(await stack.control.user(hire.externalID), undefined);
  });
});
