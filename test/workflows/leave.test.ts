/**
 * A leave of absence end to end: the real worker and activities against the Staffbase simulator over
 * HTTP, on the time-skipping server (the dates are real calendar days; the server skips to them).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActionRefusedError } from '../../client/lifecycle-actions';
import { startLeave } from '../../client/leave-runs';
import { startOffboarding, startOnboarding } from '../../client/lifecycle-runs';
import { shiftDate, zonedDateTimeToEpochMs } from '../../lifecycle/calendar';
import { type LeaveRequest, leavePolicyOf } from '../../lifecycle/leave-request';
import { taskQueues } from '../../lifecycle/task-queues';
import { lifecycleWorkflowId } from '../../lifecycle/workflow-ids';
import type { leave } from '../../workflows/leave';
import type { onboarding } from '../../workflows/onboarding';
import type { OnboardingOutcome } from '../../workflows/onboarding-messages';
import { type LeaveOutcome, type LeaveStage, leaveStatusQuery } from '../../workflows/leave-messages';
import { type LifecycleTestStack, useLifecycleTestStack } from '../helpers/lifecycle-stack';
import { seedLeaver } from '../helpers/offboarding-runs';
import { newHire, offboardingPolicy, onboardingPolicy } from '../helpers/people';
import { waitFor } from '../helpers/waiting';

describe('leave workflow (time-skipping server, real activities against the simulator)', () => {
  let stack: LifecycleTestStack;
  useLifecycleTestStack(
    { server: 'time-skipping', resetSimulatorBeforeEach: true },
    (started) => (stack = started),
  );

  const employee = () => seedLeaver(stack.control, { sessions: 2, activated: '2023-03-01T08:00:00.000Z' });
  const dayFromNow = async (days: number) =>
    shiftDate(new Date(await stack.env.currentTimeMs()).toISOString().slice(0, 10), days);
  const start = async (request: LeaveRequest) =>
    stack.track(await startLeave(stack.env.client, request, leavePolicyOf(offboardingPolicy())));
  const statusOf = (workflowId: string) =>
    stack.env.client.workflow.getHandle(workflowId).query(leaveStatusQuery);
  const awaitStage = (workflowId: string, stage: LeaveStage) =>
    waitFor(
      () => statusOf(workflowId),
      (status) => status.stage === stage,
      { what: `leave stage ${stage}` },
    );
  const resultOf = (workflowId: string) =>
    stack.env.client.workflow.getHandle(workflowId).result() as Promise<LeaveOutcome>;
  const statusInSimulator = async (externalID: string) => (await stack.control.user(externalID))?.status;

  it('from tomorrow until the day after: deactivates, then reactivates the same account', async () => {
    const person = await employee();
    const from = await dayFromNow(1);
    const outcome = await stack.runWorkers(async () => {
      const run = await start({ externalID: person.externalID, from, until: shiftDate(from, 1) });
      return resultOf(run.workflowId);
    });
    assert.equal(outcome.result, 'returned');
    assert.equal(outcome.reactivated, true);
    assert.equal(outcome.staffbaseUserId, person.id);
    // Deactivated at the end of the working day before `from` (policy time zone), not before.
    const { endOfWorkingDay, timeZone } = offboardingPolicy();
    const deactivateAt = zonedDateTimeToEpochMs(shiftDate(from, -1), endOfWorkingDay, timeZone);
    const deactivatedAt = Date.parse(outcome.deactivatedAt ?? '');
    assert.ok(
      deactivatedAt >= deactivateAt && deactivatedAt < deactivateAt + 5 * 60_000,
      outcome.deactivatedAt,
    );
    const back = await stack.control.user(person.externalID);
    assert.equal(back?.id, person.id);
    assert.equal(back?.status, 'activated');
    assert.equal(back?.sessions, 0, 'the sessions ended at the deactivation');
  });

  it('a hand reactivation during the leave ends it kept, without a reactivation of its own', async () => {
    const person = await employee();
    const outcome = await stack.runWorkers(async () => {
      const run = await start({
        externalID: person.externalID,
        from: await dayFromNow(0),
        until: await dayFromNow(5),
      });
      await awaitStage(run.workflowId, 'on-leave');
      await stack.control.setStatusByHand(person.externalID, 'activated');
      return resultOf(run.workflowId);
    });
    assert.equal(outcome.result, 'kept');
    assert.equal(outcome.keptBecause, 'reactivated-since');
    assert.equal(await statusInSimulator(person.externalID), 'activated');
  });

  it('a person on leave is not onboarded (on-leave); an offboarding ends the leave without reactivating', async () => {
    const person = await employee();
    await stack.runWorkers(async () => {
      const leave = await start({ externalID: person.externalID, from: await dayFromNow(0) });
      await awaitStage(leave.workflowId, 'on-leave');
      await assert.rejects(
        startOnboarding(stack.env.client, newHire({ externalID: person.externalID }), onboardingPolicy()),
        (error: unknown) => error instanceof ActionRefusedError && error.reasonCode === 'on-leave',
      );
      const offboarding = stack.track(
        await startOffboarding(
          stack.env.client,
          { externalID: person.externalID, retentionDays: 30 },
          offboardingPolicy(),
        ),
      );
      const outcome = await resultOf(leave.workflowId);
      assert.equal(outcome.result, 'ended-by-offboarding');
      assert.equal(outcome.reactivated, false);
      assert.equal(await statusInSimulator(person.externalID), 'deactivated');
      await stack.env.client.workflow.getHandle(offboarding.workflowId).terminate('test over');
    });
  });

  it('a leave for a person with an open onboarding is refused, and nothing starts', async () => {
    const hire = newHire({ startDate: await dayFromNow(20) });
    await stack.runWorkers(async () => {
      stack.track(await startOnboarding(stack.env.client, hire, onboardingPolicy()));
      await assert.rejects(
        startLeave(
          stack.env.client,
          { externalID: hire.externalID, from: await dayFromNow(1) },
          leavePolicyOf(offboardingPolicy()),
        ),
        (error: unknown) => error instanceof ActionRefusedError && error.reasonCode === 'onboarding-open',
      );
    });
    const described = stack.env.client.workflow.getHandle(`leave-${hire.externalID}`).describe();
    await assert.rejects(described, /not found/i);
  });
  it('the service refuses too, however a run was started: a leave beside an open onboarding, an onboarding on leave', async () => {
    const hire = newHire({ startDate: await dayFromNow(20) });
    const person = await employee();
    const policy = leavePolicyOf(offboardingPolicy());
    // Started past the client's starters (as a script or `temporal workflow start` would), so only the
    // workflows' own checks stand between these runs and the account.
    const startRaw = async <T extends typeof leave | typeof onboarding>(
      type: 'leave' | 'onboarding',
      externalID: string,
      args: Parameters<T>,
    ) =>
      stack.track(
        await stack.env.client.workflow.start<T>(type, {
          workflowId: lifecycleWorkflowId(type, externalID),
          taskQueue: taskQueues.lifecycle,
          args,
        }),
      );
    await stack.runWorkers(async () => {
      stack.track(await startOnboarding(stack.env.client, hire, onboardingPolicy()));
      const refusedLeave = await startRaw<typeof leave>('leave', hire.externalID, [
        { request: { externalID: hire.externalID, from: await dayFromNow(0) }, policy },
      ]);
      const leaveOutcome = await resultOf(refusedLeave.workflowId);
      assert.equal(leaveOutcome.result, 'refused');
      assert.equal(leaveOutcome.refusedBecause, 'onboarding-open');
      assert.equal(
        (
          await stack.env.client.workflow
            .getHandle(lifecycleWorkflowId('onboarding', hire.externalID))
            .describe()
        ).status.name,
        'RUNNING',
        'the onboarding goes on',
      );

      const onLeave = await start({ externalID: person.externalID, from: await dayFromNow(0) });
      await awaitStage(onLeave.workflowId, 'on-leave');
      const refusedOnboarding = await startRaw<typeof onboarding>('onboarding', person.externalID, [
        { request: newHire({ externalID: person.externalID }), policy: onboardingPolicy() },
      ]);
      const onboardingOutcome = (await stack.env.client.workflow
        .getHandle(refusedOnboarding.workflowId)
        .result()) as OnboardingOutcome;
      assert.equal(onboardingOutcome.result, 'refused-on-leave');
      assert.equal(onboardingOutcome.accountAction, 'never-created');
      assert.equal(await statusInSimulator(person.externalID), 'deactivated', 'the leave keeps the account');
      assert.equal((await statusOf(onLeave.workflowId)).stage, 'on-leave');
      await stack.env.client.workflow.getHandle(onLeave.workflowId).terminate('test over');
    });
  });
});
