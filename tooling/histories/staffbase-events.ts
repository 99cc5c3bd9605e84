/**
 * Scenarios of issue 27's Staffbase events: the `staffbaseEvent` run that re-reads a user after an
 * event and signals the waiting onboarding, and an offboarding in retention that re-checks its account
 * on the event's signal (patch `staffbase-event-recheck`) and keeps it, reactivated by hand.
 */
import { startOnboarding } from '../../client/lifecycle-runs';
import { signalStaffbaseEventRun } from '../../client/staffbase-event-runs';
import { staffbaseEventWorkflowId } from '../../staffbase/events';
import { newHire, onboardingPolicy } from '../../test/helpers/people';
import { offboardingAccountRecheckSignal } from '../../workflows/offboarding-messages';
import { type Scenario, closed, leaverInRetention, onboardingStage } from './scenario';

export const staffbaseEventScenarios: Record<string, Scenario> = {
  /** A hire accepts; the event's run re-reads them and signals the waiting onboarding. */
  'staffbase-event-activates-onboarding': async (stack) => {
    const hire = newHire();
    const run = await startOnboarding(stack.env.client, hire, onboardingPolicy());
    await onboardingStage(stack, run.workflowId, 'awaiting-activation');
    await stack.control.activate(hire.externalID);
    const user = await stack.control.user(hire.externalID);
    if (!user) throw new Error('the hire has no account in the simulator');
    await signalStaffbaseEventRun(stack.env.client, {
      userId: user.id,
      type: 'user.changed',
      eventId: 'replay-event-1',
    });
    await closed(stack, run.workflowId);
    return closed(stack, staffbaseEventWorkflowId(user.id));
  },
  /** An administrator reactivates the account in retention; the event's signal makes the run keep it now. */
  'offboarding-event-recheck-kept': async (stack) => {
    const run = await leaverInRetention(stack);
    await stack.control.setStatusByHand(run.externalID, 'activated');
    await stack.env.client.workflow
      .getHandle(run.workflowId)
      .signal(offboardingAccountRecheckSignal, { source: 'staffbase-event' });
    return closed(stack, run.workflowId);
  },
};
