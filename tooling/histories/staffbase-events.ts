/**
 * Scenarios of issue 27's Staffbase events: the `staffbaseEvent` run that re-reads a user after an
 * event and signals the waiting onboarding, and an offboarding in retention that re-checks its account
 * on the event's signal (patch `staffbase-event-recheck`) and keeps it, reactivated by hand, or ends
 * already gone, deleted by hand (patch `staffbase-event-gone-confirmed`); and the event's run that finds
 * a deleted account's offboarding by its `StaffbaseUserId` (dev server: visibility).
 */
import { startOnboarding } from '../../client/lifecycle-runs';
import { taskQueues } from '../../lifecycle/task-queues';
import { waitFor } from '../../test/helpers/waiting';
import type { staffbaseEvent } from '../../workflows/staffbase-event';
import { staffbaseEventSignal } from '../../workflows/staffbase-event-messages';
import { signalStaffbaseEventRun } from '../../client/staffbase-event-runs';
import { staffbaseEventWorkflowId } from '../../staffbase/events';
import { newHire, onboardingPolicy } from '../../test/helpers/people';
import { offboardingAccountRecheckSignal } from '../../workflows/offboarding-messages';
import { type Scenario, closed, leaverInRetention, onboardingStage, signalledThenClosed } from './scenario';

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
    return signalledThenClosed(stack, run.workflowId, offboardingAccountRecheckSignal, {
      source: 'staffbase-event',
    });
  },
  /** An administrator deletes the account in retention; the re-check confirms it gone and ends the run. */
  'offboarding-event-recheck-gone': async (stack) => {
    const run = await leaverInRetention(stack);
    await stack.control.deleteByHand(run.externalID);
    return signalledThenClosed(stack, run.workflowId, offboardingAccountRecheckSignal, {
      source: 'staffbase-event',
    });
  },
  /**
   * A `user.deleted` event: the re-read answers 404, the run finds the offboarding in retention by its
   * StaffbaseUserId and signals it (a 1 s window instead of 60 s: the input is data, replay is the same).
   */
  'staffbase-event-finds-deleted-account': async (stack) => {
    const run = await leaverInRetention(stack);
    const user = await stack.control.user(run.externalID);
    if (!user) throw new Error('the leaver has no account in the simulator');
    await waitFor(
      async () =>
        (
          await stack.env.client.workflow.count(
            `StaffbaseUserId='${user.id}' AND LifecycleStage='retention' AND ExecutionStatus='Running'`,
          )
        ).count,
      (count) => count === 1,
      { what: 'the offboarding by StaffbaseUserId in visibility' },
    );
    await stack.control.deleteByHand(run.externalID);
    await stack.env.client.workflow.signalWithStart<
      typeof staffbaseEvent,
      [{ type: string; eventId?: string }]
    >('staffbaseEvent', {
      workflowId: staffbaseEventWorkflowId(user.id),
      taskQueue: taskQueues.lifecycle,
      args: [{ userId: user.id, rereadWindowMs: 1_000 }],
      signal: staffbaseEventSignal,
      signalArgs: [{ type: 'user.deleted', eventId: 'replay-event-deleted-1' }],
    });
    await closed(stack, run.workflowId);
    return closed(stack, staffbaseEventWorkflowId(user.id));
  },
};

/** Scenarios that need the dev server's visibility (a list by StaffbaseUserId). */
export const staffbaseEventDevServerScenarios = new Set(['staffbase-event-finds-deleted-account']);
