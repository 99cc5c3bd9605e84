/**
 * Issue #24 scenarios of the replay corpus (see tooling/record-histories.ts): patches
 * `legal-hold-search-attribute` (the offboarding upserts LegalHold) and `cleanup-skips-held-people`
 * (a clean-up asks the person's open runs before each deletion). The clean-ups need the dev server's
 * visibility (`cleanupHoldDevServerScenarios`).
 */
import { placeLegalHold } from '../../client/lifecycle-actions';
import { startCleanup } from '../../client/support-runs';
import type { LifecycleTestStack } from '../../test/helpers/lifecycle-stack';
import { offboardingScenarios } from './offboarding';
import { type Scenario, closed, leaverInRetention, seedPerson } from './scenario';

const day = 86_400_000;

/** A leaver in retention under a legal hold, and a deactivated account nobody holds. */
async function heldLeaverAndBystander(stack: LifecycleTestStack): Promise<void> {
  const leaver = await leaverInRetention(stack, { retentionDays: 30 });
  await placeLegalHold(stack.env.client, leaver.externalID, 'litigation 2026-24');
  await seedPerson(stack, 'bystander', {
    status: 'deactivated',
    deactivated: new Date(Date.now() - 3_600_000).toISOString(),
  });
}

const aroundNow = () => ({
  kind: 'deactivated-users' as const,
  deactivatedFrom: new Date(Date.now() - day).toISOString(),
  deactivatedBefore: new Date(Date.now() + day).toISOString(),
});

export const cleanupHoldScenarios: Record<string, Scenario | undefined> = {
  /** The legal hold scenario again, past `legal-hold-search-attribute`: the hold and release upsert LegalHold. */
  'offboarding-legal-hold-search-attribute': offboardingScenarios['offboarding-legal-hold-released'],
  /** A deactivated-users clean-up, a page a user: the held leaver is skipped (`legal-hold`), the bystander deleted. */
  'cleanup-skips-held-leaver': async (stack) => {
    await heldLeaverAndBystander(stack);
    const run = await startCleanup(
      stack.env.client,
      { ...aroundNow(), pageSize: 1 },
      { confirmAbove: 50, maxFailures: 100 },
    );
    return closed(stack, run.workflowId);
  },
  /** Its dry run: the sample marks the held leaver with its reason. */
  'cleanup-dry-run-samples-held-leaver': async (stack) => {
    await heldLeaverAndBystander(stack);
    const run = await startCleanup(
      stack.env.client,
      { ...aroundNow(), dryRun: true },
      { confirmAbove: 50, maxFailures: 100 },
    );
    return closed(stack, run.workflowId);
  },
};

/** Scenarios that need the dev server's visibility. */
export const cleanupHoldDevServerScenarios = new Set([
  'cleanup-skips-held-leaver',
  'cleanup-dry-run-samples-held-leaver',
]);
