/** What every recorded scenario shares: its shape, waiting for a stage or the close, an employee to offboard. */
import { type OnboardingStartOptions, startOffboarding, startOnboarding } from '../../client/lifecycle-runs';
import { type QueryDefinition, type SignalDefinition } from '@temporalio/client';
import { type OffboardingRequest } from '../../lifecycle/offboarding-request';
import { type OnboardingPolicy } from '../../lifecycle/onboarding-request';
import type { UserSeed } from '../../simulator/control-client';
import { offboardingStatusQuery, type OffboardingStatus } from '../../workflows/offboarding-messages';
import { onboardingStatusQuery, type OnboardingStatus } from '../../workflows/onboarding-messages';
import { type LifecycleTestStack } from '../../test/helpers/lifecycle-stack';
import { offboardingPolicy, onboardingPolicy, uniqueSuffix } from '../../test/helpers/people';
import { waitFor } from '../../test/helpers/waiting';

export type Scenario = (stack: LifecycleTestStack) => Promise<{ workflowId: string; runId: string }>;

/** Waits until the run's status query reports `stage`. */
async function stageReached<Stage extends string>(
  stack: LifecycleTestStack,
  workflowId: string,
  statusQuery: QueryDefinition<{ stage: Stage }>,
  stage: Stage,
  lifecycle: 'onboarding' | 'offboarding',
) {
  await waitFor(
    () => stack.env.client.workflow.getHandle(workflowId).query(statusQuery),
    (status) => status.stage === stage,
    { what: `${lifecycle} stage ${stage}` },
  );
}

export function onboardingStage(
  stack: LifecycleTestStack,
  workflowId: string,
  stage: OnboardingStatus['stage'],
) {
  return stageReached(stack, workflowId, onboardingStatusQuery, stage, 'onboarding');
}

export function offboardingStage(
  stack: LifecycleTestStack,
  workflowId: string,
  stage: OffboardingStatus['stage'],
) {
  return stageReached(stack, workflowId, offboardingStatusQuery, stage, 'offboarding');
}

/**
 * A person in the simulator whose externalID, userName and email all carry `prefix` and a unique suffix;
 * `seed` adds or overrides fields. Returns the externalID.
 */
export async function seedPerson(
  stack: LifecycleTestStack,
  prefix: string,
  seed: UserSeed = {},
): Promise<string> {
  const id = uniqueSuffix();
  await stack.control.seedUser({
    externalID: `${prefix}-${id}`,
    userName: `${prefix}.${id}`,
    emails: [{ value: `${prefix}.${id}@example.test`, primary: true }],
    ...seed,
  });
  return `${prefix}-${id}`;
}

/** `count` people seeded one after another by {@link seedPerson}; `seedOf` gives each one's extra fields. */
export async function seedPeople(
  stack: LifecycleTestStack,
  prefix: string,
  count: number,
  seedOf: (index: number) => UserSeed,
): Promise<string[]> {
  const externalIDs: string[] = [];
  for (let index = 0; index < count; index += 1) {
    externalIDs.push(await seedPerson(stack, prefix, seedOf(index)));
  }
  return externalIDs;
}

/** An active employee in the simulator, for the offboarding scenarios. */
export function employee(stack: LifecycleTestStack): Promise<string> {
  return seedPerson(stack, 'leaver', {
    status: 'activated',
    activated: '2023-03-01T08:00:00.000Z',
    sessions: 2,
  });
}

/** An employee offboarded (with `request`'s extra fields) as far as retention: their externalID and run. */
export async function leaverInRetention(
  stack: LifecycleTestStack,
  request: Omit<OffboardingRequest, 'externalID'> = {},
): Promise<{ externalID: string; workflowId: string }> {
  const externalID = await employee(stack);
  const run = await startOffboarding(stack.env.client, { externalID, ...request }, offboardingPolicy());
  await offboardingStage(stack, run.workflowId, 'retention');
  return { externalID, workflowId: run.workflowId };
}

/** Onboards the simulator's existing `externalID` again (a rehire), under its userName and email. */
export async function startRehire(
  stack: LifecycleTestStack,
  externalID: string,
  policy: OnboardingPolicy,
  options?: OnboardingStartOptions,
) {
  const user = await stack.control.user(externalID);
  return startOnboarding(
    stack.env.client,
    {
      externalID,
      userName: user?.userName ?? externalID,
      firstName: 'Grace',
      lastName: 'Hopper',
      email: user?.emails[0]?.value ?? `${externalID}@example.test`,
    },
    policy,
    options,
  );
}

/** Waits for the run to close (one result() at a time on the time-skipping server). */
export async function closed(stack: LifecycleTestStack, workflowId: string) {
  const handle = stack.env.client.workflow.getHandle(workflowId);
  await handle.result();
  return { workflowId, runId: (await handle.describe()).runId };
}

/** Sends the run one signal, then waits for it to close: how a scenario ends the run it waited on. */
export async function signalledThenClosed<Args extends unknown[]>(
  stack: LifecycleTestStack,
  workflowId: string,
  signal: SignalDefinition<Args>,
  ...args: Args
) {
  await stack.env.client.workflow.getHandle(workflowId).signal(signal, ...args);
  return closed(stack, workflowId);
}

/** Offboards an employee and rehires them while the account waits in retention. */
export async function rehireDuringRetention(stack: LifecycleTestStack) {
  const leaver = await leaverInRetention(stack);
  const joiner = await startRehire(stack, leaver.externalID, onboardingPolicy(), { rerun: true });
  return { onboardingId: joiner.workflowId, offboardingId: leaver.workflowId };
}
