import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { RecordingNotifier } from '../../activities/notifications/recording-notifier';
import { startOffboarding, startOnboarding } from '../../client/lifecycle-runs';
import type { AttentionAnswer } from '../../lifecycle/attention';
import { correctOnboardingUpdate, retryStepUpdate } from '../../workflows/attention-messages';
import { offboardingStatusQuery } from '../../workflows/offboarding-messages';
import {
  onboardingActivatedSignal,
  onboardingStatusQuery,
  type OnboardingOutcome,
} from '../../workflows/onboarding-messages';
import { type LifecycleTestStack, useLifecycleTestStack } from '../helpers/lifecycle-stack';
import { newHire, offboardingPolicy, onboardingPolicy, uniqueSuffix } from '../helpers/people';
import { TEST_TOKEN } from '../helpers/simulator';
import { waitFor } from '../helpers/waiting';

/**
 * needs-attention: a refusal a person can fix parks the run; a correction or a retry resumes it. Real
 * dev server (visibility finds the parked runs by AttentionCode), real activities, the simulator.
 */
describe('needs-attention (dev server, real activities against the simulator)', () => {
  let stack: LifecycleTestStack;
  useLifecycleTestStack(
    { server: 'dev-server', longLivedWorkers: true, resetSimulatorBeforeEach: true },
    (started) => (stack = started),
  );

  const handleOf = (workflowId: string) => stack.env.client.workflow.getHandle(workflowId);
  const onboardingStatus = (workflowId: string) => handleOf(workflowId).query(onboardingStatusQuery);
  const offboardingStatus = (workflowId: string) => handleOf(workflowId).query(offboardingStatusQuery);
  const notices = () => (stack.notifier as RecordingNotifier).needsAttentionNotices;
  const parkedWith = async (code: string, externalID: string) => {
    const query = `AttentionCode = '${code}' AND StaffbaseExternalId = '${externalID}' AND ExecutionStatus = 'Running'`;
    let count = 0;
    for await (const _run of stack.env.client.workflow.list({ query })) count += 1;
    return count;
  };

  it('a taken userName parks the onboarding; a correction creates exactly one account and goes on', async () => {
    const id = uniqueSuffix();
    await stack.control.seedUser({
      externalID: `someone-else-${id}`,
      userName: `taken.${id}`,
      firstName: 'Other',
      lastName: 'Person',
      emails: [{ value: `other.${id}@example.test`, primary: true }],
    });
    const hire = newHire({ userName: `taken.${id}` });
    const run = stack.track(await startOnboarding(stack.env.client, hire, onboardingPolicy()));

    const parked = await waitFor(
      () => onboardingStatus(run.workflowId),
      (status) => status.stage === 'needs-attention',
      { what: 'stage needs-attention', timeoutMs: 60_000 },
    );
    assert.equal(parked.attention?.code, 'conflict');
    assert.equal(parked.attention?.field, 'userName');
    assert.equal(parked.attention?.step, 'create-account');
    assert.match(parked.attention?.message ?? '', /already|exists|taken|conflict/i);
    await waitFor(
      () => parkedWith('conflict', hire.externalID),
      (count) => count === 1,
      { what: 'the run found by AttentionCode', timeoutMs: 30_000 },
    );
    const told = notices().filter((notice) => notice.externalID === hire.externalID);
    assert.equal(told.length, 1, 'HR is told once');
    assert.equal(told[0]?.reason.field, 'userName');

    // The corrected create is applied and its answer lost: the 409 of the retry adopts it.
    await stack.control.setFaults([{ route: 'POST /users', lostReplyNext: 1 }]);
    const answer: AttentionAnswer = await handleOf(run.workflowId).executeUpdate(correctOnboardingUpdate, {
      args: [{ userName: `free.${id}` }],
    });
    assert.equal(answer.result, 'resolved');
    assert.equal(answer.stage, 'awaiting-activation');

    const creates = (await stack.control.effects()).filter(
      (effect) => effect.kind === 'created' && effect.externalID === hire.externalID,
    );
    assert.equal(creates.length, 1, 'exactly one account for the person');
    const account = await stack.control.user(hire.externalID);
    assert.equal(account?.userName, `free.${id}`);
    const resumed = await onboardingStatus(run.workflowId);
    assert.equal(resumed.attention, undefined);
    await waitFor(
      () => parkedWith('conflict', hire.externalID),
      (count) => count === 0,
      { what: 'AttentionCode cleared', timeoutMs: 30_000 },
    );

    await assert.rejects(
      handleOf(run.workflowId).executeUpdate(retryStepUpdate),
      (error: unknown) =>
        error instanceof WorkflowUpdateFailedError && /not waiting/.test(String(error.cause)),
    );
    await handleOf(run.workflowId).signal(onboardingActivatedSignal, { source: 'test' });
    const outcome = (await handleOf(run.workflowId).result()) as OnboardingOutcome;
    assert.equal(outcome.result, 'activated');
  });

  it('a rotated token parks every run; after the token is back, a retry resumes each, none fails', async () => {
    const people = await Promise.all(
      [1, 2].map(async () => {
        const id = uniqueSuffix();
        const externalID = `leaver-${id}`;
        await stack.control.seedUser({
          externalID,
          userName: `leaver.${id}`,
          firstName: 'Grace',
          lastName: 'Hopper',
          emails: [{ value: `leaver.${id}@example.test`, primary: true }],
          status: 'activated',
          sessions: 1,
        });
        return externalID;
      }),
    );
    await stack.control.setAcceptedToken(`rotated-${uniqueSuffix()}`);
    const deleteAt = new Date(Date.now() + 24 * 3600_000).toISOString();
    const leavers = await Promise.all(
      people.map(async (externalID) =>
        stack.track(await startOffboarding(stack.env.client, { externalID, deleteAt }, offboardingPolicy())),
      ),
    );
    const joiner = stack.track(await startOnboarding(stack.env.client, newHire(), onboardingPolicy()));

    for (const leaver of leavers) {
      const status = await waitFor(
        () => offboardingStatus(leaver.workflowId),
        (current) => current.stage === 'needs-attention',
        { what: 'offboarding parked', timeoutMs: 60_000 },
      );
      assert.equal(status.attention?.code, 'auth');
      assert.equal(status.attention?.step, 'resolve-account');
    }
    const joinerParked = await waitFor(
      () => onboardingStatus(joiner.workflowId),
      (current) => current.stage === 'needs-attention',
      { what: 'onboarding parked', timeoutMs: 60_000 },
    );
    assert.equal(joinerParked.attention?.code, 'auth');

    // Still refused: the retry says so, and the run keeps waiting (HR is not told twice).
    const early = await handleOf(joiner.workflowId).executeUpdate(retryStepUpdate);
    assert.equal(early.result, 'still-needs-attention');
    assert.equal(early.attention?.code, 'auth');
    assert.equal(notices().filter((notice) => notice.reason.code === 'auth').length, 3);

    await stack.control.setAcceptedToken(TEST_TOKEN);
    const answers = await Promise.all(
      [...leavers, joiner].map((run) => handleOf(run.workflowId).executeUpdate(retryStepUpdate)),
    );
    assert.deepEqual(
      answers.map((answer) => answer.result),
      ['resolved', 'resolved', 'resolved'],
    );
    for (const leaver of leavers) {
      const status = await waitFor(
        () => offboardingStatus(leaver.workflowId),
        (current) => current.stage === 'retention',
        { what: 'offboarding in retention', timeoutMs: 60_000 },
      );
      assert.equal(status.attention, undefined);
      assert.ok(status.deactivatedAt, 'deactivated after the retry');
    }
    const joinerNow = await onboardingStatus(joiner.workflowId);
    assert.equal(joinerNow.stage, 'awaiting-activation');
    for (const run of [...leavers, joiner]) {
      const description = await handleOf(run.workflowId).describe();
      assert.equal(description.status.name, 'RUNNING', `${run.workflowId} did not fail`);
    }
  });
});
