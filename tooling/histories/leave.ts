/** The leave scenarios (issue 31): each name is its fixture's file name in test/replay/histories/. */
import { startOffboarding, startOnboarding } from '../../client/lifecycle-runs';
import { endLeave, startLeave } from '../../client/leave-runs';
import { shiftDate } from '../../lifecycle/calendar';
import { leavePolicyOf } from '../../lifecycle/leave-request';
import { taskQueues } from '../../lifecycle/task-queues';
import { lifecycleWorkflowId } from '../../lifecycle/workflow-ids';
import type { leave } from '../../workflows/leave';
import { leaveStatusQuery } from '../../workflows/leave-messages';
import type { onboarding } from '../../workflows/onboarding';
import { newHire, offboardingPolicy, onboardingPolicy } from '../../test/helpers/people';
import { type LifecycleTestStack } from '../../test/helpers/lifecycle-stack';
import { waitFor } from '../../test/helpers/waiting';
import { type Scenario, closed, employee } from './scenario';

/** A calendar date `days` from the server's now. */
async function dayFromNow(stack: LifecycleTestStack, days: number): Promise<string> {
  return shiftDate(new Date(await stack.env.currentTimeMs()).toISOString().slice(0, 10), days);
}

/** An employee on a leave that began today (deactivated at once), back in `days`. */
async function onLeave(stack: LifecycleTestStack, days: number) {
  const externalID = await employee(stack);
  const run = await startLeave(
    stack.env.client,
    { externalID, from: await dayFromNow(stack, 0), until: await dayFromNow(stack, days) },
    leavePolicyOf(offboardingPolicy()),
  );
  await waitFor(
    () => stack.env.client.workflow.getHandle(run.workflowId).query(leaveStatusQuery),
    (status) => status.stage === 'on-leave',
    { what: 'leave stage on-leave' },
  );
  return { externalID, workflowId: run.workflowId };
}

export const leaveScenarios: Record<string, Scenario> = {
  /** From tomorrow until the day after: deactivated the evening before, reactivated on the first day back. */
  'leave-returned': async (stack) => {
    const externalID = await employee(stack);
    const from = await dayFromNow(stack, 1);
    const run = await startLeave(
      stack.env.client,
      { externalID, from, until: shiftDate(from, 1) },
      leavePolicyOf(offboardingPolicy()),
    );
    return closed(stack, run.workflowId);
  },
  /** Reactivated by hand during the leave: the return leaves it as it is (`kept`). */
  'leave-kept-after-manual-reactivation': async (stack) => {
    const run = await onLeave(stack, 5);
    await stack.control.setStatusByHand(run.externalID, 'activated');
    return closed(stack, run.workflowId);
  },
  /**
   * Patch `offboarding-ends-leave`: an offboarding of a person on leave ends the leave without
   * reactivating, then deletes after its retention.
   */
  'offboarding-ends-leave': async (stack) => {
    const leave = await onLeave(stack, 30);
    const run = await startOffboarding(
      stack.env.client,
      { externalID: leave.externalID, retentionDays: 1 },
      offboardingPolicy(),
    );
    await closed(stack, leave.workflowId);
    return closed(stack, run.workflowId);
  },
  /**
   * Patch `leave-refuses-open-lifecycle`: a leave started past the client's starters while the person's
   * onboarding is open ends `refused` without touching Staffbase.
   */
  'leave-refused-open-onboarding': async (stack) => {
    const hire = newHire({ startDate: await dayFromNow(stack, 20) });
    const joiner = await startOnboarding(stack.env.client, hire, onboardingPolicy());
    const run = await stack.env.client.workflow.start<typeof leave>('leave', {
      workflowId: lifecycleWorkflowId('leave', hire.externalID),
      taskQueue: taskQueues.lifecycle,
      args: [
        {
          request: { externalID: hire.externalID, from: await dayFromNow(stack, 0) },
          policy: leavePolicyOf(offboardingPolicy()),
        },
      ],
    });
    const refused = await closed(stack, run.workflowId);
    await stack.env.client.workflow.getHandle(joiner.workflowId).terminate('recorded');
    return refused;
  },
  /**
   * Patch `onboarding-refused-on-leave`: an onboarding started past the client's starters while the
   * person is on leave ends `refused-on-leave` and creates nothing.
   */
  'onboarding-refused-on-leave': async (stack) => {
    const away = await onLeave(stack, 30);
    const run = await stack.env.client.workflow.start<typeof onboarding>('onboarding', {
      workflowId: lifecycleWorkflowId('onboarding', away.externalID),
      taskQueue: taskQueues.lifecycle,
      args: [{ request: newHire({ externalID: away.externalID }), policy: onboardingPolicy() }],
    });
    const refused = await closed(stack, run.workflowId);
    await endLeave(stack.env.client, away.externalID);
    return refused;
  },
};
