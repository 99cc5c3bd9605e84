/**
 * Records the workflow histories that test/replay/replay.test.ts replays against the current
 * workflow code. Runs representative scenarios on a time-skipping Temporal server with the real
 * worker factory, the real activities and the Staffbase simulator, and writes each run's history
 * (historyToJSON's format, as `temporal workflow show --output json` writes it; see
 * test/replay/history-json.ts) to
 * test/replay/histories/<name>.json.
 *
 *   npx tsx tooling/record-histories.ts                  # every scenario
 *   npx tsx tooling/record-histories.ts <name> [<name>]  # only these (use this for NEW scenarios)
 *
 * Existing fixtures are history: never re-record one to make a changed workflow pass replay —
 * guard the change with patched() instead (see test/replay/README.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cancelOffboarding, placeLegalHold, releaseLegalHold } from '../client/lifecycle-actions';
import { startOffboarding, startOnboarding } from '../client/lifecycle-runs';
import { offboardingStatusQuery, type OffboardingStatus } from '../workflows/offboarding';
import {
  cancelOnboardingSignal,
  onboardingActivatedSignal,
  onboardingStatusQuery,
  type OnboardingStatus,
} from '../workflows/onboarding';
import { type LifecycleTestStack, startLifecycleTestStack } from '../test/helpers/lifecycle-stack';
import { historyToJson } from '../test/replay/history-json';
import { newHire, offboardingPolicy, onboardingPolicy, uniqueSuffix } from '../test/helpers/people';
import { waitFor } from '../test/helpers/waiting';

const historiesDir = path.resolve(__dirname, '..', 'test', 'replay', 'histories');

type Scenario = (stack: LifecycleTestStack) => Promise<{ workflowId: string; runId: string }>;

async function onboardingStage(
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

async function offboardingStage(
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
async function employee(stack: LifecycleTestStack): Promise<string> {
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
async function closed(stack: LifecycleTestStack, workflowId: string) {
  const handle = stack.env.client.workflow.getHandle(workflowId);
  await handle.result();
  return { workflowId, runId: (await handle.describe()).runId };
}

const scenarios: Record<string, Scenario> = {
  /** Create + invite, then the `activated` signal ends the wait. */
  'onboarding-activated-by-signal': async (stack) => {
    const run = await startOnboarding(stack.env.client, newHire(), onboardingPolicy());
    await onboardingStage(stack, run.workflowId, 'awaiting-activation');
    await stack.env.client.workflow.getHandle(run.workflowId).signal(onboardingActivatedSignal, {});
    return closed(stack, run.workflowId);
  },
  /** Never activates: two reminders, then expiry deletes the pending account and tells HR. */
  'onboarding-reminders-expired': async (stack) => {
    const hire = newHire({ reminderPolicy: { remindAfterDays: [1, 2], expireAfterDays: 3 } });
    const run = await startOnboarding(
      stack.env.client,
      hire,
      onboardingPolicy({ statusCheckIntervalMinutes: 720, expiredAction: 'delete-pending' }),
    );
    return closed(stack, run.workflowId);
  },
  /** The offer is withdrawn mid-wait, after one reminder: the pending account is deleted. */
  'onboarding-cancelled': async (stack) => {
    const run = await startOnboarding(
      stack.env.client,
      newHire(),
      onboardingPolicy({ cancelAction: 'delete-pending' }),
    );
    await onboardingStage(stack, run.workflowId, 'awaiting-activation');
    await stack.env.sleep('4 days');
    await stack.env.client.workflow
      .getHandle(run.workflowId)
      .signal(cancelOnboardingSignal, { reason: 'offer withdrawn' });
    return closed(stack, run.workflowId);
  },
  /** Deactivate, 30 days retention, a legal hold past the deadline, release, delete. */
  'offboarding-legal-hold-released': async (stack) => {
    const externalID = await employee(stack);
    const run = await startOffboarding(
      stack.env.client,
      { externalID, retentionDays: 30 },
      offboardingPolicy(),
    );
    await offboardingStage(stack, run.workflowId, 'retention');
    await placeLegalHold(stack.env.client, externalID, 'litigation 2026-17');
    await stack.env.sleep('45 days');
    await offboardingStage(stack, run.workflowId, 'on-hold');
    await releaseLegalHold(stack.env.client, externalID);
    return closed(stack, run.workflowId);
  },
  /** Cancelled during retention, after deactivation: the account is reactivated. */
  'offboarding-cancelled-after-deactivation': async (stack) => {
    const externalID = await employee(stack);
    const run = await startOffboarding(stack.env.client, { externalID }, offboardingPolicy());
    await offboardingStage(stack, run.workflowId, 'retention');
    await stack.env.sleep('3 days');
    await cancelOffboarding(stack.env.client, externalID, 'rehired');
    return closed(stack, run.workflowId);
  },
  /** Exact look-up, guarded deletion: the account is deleted at the end of a 30-day retention. */
  'offboarding-guarded-deletion': async (stack) => {
    const externalID = await employee(stack);
    const run = await startOffboarding(stack.env.client, { externalID }, offboardingPolicy());
    await offboardingStage(stack, run.workflowId, 'retention');
    return closed(stack, run.workflowId);
  },
  /** An administrator reactivates the account during retention: kept at the deadline. */
  'offboarding-kept-after-manual-reactivation': async (stack) => {
    const externalID = await employee(stack);
    const run = await startOffboarding(stack.env.client, { externalID }, offboardingPolicy());
    await offboardingStage(stack, run.workflowId, 'retention');
    await stack.control.setStatusByHand(externalID, 'activated');
    return closed(stack, run.workflowId);
  },
  /** A rehire during retention: the onboarding cancels the offboarding, then reactivates. */
  'onboarding-rehire-cancels-offboarding': async (stack) => {
    const rehire = await rehireDuringRetention(stack);
    return closed(stack, rehire.onboardingId);
  },
  /** The offboarding side of the same rehire: it ends `cancelled-by-rehire`. */
  'offboarding-cancelled-by-rehire': async (stack) => {
    const rehire = await rehireDuringRetention(stack);
    await closed(stack, rehire.onboardingId);
    return closed(stack, rehire.offboardingId);
  },
  /** An offboarding cancels an onboarding awaiting activation and waits for it to stop. */
  'offboarding-awaits-onboarding-stop': async (stack) => {
    const hire = newHire();
    const joiner = await startOnboarding(stack.env.client, hire, onboardingPolicy());
    await onboardingStage(stack, joiner.workflowId, 'awaiting-activation');
    await stack.control.activate(hire.externalID);
    const run = await startOffboarding(
      stack.env.client,
      { externalID: hire.externalID, retentionDays: 1 },
      offboardingPolicy(),
    );
    return closed(stack, run.workflowId);
  },
  // Issue #13, patch `one-request-steps`: one Staffbase request per activity, in priority lanes.
  /** Create first, bulk-lane status checks, two reminders, expiry reads then deletes the pending account. */
  'onboarding-one-request-expired': async (stack) => {
    const hire = newHire({ reminderPolicy: { remindAfterDays: [1, 2], expireAfterDays: 3 } });
    const run = await startOnboarding(
      stack.env.client,
      hire,
      onboardingPolicy({ statusCheckIntervalMinutes: 720, expiredAction: 'delete-pending' }),
    );
    return closed(stack, run.workflowId);
  },
  /** Create first meets a 409 (the person's deactivated account): the look-up, then the rehire. */
  'onboarding-one-request-conflict-rehire': async (stack) => {
    const externalID = await employee(stack);
    await stack.control.setStatusByHand(externalID, 'deactivated');
    const user = await stack.control.user(externalID);
    const run = await startOnboarding(
      stack.env.client,
      {
        externalID,
        userName: user?.userName ?? externalID,
        firstName: 'Grace',
        lastName: 'Hopper',
        email: user?.emails[0]?.value ?? `${externalID}@example.test`,
      },
      onboardingPolicy({ rehirePolicy: 'reactivate' }),
    );
    return closed(stack, run.workflowId);
  },
  /** Resolve, read + logout, read + deactivate (urgent lane), retention, read + delete. */
  'offboarding-one-request-deletion': async (stack) => {
    const externalID = await employee(stack);
    const run = await startOffboarding(stack.env.client, { externalID }, offboardingPolicy());
    await offboardingStage(stack, run.workflowId, 'retention');
    return closed(stack, run.workflowId);
  },
  /** Reactivated by hand during retention: the read before the delete keeps it. */
  'offboarding-one-request-kept': async (stack) => {
    const externalID = await employee(stack);
    const run = await startOffboarding(stack.env.client, { externalID }, offboardingPolicy());
    await offboardingStage(stack, run.workflowId, 'retention');
    await stack.control.setStatusByHand(externalID, 'activated');
    return closed(stack, run.workflowId);
  },
  /** Cancelled during retention: read, then reactivate. */
  'offboarding-one-request-cancelled': async (stack) => {
    const externalID = await employee(stack);
    const run = await startOffboarding(stack.env.client, { externalID }, offboardingPolicy());
    await offboardingStage(stack, run.workflowId, 'retention');
    await stack.env.sleep('3 days');
    await cancelOffboarding(stack.env.client, externalID, 'rehired');
    return closed(stack, run.workflowId);
  },
  /** Patch `coordination-off-rate-limit`: the settling activity on the workflow queue; activated. */
  'onboarding-coordination-off-rate-limit': async (stack) => {
    const run = await startOnboarding(stack.env.client, newHire(), onboardingPolicy());
    await onboardingStage(stack, run.workflowId, 'awaiting-activation');
    await stack.env.client.workflow.getHandle(run.workflowId).signal(onboardingActivatedSignal, {});
    return closed(stack, run.workflowId);
  },
  /** Patch `coordination-off-rate-limit`, the leaver's side: through to the deletion. */
  'offboarding-coordination-off-rate-limit': async (stack) => {
    const externalID = await employee(stack);
    const run = await startOffboarding(stack.env.client, { externalID }, offboardingPolicy());
    await offboardingStage(stack, run.workflowId, 'retention');
    return closed(stack, run.workflowId);
  },
};

/** Offboards an employee and rehires them while the account waits in retention. */
async function rehireDuringRetention(stack: LifecycleTestStack) {
  const externalID = await employee(stack);
  const leaver = await startOffboarding(stack.env.client, { externalID }, offboardingPolicy());
  await offboardingStage(stack, leaver.workflowId, 'retention');
  const user = await stack.control.user(externalID);
  const joiner = await startOnboarding(
    stack.env.client,
    {
      externalID,
      userName: user?.userName ?? externalID,
      firstName: 'Grace',
      lastName: 'Hopper',
      email: user?.emails[0]?.value ?? `${externalID}@example.test`,
    },
    onboardingPolicy(),
    { rerun: true },
  );
  return { onboardingId: joiner.workflowId, offboardingId: leaver.workflowId };
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !(name in scenarios));
  if (unknown.length > 0) {
    throw new Error(
      `Unknown scenario(s): ${unknown.join(', ')}; known: ${Object.keys(scenarios).join(', ')}`,
    );
  }
  const names = wanted.length > 0 ? wanted : Object.keys(scenarios);
  mkdirSync(historiesDir, { recursive: true });

  const stack = await startLifecycleTestStack({ server: 'time-skipping' });
  try {
    await stack.startWorkers();
    for (const name of names) {
      await stack.control.reset();
      const scenario = scenarios[name];
      if (!scenario) continue;
      const { workflowId, runId } = await scenario(stack);
      const history = await stack.env.client.workflow.getHandle(workflowId, runId).fetchHistory();
      const file = path.join(historiesDir, `${name}.json`);
      writeFileSync(file, `${historyToJson(history)}\n`);
      console.log(`${name}: ${history.events?.length ?? 0} events → ${path.relative(process.cwd(), file)}`);
    }
  } finally {
    await stack.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
