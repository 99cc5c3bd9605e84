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
import {
  type StartedSupportRun,
  lookUpGroupMembers,
  lookUpUser,
  startCleanup,
  startMover,
  startPopulationLogout,
  startRecoveryCode,
  startUserLogout,
  supportRunHandle,
} from '../client/support-runs';
import { toGroupMembersLookupInput } from '../lifecycle/support-inputs';
import { groupLookupWorkflowId } from '../lifecycle/workflow-ids';
import type { UserSeed } from '../simulator/control-client';
import { offboardingStatusQuery, type OffboardingStatus } from '../workflows/offboarding-messages';
import {
  type BulkPhase,
  bulkProgressQuery,
  cancelBulkRunSignal,
  confirmDeletionsSignal,
} from '../workflows/support-messages';
import {
  cancelOnboardingSignal,
  onboardingActivatedSignal,
  onboardingStatusQuery,
  type OnboardingStatus,
} from '../workflows/onboarding-messages';
import { type LifecycleTestStack, startLifecycleTestStack } from '../test/helpers/lifecycle-stack';
import { historyToJson } from '../test/replay/history-json';
import { newHire, offboardingPolicy, onboardingPolicy, uniqueSuffix } from '../test/helpers/people';
import { TEST_TOKEN } from '../test/helpers/simulator';
import { waitFor } from '../test/helpers/waiting';
import { correctOnboardingUpdate, retryStepUpdate } from '../workflows/attention-messages';

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
  }, // Issue #14, patch `needs-attention`: a refusal a person can fix parks the run until a fix.
  /** A taken userName parks the create; HR's correction creates the account; activated. */
  'onboarding-needs-attention-corrected': async (stack) => {
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
  },
  /** A rotated token parks the logout; the token is back, an operator retries; through to the deletion. */
  'offboarding-needs-attention-retried': async (stack) => {
    const externalID = await employee(stack);
    await stack.control.setAcceptedToken('rotated-token');
    const run = await startOffboarding(stack.env.client, { externalID }, offboardingPolicy());
    await offboardingStage(stack, run.workflowId, 'needs-attention');
    await stack.control.setAcceptedToken(TEST_TOKEN);
    await stack.env.client.workflow.getHandle(run.workflowId).executeUpdate(retryStepUpdate);
    return closed(stack, run.workflowId);
  },
};

// --- support scenarios (issues #13/#19: recorded before the support workflows changed) ---------------

/** Users in the simulator for the support scenarios. */
async function seedPeople(stack: LifecycleTestStack, count: number, seed: UserSeed): Promise<string[]> {
  const externalIDs: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const id = uniqueSuffix();
    await stack.control.seedUser({
      externalID: `support-${id}`,
      userName: `support.${id}`,
      firstName: 'Ada',
      lastName: `Lovelace ${i}`,
      emails: [{ value: `support.${id}@example.test`, primary: true }],
      status: 'activated',
      ...seed,
    });
    externalIDs.push(`support-${id}`);
  }
  return externalIDs;
}

async function bulkPhase(stack: LifecycleTestStack, workflowId: string, phase: BulkPhase) {
  await waitFor(
    () => supportRunHandle(stack.env.client, workflowId).query(bulkProgressQuery),
    (progress) => progress.phase === phase,
    { what: `bulk phase ${phase}` },
  );
}

/** The first run of a continue-as-new chain (carried state written), once the chain has ended. */
async function firstRun(stack: LifecycleTestStack, run: StartedSupportRun) {
  await stack.env.client.workflow.getHandle(run.workflowId).result();
  return { workflowId: run.workflowId, runId: run.runId };
}

/** 5 SSO users, 2 a page, 2 pages a run, confirmed above 3: the chain continues as new once. */
async function confirmedPopulationLogout(stack: LifecycleTestStack) {
  await seedPeople(stack, 5, { creationType: 'sso', sessions: 2 });
  await seedPeople(stack, 1, { creationType: 'direct', sessions: 1 });
  const run = await startPopulationLogout(
    stack.env.client,
    { filter: 'staffbase.creationType eq "sso"', pageSize: 2, pagesPerRun: 2, parallelism: 2 },
    { confirmAbove: 3 },
  );
  await bulkPhase(stack, run.workflowId, 'awaiting-confirmation');
  await supportRunHandle(stack.env.client, run.workflowId).signal(confirmDeletionsSignal, {
    confirmedBy: 'replay-recorder',
  });
  return run;
}

/** 5 pending accounts from 2020, 2 a page, 2 pages a run, confirmed above 3; one deletion fails for good. */
async function confirmedCleanup(stack: LifecycleTestStack) {
  await seedPeople(stack, 5, { status: 'pending', created: '2020-01-02T08:00:00.000Z' });
  await seedPeople(stack, 1, { status: 'pending', created: new Date().toISOString() });
  await stack.control.setFaults([{ route: 'DELETE /users/:id', failNext: 1, errorStatus: 403 }]);
  const run = await startCleanup(
    stack.env.client,
    { kind: 'pending-accounts', olderThanDays: 30, pageSize: 2, pagesPerRun: 2, parallelism: 2 },
    { confirmAbove: 3, maxFailures: 2 },
  );
  await bulkPhase(stack, run.workflowId, 'awaiting-confirmation');
  await supportRunHandle(stack.env.client, run.workflowId).signal(confirmDeletionsSignal, {
    confirmedBy: 'replay-recorder',
  });
  return run;
}

const supportScenarios: Record<string, Scenario> = {
  /** A mover: a name, a profile field and a missing group change; a present group stays. */
  'support-mover-changed': async (stack) => {
    const [externalID = ''] = await seedPeople(stack, 1, {
      profile: { department: 'Sales' },
      groupIDs: ['all-staff'],
    });
    const run = await startMover(stack.env.client, {
      externalID,
      lastName: 'King',
      profile: { department: 'Marketing' },
      addToGroups: ['all-staff', 'marketing'],
    });
    return closed(stack, run.workflowId);
  },
  /** A recovery code for an activated, directly created user. */
  'support-recovery-code-sent': async (stack) => {
    const [externalID = ''] = await seedPeople(stack, 1, { creationType: 'direct' });
    const run = await startRecoveryCode(stack.env.client, { externalID });
    return closed(stack, run.workflowId);
  },
  /** A recovery code refused: the user signs in with SSO. */
  'support-recovery-code-refused-sso': async (stack) => {
    const [externalID = ''] = await seedPeople(stack, 1, { creationType: 'sso' });
    const run = await startRecoveryCode(stack.env.client, { externalID, reason: 'locked out' });
    return closed(stack, run.workflowId);
  },
  /** One person's forced logout: exact look-up, then end the sessions. */
  'support-user-logout': async (stack) => {
    const [externalID = ''] = await seedPeople(stack, 1, { sessions: 3 });
    const run = await startUserLogout(stack.env.client, { externalID, reason: 'lost phone' });
    return closed(stack, run.workflowId);
  },
  /** A user look-up by externalID. */
  'support-user-lookup': async (stack) => {
    const [externalID = ''] = await seedPeople(stack, 1, {});
    await lookUpUser(stack.env.client, { externalID });
    return closed(stack, `user-lookup-${externalID}`);
  },
  /** A group's members over three pages. */
  'support-group-lookup': async (stack) => {
    await seedPeople(stack, 5, { groupIDs: ['replay-group'] });
    const request = { groupId: 'replay-group', pageSize: 2 };
    await lookUpGroupMembers(stack.env.client, request);
    return closed(stack, groupLookupWorkflowId(toGroupMembersLookupInput(request)));
  },
  /** Population logout, first run: threshold, confirmation, two pages, continue-as-new. */
  'population-logout-confirmed-first-run': async (stack) =>
    firstRun(stack, await confirmedPopulationLogout(stack)),
  /** Population logout, last run of the same chain: started from the carried state, completes. */
  'population-logout-confirmed-last-run': async (stack) =>
    closed(stack, (await confirmedPopulationLogout(stack)).workflowId),
  /** Population logout of a group, one logout fails for good: too many failures (0 allowed). */
  'population-logout-too-many-failures': async (stack) => {
    await seedPeople(stack, 3, { groupIDs: ['replay-leavers'], sessions: 1 });
    await stack.control.setFaults([{ route: 'DELETE /users/:id/sessions', failNext: 1, errorStatus: 403 }]);
    const run = await startPopulationLogout(stack.env.client, {
      groupId: 'replay-leavers',
      maxFailures: 0,
      parallelism: 1,
    });
    return closed(stack, run.workflowId);
  },
  /** Population logout dry run: count and sample. */
  'population-logout-dry-run': async (stack) => {
    await seedPeople(stack, 3, { creationType: 'sso' });
    const run = await startPopulationLogout(stack.env.client, {
      filter: 'staffbase.creationType eq "sso"',
      dryRun: true,
      sampleSize: 2,
    });
    return closed(stack, run.workflowId);
  },
  /** Clean-up of pending accounts, first run: threshold, confirmation, a failed deletion, continue-as-new. */
  'cleanup-pending-confirmed-first-run': async (stack) => firstRun(stack, await confirmedCleanup(stack)),
  /** The same clean-up's last run: starts at the failed user's offset, completes. */
  'cleanup-pending-confirmed-last-run': async (stack) =>
    closed(stack, (await confirmedCleanup(stack)).workflowId),
  /** Clean-up of deactivated users: a dry run. */
  'cleanup-deactivated-dry-run': async (stack) => {
    await seedPeople(stack, 2, { status: 'deactivated', deactivated: '2024-03-05T10:00:00.000Z' });
    const run = await startCleanup(
      stack.env.client,
      {
        kind: 'deactivated-users',
        deactivatedFrom: '2024-01-01',
        deactivatedBefore: '2025-01-01',
        dryRun: true,
      },
      { confirmAbove: 50, maxFailures: 100 },
    );
    return closed(stack, run.workflowId);
  },
  /** Clean-up cancelled while it awaits confirmation. */
  'cleanup-cancelled-awaiting-confirmation': async (stack) => {
    await seedPeople(stack, 3, { status: 'pending', created: '2020-01-02T08:00:00.000Z' });
    const run = await startCleanup(
      stack.env.client,
      { kind: 'pending-accounts', olderThanDays: 30 },
      { confirmAbove: 1, maxFailures: 100 },
    );
    await bulkPhase(stack, run.workflowId, 'awaiting-confirmation');
    await supportRunHandle(stack.env.client, run.workflowId).signal(cancelBulkRunSignal, {
      reason: 'wrong window',
    });
    return closed(stack, run.workflowId);
  },
};

// Issue #13, patches `one-request-steps` (mover, recovery code) and `cleanup-one-request-steps`: the
// same scenarios, recorded after the change — read, compare, act, one Staffbase request per activity.
const oneRequestSupportScenarios: Record<string, Scenario | undefined> = {
  'support-mover-one-request': supportScenarios['support-mover-changed'],
  'support-recovery-code-one-request': supportScenarios['support-recovery-code-sent'],
  'support-recovery-code-one-request-refused-sso': supportScenarios['support-recovery-code-refused-sso'],
  'cleanup-pending-one-request-first-run': supportScenarios['cleanup-pending-confirmed-first-run'],
};

Object.assign(scenarios, supportScenarios, oneRequestSupportScenarios);

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
