import { createAccountActivities } from './account-activities';
import { createNotificationActivities, type NotificationDependencies } from './notification-activities';

export type ActivityDependencies = NotificationDependencies;

/** Every activity the Staffbase worker registers, bound to its dependencies. */
export function createActivities(deps: ActivityDependencies) {
  return {
    ...createAccountActivities(deps.staffbase),
    ...createNotificationActivities(deps),
  };
}

export type LifecycleActivities = ReturnType<typeof createActivities>;
