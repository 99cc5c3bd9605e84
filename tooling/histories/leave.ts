/** The leave scenarios (issue 31): each name is its fixture's file name in test/replay/histories/. */
import { startOffboarding } from '../../client/lifecycle-runs';
import { startLeave } from '../../client/leave-runs';
import { shiftDate } from '../../lifecycle/calendar';
import { leavePolicyOf } from '../../lifecycle/leave-request';
import { leaveStatusQuery } from '../../workflows/leave-messages';
import { offboardingPolicy } from '../../test/helpers/people';
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
};
