/**
 * The four `send…` methods of {@link Notifier} as one `send(kind, message)`: every notifier delivers
 * each kind the same way but for a table entry, so it says that once instead of in four methods.
 */
import {
  type InvitationReminder,
  type NeedsAttentionNotice,
  type NotificationByKind,
  type NotificationKind,
  type Notifier,
  type OnboardingExpiredNotice,
  type ReminderContactNotice,
} from './notifier';

export abstract class NotifierByKind implements Notifier {
  /** Set by the first `close()`; each notifier decides what a send after it does. */
  protected closed = false;

  sendInvitationReminder(message: InvitationReminder): Promise<{ messageId: string }> {
    return this.send('invitation-reminder', message);
  }

  sendReminderContactNotice(message: ReminderContactNotice): Promise<{ messageId: string }> {
    return this.send('reminder-contact-notice', message);
  }

  sendOnboardingExpiredNotice(message: OnboardingExpiredNotice): Promise<{ messageId: string }> {
    return this.send('onboarding-expired', message);
  }

  sendNeedsAttentionNotice(message: NeedsAttentionNotice): Promise<{ messageId: string }> {
    return this.send('needs-attention', message);
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return this.release();
  }

  /** Frees what the notifier holds (connections), once. */
  protected release(): Promise<void> {
    return Promise.resolve();
  }

  protected abstract send<Kind extends NotificationKind>(
    kind: Kind,
    message: NotificationByKind[Kind],
  ): Promise<{ messageId: string }>;
}
