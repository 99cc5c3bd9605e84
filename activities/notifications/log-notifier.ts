/**
 * A {@link Notifier} that delivers nothing and only logs what it would have sent: the worker's choice
 * when no SMTP server is configured (`npm start` on a laptop, a first deployment). Logs travel further
 * than mail: the invitation code is NEVER logged (only whether the mail would have carried one), and
 * neither are the recipient's address or the new hire's name — the line names the recipient's role
 * and the run's externalID.
 */
import {
  type InvitationReminder,
  type Notifier,
  type NeedsAttentionNotice,
  type OnboardingExpiredNotice,
  type ReminderContactNotice,
} from './notifier';

/** The one logger method used; Temporal's `Logger` and `console` both fit. */
export interface NotificationLog {
  info(message: string, meta?: Record<string, unknown>): void;
}

export class LogNotifier implements Notifier {
  private sent = 0;
  private closed = false;

  constructor(private readonly log: NotificationLog) {}

  sendInvitationReminder(message: InvitationReminder): Promise<{ messageId: string }> {
    return this.record(
      `Invitation reminder ${message.reminderNumber} NOT delivered (no SMTP configured): it would go to the new hire`,
      {
        notification: 'invitation-reminder',
        externalID: message.externalID,
        recipient: 'new-hire',
        reminderNumber: message.reminderNumber,
        appUrl: message.appUrl,
        withInvitationCode: message.invitationCode !== undefined,
        invitationExpires: message.invitationExpires ?? null,
      },
    );
  }

  sendReminderContactNotice(message: ReminderContactNotice): Promise<{ messageId: string }> {
    return this.record(
      `Reminder notice to the contact NOT delivered (no SMTP configured): it would go to the onboarding's contact`,
      {
        notification: 'reminder-contact-notice',
        externalID: message.externalID,
        recipient: 'contact',
        reminderNumber: message.reminderNumber,
      },
    );
  }

  sendOnboardingExpiredNotice(message: OnboardingExpiredNotice): Promise<{ messageId: string }> {
    return this.record(
      `Onboarding-expired notice NOT delivered (no SMTP configured): it would go to the run's contact (or HR)`,
      {
        notification: 'onboarding-expired',
        externalID: message.externalID,
        recipient: 'contact',
        remindersSent: message.remindersSent,
        pendingAccountAction: message.pendingAccountAction,
      },
    );
  }

  sendNeedsAttentionNotice(message: NeedsAttentionNotice): Promise<{ messageId: string }> {
    return this.record(
      `Needs-attention notice NOT delivered (no SMTP configured): it would go to the run's contact (or HR)`,
      {
        notification: 'needs-attention',
        lifecycle: message.lifecycle,
        externalID: message.externalID,
        recipient: 'contact',
        code: message.reason.code,
        step: message.reason.step,
      },
    );
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  private record(text: string, meta: Record<string, unknown>): Promise<{ messageId: string }> {
    if (this.closed) return Promise.reject(new Error('LogNotifier is closed'));
    this.sent += 1;
    const messageId = `<logged-${process.pid}-${this.sent}@log-notifier.invalid>`;
    this.log.info(text, { ...meta, messageId });
    return Promise.resolve({ messageId });
  }
}
