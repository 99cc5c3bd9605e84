/**
 * The onboarding's Staffbase and mail steps, each choosing by patch between the activities a run
 * recorded and the ones runs use now.
 */
import { log, patched, proxyActivities } from '@temporalio/workflow';
import type { RetiredActivities } from '../activities';
import type { NotificationActivities } from '../activities/notification-activities';
import { taskQueues } from '../lifecycle/task-queues';
import { deletePendingAccount, staffbaseIn } from './account-steps';
import { staffbaseActivityOptions } from './activity-options';
import { onboardingPatches } from './onboarding-patches';

/** The activities of the runs recorded before `one-request-steps`, and the mails. */
export const staffbase = proxyActivities<RetiredActivities & NotificationActivities>({
  ...staffbaseActivityOptions,
  taskQueue: taskQueues.staffbaseApi,
});

/**
 * A pending account's deletion: read, then delete (one request each) in runs past the patch; a DELETE
 * answered 404 is confirmed by reads past `onboarding-delete-404-confirmed`.
 */
export async function deletePending(
  staffbaseUserId: string,
  externalID: string,
): Promise<'deleted' | 'already-gone' | 'not-pending'> {
  if (patched(onboardingPatches.oneRequestSteps)) {
    return deletePendingAccount(staffbaseUserId, 'standard', {
      externalID,
      asked: () => patched(onboardingPatches.deleteNotFoundConfirmed),
    });
  }
  return staffbase.deletePendingUser(staffbaseUserId);
}

/** A scheduled status check: background work, in the bulk lane in runs past the patch. */
export async function checkStatus(
  staffbaseUserId: string,
): Promise<'pending' | 'activated' | 'deactivated' | 'gone'> {
  if (!patched(onboardingPatches.oneRequestSteps)) return staffbase.getUserStatus(staffbaseUserId);
  const read = await staffbaseIn('bulk').readAccount(staffbaseUserId);
  return read.result === 'gone' ? 'gone' : read.account.status;
}

/**
 * A reminder mail: in runs past `needs-attention` a refused delivery (or a refused read of the
 * account) is logged and counted by the activity, and the next reminder tries again; it never fails
 * the onboarding.
 */
export async function sendReminder(
  reminder: Parameters<NotificationActivities['sendInvitationReminder']>[0],
): Promise<'sent' | 'user-activated' | 'no-email' | 'user-gone' | 'not-delivered'> {
  try {
    return await staffbase.sendInvitationReminder(reminder);
  } catch (error) {
    if (!patched(onboardingPatches.needsAttention)) throw error;
    log.warn('Reminder not delivered; the next one tries again', { error: String(error) });
    return 'not-delivered';
  }
}

/** The expiry notice to HR: in runs past `needs-attention` a refused mail is logged, not fatal. */
export async function notifyExpired(
  notice: Parameters<NotificationActivities['notifyOnboardingExpired']>[0],
): Promise<void> {
  try {
    await staffbase.notifyOnboardingExpired(notice);
  } catch (error) {
    if (!patched(onboardingPatches.needsAttention)) throw error;
    log.warn('Expiry notice not delivered', { error: String(error) });
  }
}
