/**
 * The reconcile workflow (issue 30) against the recorder's store and the simulator's directory: a plan
 * that reads the directory, classifies, and is applied at once (nothing holds it), and a dry run that
 * stops after the plan. One future joiner (its onboarding is scheduled, no Staffbase call), one leaver
 * whose account is active (an offboarding starts), one person in sync.
 */
import { startReconcilePlan, waitForSettledPlan } from '../../client/reconcile-plans';
import { snapshotRowSchema } from '../../lifecycle/reconcile/snapshot-row';
import type { SnapshotRow } from '../../lifecycle/reconcile/snapshot-row';
import { reconcileWorkflowId } from '../../workflows/reconcile-messages';
import { type LifecycleTestStack } from '../../test/helpers/lifecycle-stack';
import { offboardingPolicy, onboardingPolicy, uniqueSuffix } from '../../test/helpers/people';
import { type Scenario, closed } from './scenario';

function row(n: number, fields: Record<string, unknown>): SnapshotRow {
  return { kind: 'valid', row: n, person: snapshotRowSchema.parse(fields) };
}

async function reconcileScenario(stack: LifecycleTestStack, dryRun: boolean) {
  const store = stack.store;
  if (!store) throw new Error('the recorder runs with a store');
  const id = uniqueSuffix();
  const person = (who: string, extra: Record<string, unknown>) => ({
    externalID: `${who}-${id}`,
    userName: `${who}.${id}`,
    firstName: 'Alex',
    lastName: 'Reconciled',
    email: `${who}.${id}@example.com`,
    ...extra,
  });
  const inSync = person('stays', { status: 'active' });
  for (const account of [person('leaves', {}), inSync]) {
    await stack.control.seedUser({
      externalID: account.externalID,
      userName: account.userName,
      firstName: account.firstName,
      lastName: account.lastName,
      emails: [{ value: account.email, primary: true }],
      status: 'activated',
    });
  }
  const inThirtyDays = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const rows = [
    row(2, person('joins', { status: 'active', startDate: inThirtyDays })),
    row(3, { externalID: `leaves-${id}`, status: 'terminated', lastWorkingDay: '2026-01-02' }),
    row(4, inSync),
  ];
  const plan = await startReconcilePlan(stack.env.client, store, {
    rows,
    source: 'replay-recorder',
    dryRun,
    absent: 'ignore',
    requestedBy: { kind: 'cli', user: 'replay-recorder' },
    policies: { onboarding: onboardingPolicy(), offboarding: offboardingPolicy() },
  });
  await waitForSettledPlan(stack.env.client, store, plan.planId, 120_000);
  return closed(stack, reconcileWorkflowId(plan.planId));
}

/** The plan asks Temporal's visibility for the open runs: the dev server records these. */
export const reconcileDevServerScenarios = new Set(['reconcile-applied', 'reconcile-dry-run']);

export const reconcileScenarios: Record<string, Scenario> = {
  /** Read, classified, applied: a scheduled onboarding and an offboarding started, one in sync. */
  'reconcile-applied': (stack) => reconcileScenario(stack, false),
  /** The same snapshot as a dry run: the plan is stored, nothing starts. */
  'reconcile-dry-run': (stack) => reconcileScenario(stack, true),
};
