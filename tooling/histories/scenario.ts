/** What every recorded scenario shares: its shape, waiting for a stage or the close, an employee to offboard. */
import { startOffboarding, startOnboarding } from '../../client/lifecycle-runs';
import { type OnboardingRequest } from '../../lifecycle/onboarding-request';
import { offboardingStatusQuery, type OffboardingStatus } from '../../workflows/offboarding-messages';
import { onboardingStatusQuery, type OnboardingStatus } from '../../workflows/onboarding-messages';
import { type LifecycleTestStack } from '../../test/helpers/lifecycle-stack';
import { offboardingPolicy, onboardingPolicy, uniqueSuffix } from '../../test/helpers/people';
import { waitFor } from '../../test/helpers/waiting';

export type Scenario = (stack: LifecycleTestStack) => Promise<{ workflowId: string; runId: string }>;

export async function onboardingStage(
  stack: LifecycleTestStack,
  workflowId: string,
  stage: OnboardingStatus['stage'],
) {
  await waitFor(
    () => stack.env.client.workflow.getHandle(workflowId).query(onboardingStatusQuery),
    (status) => status.stage === stage,
    { what: `onboarding stage ${stage}` },
  );
}

export async function offboardingStage(
  stack: LifecycleTestStack,
  workflowId: string,
  stage: OffboardingStatus['stage'],
) {
  await waitFor(
    () => stack.env.client.workflow.getHandle(workflowId).query(offboardingStatusQuery),
    (status) => status.stage === stage,
    { what: `offboarding stage ${stage}` },
  );
}

/** An active employee in the simulator, for the offboarding scenarios. */
export async function employee(stack: LifecycleTestStack): Promise<string> {
  const id = uniqueSuffix();
  await stack.control.seedUser({
    externalID: `leaver-${id}`,
    userName: `leaver.${id}`,
    emails: [{ value: `leaver.${id}@example.test`, primary: true }],
    status: 'activated',
    activated: '2023-03-01T08:00:00.000Z',
    sessions: 2,
  });
  return `leaver-${id}`;
}

/** Waits for the run to close (one result() at a time on the time-skipping server). */
export async function closed(stack: LifecycleTestStack, workflowId: string) {
  const handle = stack.env.client.workflow.getHandle(workflowId);
  await handle.result();
  return { workflowId, runId: (await handle.describe()).runId };
}

/** The onboarding request of a person who has an account: the rehire of an employee. */
export async function rehireRequest(
  stack: LifecycleTestStack,
  externalID: string,
): Promise<OnboardingRequest> {
  const user = await stack.control.user(externalID);
  return {
    externalID,
    userName: user?.userName ?? externalID,
    firstName: 'Grace',
    lastName: 'Hopper',
    email: user?.emails[0]?.value ?? `${externalID}@example.test`,
  };
}

/** Offboards an employee and rehires them while the account waits in retention. */
export async function rehireDuringRetention(stack: LifecycleTestStack) {
  const externalID = await employee(stack);
  const leaver = await startOffboarding(stack.env.client, { externalID }, offboardingPolicy());
  await offboardingStage(stack, leaver.workflowId, 'retention');
  const joiner = await startOnboarding(
    stack.env.client,
    await rehireRequest(stack, externalID),
    onboardingPolicy(),
    { rerun: true },
  );
  return { onboardingId: joiner.workflowId, offboardingId: leaver.workflowId };
}
