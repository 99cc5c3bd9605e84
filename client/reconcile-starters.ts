import type { ReconcileRunStarters } from '../activities/reconcile-activities';
import { startOffboarding, startOnboarding } from './lifecycle-runs';
import { startMover } from './support-runs';

/**
 * Applying a reconciliation plan starts its runs through the one home of each start, so a plan's
 * onboarding is the same run an import or the API would start (one per person, validated again).
 */
export const reconcileRunStarters: ReconcileRunStarters = {
  onboarding: (client, request, policy, options) => startOnboarding(client, request, policy, options),
  offboarding: (client, request, policy, options) => startOffboarding(client, request, policy, options),
  change: (client, request) => startMover(client, request),
};
