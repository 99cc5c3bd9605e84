/** The offboarding scenarios of the replay corpus (see tooling/record-histories.ts); names are fixture file names. */
import {
  cancelOffboarding,
  changeRetention,
  deleteNow,
  placeLegalHold,
  releaseLegalHold,
} from '../../client/lifecycle-actions';
import { startOffboarding, startOnboarding } from '../../client/lifecycle-runs';
import { lookupBatcherWorkflowId } from '../../lifecycle/workflow-ids';
import { type LifecycleTestStack } from '../../test/helpers/lifecycle-stack';
import { newHire, offboardingPolicy, onboardingPolicy } from '../../test/helpers/people';
import { TEST_TOKEN } from '../../test/helpers/simulator';
import { retryStepUpdate } from '../../workflows/attention-messages';
import {
  type Scenario,
  onboardingStage,
  offboardingStage,
  employee,
  closed,
  leaverInRetention,
  rehireDuringRetention,
} from './scenario';

/** Through retention to the deletion. */
const throughDeletion: Scenario = async (stack) => {
  const run = await leaverInRetention(stack);
  return closed(stack, run.workflowId);
};

/** An administrator reactivates the account during retention: kept at the deadline. */
const reactivatedByHand: Scenario = async (stack) => {
  const run = await leaverInRetention(stack);
  await stack.control.setStatusByHand(run.externalID, 'activated');
  return closed(stack, run.workflowId);
};

/** Cancelled during retention, after deactivation: the account is reactivated. */
const cancelledInRetention: Scenario = async (stack) => {
  const run = await leaverInRetention(stack);
  await stack.env.sleep('3 days');
  await cancelOffboarding(stack.env.client, run.externalID, 'rehired');
  return closed(stack, run.workflowId);
};

/** Each name is a fixture; a run recorded again after a patch reuses the scenario it was first recorded with. */
/** Deactivate, 30 days retention, a legal hold past the deadline, release, delete. */
const legalHoldReleased: Scenario = async (stack) => {
  const run = await leaverInRetention(stack, { retentionDays: 30 });
  await placeLegalHold(stack.env.client, run.externalID, 'litigation 2026-17');
  await stack.env.sleep('45 days');
  await offboardingStage(stack, run.workflowId, 'on-hold');
  await releaseLegalHold(stack.env.client, run.externalID);
  return closed(stack, run.workflowId);
};

export const offboardingScenarios: Record<string, Scenario> = {
  /** Deactivate, 30 days retention, a legal hold past the deadline, release, delete. */
  'offboarding-legal-hold-released': legalHoldReleased,
  /**
   * Patch `offboarding-person-index` (issue 29): a local activity at each stage change — started,
   * logging out, logged-out, deactivated, held, hold-released, deleting, deleted.
   */
  'offboarding-person-index': legalHoldReleased,
  /** Cancelled during retention, after deactivation: the account is reactivated. */
  'offboarding-cancelled-after-deactivation': cancelledInRetention,
  /** Exact look-up, guarded deletion: the account is deleted at the end of a 30-day retention. */
  'offboarding-guarded-deletion': throughDeletion,
  /** An administrator reactivates the account during retention: kept at the deadline. */
  'offboarding-kept-after-manual-reactivation': reactivatedByHand,
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
  /** Resolve, read + logout, read + deactivate (urgent lane), retention, read + delete. */
  'offboarding-one-request-deletion': throughDeletion,
  /** Reactivated by hand during retention: the read before the delete keeps it. */
  'offboarding-one-request-kept': reactivatedByHand,
  /** Cancelled during retention: read, then reactivate. */
  'offboarding-one-request-cancelled': cancelledInRetention,
  /** Patch `coordination-off-rate-limit`, the leaver's side: through to the deletion. */
  'offboarding-coordination-off-rate-limit': throughDeletion,
  // Issue #14, patch `needs-attention`: a refusal a person can fix parks the run until a fix.
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
  // Issue #24, patch `retention-floor` (recorded with the worker's default floor of 1 day).
  /** A raw start with retentionDays 0 and a raw change to 0: both raised to the floor and audited; deleted a day on. */
  'offboarding-retention-floor-raised': async (stack) => {
    const run = await leaverInRetention(stack, { retentionDays: 0 });
    await changeRetention(stack.env.client, run.externalID, { retentionDays: 0 });
    return closed(stack, run.workflowId);
  },
  // Issue 27, patch `delete-404-confirmed`: a DELETE answered 404 is confirmed by reads.
  /** The DELETE answers 404 while the account exists: parked `not-permitted`, retried, deleted. */
  'offboarding-delete-404-not-permitted': async (stack) => {
    const run = await leaverInRetention(stack);
    await stack.control.setFaults([{ route: 'DELETE /users/:id', failNext: 1, errorStatus: 404 }]);
    await deleteNow(stack.env.client, run.externalID);
    await offboardingStage(stack, run.workflowId, 'needs-attention');
    await stack.env.client.workflow.getHandle(run.workflowId).executeUpdate(retryStepUpdate);
    return closed(stack, run.workflowId);
  },
  /** The DELETE runs and answers 404: a GET by id and the externalID look-up confirm it gone. */
  'offboarding-delete-404-confirmed-gone': async (stack) => {
    const run = await leaverInRetention(stack);
    await stack.control.setFaults([{ route: 'DELETE /users/:id', lostReplyNext: 1, errorStatus: 404 }]);
    await deleteNow(stack.env.client, run.externalID);
    return closed(stack, run.workflowId);
  },
  // Issue 28, patch `batched-lookup`: an import's leavers (lane `bulk`) are looked up in a batch.
  /** Two leavers started in the bulk lane: one batch, its read stands in for the reads; deleted. */
  'offboarding-batched-lookup': async (stack) => {
    const [first] = await bulkLeaversInRetention(stack, 2);
    return closed(stack, first ?? '');
  },
  /** The batcher's side: one list request for three leavers, answers delivered; idle, it ends. */
  'lookup-batcher-one-batch': async (stack) => {
    await bulkLeaversInRetention(stack, 3);
    return closed(stack, lookupBatcherWorkflowId);
  },
};

/** `count` employees offboarded at once in the bulk lane (as an import starts them), as far as retention. */
async function bulkLeaversInRetention(stack: LifecycleTestStack, count: number): Promise<string[]> {
  const externalIDs = await Promise.all(Array.from({ length: count }, () => employee(stack)));
  const runs = await Promise.all(
    externalIDs.map((externalID) =>
      startOffboarding(stack.env.client, { externalID }, offboardingPolicy(), { lane: 'bulk' }),
    ),
  );
  for (const run of runs) await offboardingStage(stack, run.workflowId, 'retention');
  return runs.map((run) => run.workflowId);
}
