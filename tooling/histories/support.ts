/**
 * The support scenarios of the replay corpus (see tooling/record-histories.ts): issues #13/#19, recorded
 * before the support workflows changed, and again after the one-request change.
 */
import {
  type StartedSupportRun,
  confirmBulkRun,
  lookUpGroupMembers,
  lookUpUser,
  startCleanup,
  startMover,
  startPopulationLogout,
  startRecoveryCode,
  startUserLogout,
  supportRunHandle,
} from '../../client/support-runs';
import { toGroupMembersLookupInput } from '../../lifecycle/support-inputs';
import { groupLookupWorkflowId } from '../../lifecycle/workflow-ids';
import type { UserSeed } from '../../simulator/control-client';
import {
  type BulkPhase,
  bulkProgressQuery,
  cancelBulkRunSignal,
  confirmDeletionsSignal,
} from '../../workflows/support-messages';
import { type LifecycleTestStack } from '../../test/helpers/lifecycle-stack';
import { waitFor } from '../../test/helpers/waiting';
import { type Scenario, closed, seedPeople } from './scenario';

/** Users in the simulator for the support scenarios. */
function supportUsers(stack: LifecycleTestStack, count: number, seed: UserSeed): Promise<string[]> {
  return seedPeople(stack, 'support', count, (index) => ({
    firstName: 'Ada',
    lastName: `Lovelace ${index}`,
    status: 'activated',
    ...seed,
  }));
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
  await supportUsers(stack, 5, { creationType: 'sso', sessions: 2 });
  await supportUsers(stack, 1, { creationType: 'direct', sessions: 1 });
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
  await supportUsers(stack, 5, { status: 'pending', created: '2020-01-02T08:00:00.000Z' });
  await supportUsers(stack, 1, { status: 'pending', created: new Date().toISOString() });
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

export const supportScenarios: Record<string, Scenario> = {
  /** A mover: a name, a profile field and a missing group change; a present group stays. */
  'support-mover-changed': async (stack) => {
    const [externalID = ''] = await supportUsers(stack, 1, {
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
    const [externalID = ''] = await supportUsers(stack, 1, { creationType: 'direct' });
    const run = await startRecoveryCode(stack.env.client, { externalID });
    return closed(stack, run.workflowId);
  },
  /** A recovery code refused: the user signs in with SSO. */
  'support-recovery-code-refused-sso': async (stack) => {
    const [externalID = ''] = await supportUsers(stack, 1, { creationType: 'sso' });
    const run = await startRecoveryCode(stack.env.client, { externalID, reason: 'locked out' });
    return closed(stack, run.workflowId);
  },
  /** One person's forced logout: exact look-up, then end the sessions. */
  'support-user-logout': async (stack) => {
    const [externalID = ''] = await supportUsers(stack, 1, { sessions: 3 });
    const run = await startUserLogout(stack.env.client, { externalID, reason: 'lost phone' });
    return closed(stack, run.workflowId);
  },
  /** A user look-up by externalID. */
  'support-user-lookup': async (stack) => {
    const [externalID = ''] = await supportUsers(stack, 1, {});
    await lookUpUser(stack.env.client, { externalID });
    return closed(stack, `user-lookup-${externalID}`);
  },
  /** A group's members over three pages. */
  'support-group-lookup': async (stack) => {
    await supportUsers(stack, 5, { groupIDs: ['replay-group'] });
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
    await supportUsers(stack, 3, { groupIDs: ['replay-leavers'], sessions: 1 });
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
    await supportUsers(stack, 3, { creationType: 'sso' });
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
    await supportUsers(stack, 2, { status: 'deactivated', deactivated: '2024-03-05T10:00:00.000Z' });
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
    await supportUsers(stack, 3, { status: 'pending', created: '2020-01-02T08:00:00.000Z' });
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
export const oneRequestSupportScenarios: Record<string, Scenario | undefined> = {
  'support-mover-one-request': supportScenarios['support-mover-changed'],
  'support-recovery-code-one-request': supportScenarios['support-recovery-code-sent'],
  'support-recovery-code-one-request-refused-sso': supportScenarios['support-recovery-code-refused-sso'],
  'cleanup-pending-one-request-first-run': supportScenarios['cleanup-pending-confirmed-first-run'],
};

// Patch `bulk-service-thresholds`: the run reads the worker's thresholds (`bulkSafetyLimits`, on the
// workflow queue) and applies the lower; started as the HR API starts it (no thresholds copied in but
// the request's), confirmed with the `confirm` update.
export const serviceThresholdScenarios: Record<string, Scenario> = {
  /** Clean-up, first run: the worker's thresholds read, paused above the request's 3, the update, continue-as-new. */
  'cleanup-service-thresholds-first-run': async (stack) => {
    await supportUsers(stack, 5, { status: 'pending', created: '2020-01-02T08:00:00.000Z' });
    const run = await startCleanup(stack.env.client, {
      kind: 'pending-accounts',
      olderThanDays: 30,
      confirmAbove: 3,
      pageSize: 2,
      pagesPerRun: 2,
      parallelism: 2,
    });
    await bulkPhase(stack, run.workflowId, 'awaiting-confirmation');
    await confirmBulkRun(stack.env.client, run.workflowId, 'replay-recorder');
    return firstRun(stack, run);
  },
  /** Population logout: the worker's thresholds read, paused above the request's 2, the update, completed. */
  'population-logout-service-thresholds': async (stack) => {
    await supportUsers(stack, 3, { groupIDs: ['replay-thresholds'], sessions: 1 });
    const run = await startPopulationLogout(stack.env.client, {
      groupId: 'replay-thresholds',
      confirmAbove: 2,
      maxFailures: 5,
      parallelism: 1,
    });
    await bulkPhase(stack, run.workflowId, 'awaiting-confirmation');
    await confirmBulkRun(stack.env.client, run.workflowId, 'replay-recorder');
    return closed(stack, run.workflowId);
  },
};

/** Issue 27, patch `cleanup-delete-404-confirmed`: a clean-up DELETE answered 404 is confirmed by reads. */
export const deletion404Scenarios: Record<string, Scenario> = {
  /** Three stale pending accounts, one at a time: a 404 not permitted (failed), a 404 really gone, a deletion. */
  'cleanup-delete-404-confirmed': async (stack) => {
    await supportUsers(stack, 3, { status: 'pending', created: '2020-01-02T08:00:00.000Z' });
    await stack.control.setFaults([
      { route: 'DELETE /users/:id', failNext: 1, lostReplyNext: 1, errorStatus: 404 },
    ]);
    const run = await startCleanup(stack.env.client, {
      kind: 'pending-accounts',
      olderThanDays: 30,
      pageSize: 10,
      parallelism: 1,
    });
    return closed(stack, run.workflowId);
  },
};

/** Recorded on the dev server (the clean-up asks visibility about the person's open runs). */
export const deletion404DevServerScenarios = new Set(['cleanup-delete-404-confirmed']);

// Issue 27, patch `mover-changed-fields-only`: the mover's PUT lists only the changed profile fields
// (a system field at the top level, the default placement; a custom field under `profile`), with the
// profile as read beside them in the activity input.
export const changedFieldsMoverScenarios: Record<string, Scenario> = {
  'support-mover-changed-fields-only': async (stack) => {
    const [externalID = ''] = await supportUsers(stack, 1, {
      topLevel: { department: 'Sales', position: 'Rep' },
      profile: { costCenter: '42' },
      groupIDs: ['all-staff'],
    });
    const run = await startMover(stack.env.client, {
      externalID,
      profile: { department: 'Marketing', position: 'Rep', costCenter: '43' },
      addToGroups: ['marketing'],
    });
    return closed(stack, run.workflowId);
  },
};
