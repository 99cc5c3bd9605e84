import { createAccountStepActivities } from './account-step-activities';
import { createActivationSweepActivities } from './activation-sweep-activities';
import { type BulkSafetyConfig } from '../config/bulk-safety';
import { createBatchedLookupActivities } from './batched-lookup-activities';
import { createBulkSafetyActivities } from './bulk-safety-activities';
import { createDirectoryLookupActivities } from './directory-lookup-activities';
import { createLifecycleCoordinationActivities } from './lifecycle-coordination-activities';
import { createLookupBatcherActivities } from './lookup-batcher-activities';
import { createNotificationActivities, type NotificationDependencies } from './notification-activities';
import { createPersonIndexActivities } from './person-index-activities';
import { createLifecycleEventActivities } from './lifecycle-event-activities';
import type { LifecycleEventsConfig } from '../config/lifecycle-events';
import { createPersonRunsActivities } from './person-runs-activities';
import { createRetentionFloorActivities } from './retention-floor-activities';
import { createRetiredActivities } from './retired';
import { createStaffbaseEventActivities } from './staffbase-event-activities';
import { createSupportActivities } from './support-activities';
import { createStoreEraseActivities } from './store-erase-activities';
import { createReconcileEraseActivities } from './reconcile-erase-activities';
import { type ReconcileRunStarters, createReconcileActivities } from './reconcile-activities';
import type { ReconcileThresholds } from '../lifecycle/reconcile/safety';
import type { LifecycleStore } from '../store';

export interface ActivityDependencies extends NotificationDependencies {
  /** OFFBOARDING_MIN_RETENTION_DAYS: the worker's floor under every offboarding's retention. */
  offboardingMinRetentionDays: number;
  /** The worker's bulk thresholds (LOGOUT_CONFIRM_ABOVE, CLEANUP_CONFIRM_ABOVE, BULK_MAX_FAILURES); default: their defaults. */
  bulkSafety?: BulkSafetyConfig;
  /**
   * The project's own store (store/): the person index the runs keep current, and the erase Schedule's
   * activity. Absent (tests that need none): `recordPersonStage` writes nothing.
   */
  store?: LifecycleStore;
  /** LIFECYCLE_EVENT_*: the subscribers each milestone goes to (docs/events.md); absent: none. */
  lifecycleEvents?: LifecycleEventsConfig;
  /** The worker's reconciliation thresholds (RECONCILE_HOLD_ABOVE, …); default: their defaults. */
  reconcileThresholds?: ReconcileThresholds;
  /** RECONCILE_KEEP_DAYS; default 30. */
  reconcileKeepDays?: number;
  /** The start functions applying a reconciliation plan uses (worker/reconcile-starters.ts). */
  reconcileRunStarters?: ReconcileRunStarters;
}

/** Every activity the Staffbase worker registers, bound to its dependencies. */
export function createActivities(deps: ActivityDependencies) {
  return {
    ...createAccountStepActivities(deps.staffbase),
    ...createActivationSweepActivities(deps.staffbase),
    ...createBatchedLookupActivities(deps.staffbase),
    ...createBulkSafetyActivities(deps.bulkSafety),
    ...createDirectoryLookupActivities(deps.staffbase),
    ...createLifecycleCoordinationActivities(),
    ...createLookupBatcherActivities(),
    ...createNotificationActivities(deps),
    ...createPersonIndexActivities(deps.store, deps.lifecycleEvents),
    ...createLifecycleEventActivities(deps.store, deps.lifecycleEvents),
    ...createPersonRunsActivities(),
    ...createRetentionFloorActivities(deps.offboardingMinRetentionDays),
    ...createStoreEraseActivities(deps.store),
    ...createReconcileEraseActivities(deps.store),
    ...createStaffbaseEventActivities(deps.staffbase),
    ...createSupportActivities(deps.staffbase),
    ...createReconcileActivities({
      staffbase: deps.staffbase,
      ...(deps.store && { store: deps.store }),
      ...(deps.reconcileThresholds && { reconcileThresholds: deps.reconcileThresholds }),
      ...(deps.reconcileKeepDays !== undefined && { reconcileKeepDays: deps.reconcileKeepDays }),
      ...(deps.reconcileRunStarters && { runStarters: deps.reconcileRunStarters }),
    }),
    // Only for runs recorded before their patches: old histories schedule them by name.
    ...createRetiredActivities(deps.staffbase),
  };
}

export type LifecycleActivities = ReturnType<typeof createActivities>;

/**
 * The retired activities (activities/retired/) that the workflows' old branches still schedule by
 * name: workflows take their types from here, never from the fenced folder.
 */
export type { RetiredActivities } from './retired';
