/** The onboarding scenarios of the replay corpus (see tooling/record-histories.ts); names are fixture file names. */
import { startOnboarding } from '../../client/lifecycle-runs';
import { cancelOnboardingSignal, onboardingActivatedSignal } from '../../workflows/onboarding-messages';
import { newHire, onboardingPolicy, uniqueSuffix } from '../../test/helpers/people';
import { correctOnboardingUpdate } from '../../workflows/attention-messages';
import {
  type Scenario,
  onboardingStage,
  employee,
  closed,
  rehireDuringRetention,
  startRehire,
  signalledThenClosed,
} from './scenario';

/** Awaiting activation, then the `activated` signal. */
const activatedBySignal: Scenario = async (stack) => {
  const run = await startOnboarding(stack.env.client, newHire(), onboardingPolicy());
  await onboardingStage(stack, run.workflowId, 'awaiting-activation');
  return signalledThenClosed(stack, run.workflowId, onboardingActivatedSignal, {});
};

/** Never activates: two reminders, then expiry deletes the pending account and tells HR. */
const remindersThenExpiry: Scenario = async (stack) => {
  const hire = newHire({ reminderPolicy: { remindAfterDays: [1, 2], expireAfterDays: 3 } });
  const run = await startOnboarding(
    stack.env.client,
    hire,
    onboardingPolicy({ statusCheckIntervalMinutes: 720, expiredAction: 'delete-pending' }),
  );
  return closed(stack, run.workflowId);
};

/** Each name is a fixture; a run recorded again after a patch reuses the scenario it was first recorded with. */
/** A taken userName parks the create; HR's correction (an update) creates the account; activated. */
const correctedAfterNeedsAttention: Scenario = async (stack) => {
  const id = uniqueSuffix();
  await stack.control.seedUser({
    externalID: `someone-else-${id}`,
    userName: `taken.${id}`,
    emails: [{ value: `other.${id}@example.test`, primary: true }],
  });
  const run = await startOnboarding(
    stack.env.client,
    newHire({ userName: `taken.${id}` }),
    onboardingPolicy(),
  );
  await onboardingStage(stack, run.workflowId, 'needs-attention');
  const handle = stack.env.client.workflow.getHandle(run.workflowId);
  await handle.executeUpdate(correctOnboardingUpdate, { args: [{ userName: `free.${id}` }] });
  await handle.signal(onboardingActivatedSignal, {});
  return closed(stack, run.workflowId);
};

export const onboardingScenarios: Record<string, Scenario> = {
  /** Create + invite, then the `activated` signal ends the wait. */
  'onboarding-activated-by-signal': activatedBySignal,
  /** Never activates: two reminders, then expiry deletes the pending account and tells HR. */
  'onboarding-reminders-expired': remindersThenExpiry,
  /** The offer is withdrawn mid-wait, after one reminder: the pending account is deleted. */
  'onboarding-cancelled': async (stack) => {
    const run = await startOnboarding(
      stack.env.client,
      newHire(),
      onboardingPolicy({ cancelAction: 'delete-pending' }),
    );
    await onboardingStage(stack, run.workflowId, 'awaiting-activation');
    await stack.env.sleep('4 days');
    return signalledThenClosed(stack, run.workflowId, cancelOnboardingSignal, { reason: 'offer withdrawn' });
  },
  /** A rehire during retention: the onboarding cancels the offboarding, then reactivates. */
  'onboarding-rehire-cancels-offboarding': async (stack) => {
    const rehire = await rehireDuringRetention(stack);
    return closed(stack, rehire.onboardingId);
  },
  // Issue #13, patch `one-request-steps`: one Staffbase request per activity, in priority lanes.
  /** Create first, bulk-lane status checks, two reminders, expiry reads then deletes the pending account. */
  'onboarding-one-request-expired': remindersThenExpiry,
  /** Create first meets a 409 (the person's deactivated account): the look-up, then the rehire. */
  'onboarding-one-request-conflict-rehire': async (stack) => {
    const externalID = await employee(stack);
    await stack.control.setStatusByHand(externalID, 'deactivated');
    const run = await startRehire(stack, externalID, onboardingPolicy({ rehirePolicy: 'reactivate' }));
    return closed(stack, run.workflowId);
  },
  /** Patch `coordination-off-rate-limit`: the settling activity on the workflow queue; activated. */
  'onboarding-coordination-off-rate-limit': activatedBySignal,
  /** A taken userName parks the create; HR's correction creates the account; activated. */
  'onboarding-needs-attention-corrected': correctedAfterNeedsAttention,
  /**
   * Patch `onboarding-awaits-handlers`: the marker first thing; a correction's update handler runs and
   * finishes; activated, then the run waits for its handlers before it completes.
   */
  'onboarding-awaits-handlers': correctedAfterNeedsAttention,
  /**
   * Patch `onboarding-person-index` (issue 29): a local activity at each stage change — started,
   * needs-attention, resolved (the correction's update handler), invited, activated.
   */
  'onboarding-person-index': correctedAfterNeedsAttention,
};
