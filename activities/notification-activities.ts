import type { OnboardingRequest } from '../lifecycle/onboarding-request';
import type { AttentionReason } from '../lifecycle/attention';
import { withRetryDecisions } from './activity-failures';
import { countInActivity, lifecycleCounters } from './lifecycle-metrics';
import { NotificationDeliveryError } from './notifications/errors';
import type { Notifier } from './notifications/notifier';
import type { StaffbaseClient } from '../staffbase/client';
import { StaffbaseNotFoundError } from '../staffbase/errors';
import type { StaffbaseUser } from '../staffbase/schemas';

export interface ReminderRequest {
  staffbaseUserId: string;
  externalID: string;
  reminderNumber: number;
  contactEmail?: string;
}

export interface ExpiredNoticeRequest {
  request: OnboardingRequest;
  staffbaseUserId: string;
  remindersSent: number;
  accountAction: 'left-pending' | 'deleted';
}

export interface NeedsAttentionNoticeRequest {
  lifecycle: 'onboarding' | 'offboarding' | 'leave';
  externalID: string;
  personName?: string;
  contactEmail?: string;
  reason: AttentionReason;
}

export interface NotificationDependencies {
  staffbase: StaffbaseClient;
  notifier: Notifier;
  /** The employee app's URL, shown in reminder mails. */
  appUrl: string;
  /** Where expiry notices go when the request names no contact. */
  hrContactEmail?: string;
}

/**
 * Mails this project sends itself (Staffbase has no resend-invitation endpoint). Delivery is
 * at-least-once: a crash after the SMTP server accepted a mail but before the activity completed
 * sends that mail again, which beats a reminder that never arrives.
 */
export function createNotificationActivities(deps: NotificationDependencies) {
  const { staffbase, notifier } = deps;
  return {
    /**
     * Reads the invitation code here (never from workflow history) and mails the reminder to the new
     * hire alone; the contact then gets a notice of it without the code (whoever holds the code can
     * claim the account). A retry after the notice failed sends the reminder again: at-least-once.
     */
    async sendInvitationReminder(
      reminder: ReminderRequest,
    ): Promise<'sent' | 'user-activated' | 'no-email' | 'user-gone'> {
      return withRetryDecisions(async () => {
        let user: StaffbaseUser;
        try {
          user = await staffbase.getUser(reminder.staffbaseUserId);
        } catch (error) {
          if (error instanceof StaffbaseNotFoundError) return 'user-gone';
          throw error;
        }
        if (user.status === 'activated') return 'user-activated';
        const email = user.emails?.find((entry) => entry.primary)?.value ?? user.emails?.[0]?.value;
        if (!email) return 'no-email';
        const expires = user.secret?.expires;
        await countingFailures('invitation-reminder', () =>
          notifier.sendInvitationReminder({
            to: email,
            firstName: user.firstName ?? '',
            lastName: user.lastName ?? '',
            appUrl: deps.appUrl,
            invitationCode: user.secret?.plain ?? undefined,
            invitationExpires:
              typeof expires === 'number' && expires > 0 ? new Date(expires).toISOString() : undefined,
            reminderNumber: reminder.reminderNumber,
            locale: user.config?.locale ?? undefined,
            externalID: reminder.externalID,
          }),
        );
        if (
          reminder.contactEmail &&
          reminder.contactEmail.trim().toLowerCase() !== email.trim().toLowerCase()
        ) {
          await notifier.sendReminderContactNotice({
            to: reminder.contactEmail,
            newHireName: `${user.firstName ?? ''} ${user.lastName ?? ''}`.trim() || reminder.externalID,
            externalID: reminder.externalID,
            reminderNumber: reminder.reminderNumber,
            locale: user.config?.locale ?? undefined,
          });
        }
        return 'sent';
      });
    },

    /**
     * Counts the run into the needs-attention metric and tells HR once (the workflow calls this once
     * per code). No HR contact configured: counted and logged by the worker, nothing mailed.
     */
    async notifyNeedsAttention(notice: NeedsAttentionNoticeRequest): Promise<'sent' | 'no-contact'> {
      countInActivity(lifecycleCounters.needsAttention, {
        lifecycle: notice.lifecycle,
        code: notice.reason.code,
      });
      const to = notice.contactEmail ?? deps.hrContactEmail;
      if (!to) return 'no-contact';
      return withRetryDecisions(async () => {
        await countingFailures('needs-attention', () =>
          notifier.sendNeedsAttentionNotice({
            to,
            lifecycle: notice.lifecycle,
            personName: notice.personName ?? notice.externalID,
            externalID: notice.externalID,
            reason: notice.reason,
          }),
        );
        return 'sent' as const;
      });
    },

    async notifyOnboardingExpired(notice: ExpiredNoticeRequest): Promise<'sent' | 'no-contact'> {
      const to = notice.request.contactEmail ?? deps.hrContactEmail;
      if (!to) return 'no-contact';
      return withRetryDecisions(async () => {
        await notifier.sendOnboardingExpiredNotice({
          to,
          newHireName: `${notice.request.firstName} ${notice.request.lastName}`,
          newHireEmail: notice.request.email,
          externalID: notice.request.externalID,
          remindersSent: notice.remindersSent,
          pendingAccountAction: notice.accountAction,
        });
        return 'sent' as const;
      });
    },
  };
}

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;

/** A delivery the notifier refused counts into the failures metric, then fails as before. */
async function countingFailures<T>(notification: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (error instanceof NotificationDeliveryError) {
      countInActivity(lifecycleCounters.notificationFailures, { notification, kind: error.kind });
    }
    throw error;
  }
}
