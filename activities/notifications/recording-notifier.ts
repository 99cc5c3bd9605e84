/**
 * An in-memory {@link Notifier} that only records what it was asked to send. For demos without an SMTP
 * server and for tests of the activities and workflows. NOT for production: nothing is delivered and the
 * records (including invitation codes) live in process memory until the process ends.
 */
import { type NotificationDeliveryError } from './errors';
import {
  composeInvitationReminder,
  composeNeedsAttentionNotice,
  composeOnboardingExpiredNotice,
  composeReminderContactNotice,
  type ComposedMessage,
} from './messages';
import {
  type InvitationReminder,
  type Notifier,
  type NeedsAttentionNotice,
  type OnboardingExpiredNotice,
  type ReminderContactNotice,
} from './notifier';

export type RecordedNotification =
  | { type: 'invitation-reminder'; messageId: string; message: InvitationReminder; composed: ComposedMessage }
  | {
      type: 'reminder-contact-notice';
      messageId: string;
      message: ReminderContactNotice;
      composed: ComposedMessage;
    }
  | {
      type: 'onboarding-expired';
      messageId: string;
      message: OnboardingExpiredNotice;
      composed: ComposedMessage;
    }
  | { type: 'needs-attention'; messageId: string; message: NeedsAttentionNotice; composed: ComposedMessage };

export class RecordingNotifier implements Notifier {
  readonly sent: RecordedNotification[] = [];
  private nextFailure: NotificationDeliveryError | undefined;
  private closed = false;

  /** Makes the next send throw this error (tests of retry decisions), then behave normally again. */
  failNextWith(error: NotificationDeliveryError): void {
    this.nextFailure = error;
  }

  get reminders(): InvitationReminder[] {
    return this.sent.flatMap((entry) => (entry.type === 'invitation-reminder' ? [entry.message] : []));
  }

  get contactNotices(): ReminderContactNotice[] {
    return this.sent.flatMap((entry) => (entry.type === 'reminder-contact-notice' ? [entry.message] : []));
  }

  get expiredNotices(): OnboardingExpiredNotice[] {
    return this.sent.flatMap((entry) => (entry.type === 'onboarding-expired' ? [entry.message] : []));
  }

  get needsAttentionNotices(): NeedsAttentionNotice[] {
    return this.sent.flatMap((entry) => (entry.type === 'needs-attention' ? [entry.message] : []));
  }

  sendNeedsAttentionNotice(message: NeedsAttentionNotice): Promise<{ messageId: string }> {
    return this.record(() => ({
      type: 'needs-attention',
      messageId: this.messageId(),
      message: structuredClone(message),
      composed: composeNeedsAttentionNotice(message),
    }));
  }

  sendInvitationReminder(message: InvitationReminder): Promise<{ messageId: string }> {
    return this.record(() => ({
      type: 'invitation-reminder',
      messageId: this.messageId(),
      message: structuredClone(message),
      composed: composeInvitationReminder(message),
    }));
  }

  sendReminderContactNotice(message: ReminderContactNotice): Promise<{ messageId: string }> {
    return this.record(() => ({
      type: 'reminder-contact-notice',
      messageId: this.messageId(),
      message: structuredClone(message),
      composed: composeReminderContactNotice(message),
    }));
  }

  sendOnboardingExpiredNotice(message: OnboardingExpiredNotice): Promise<{ messageId: string }> {
    return this.record(() => ({
      type: 'onboarding-expired',
      messageId: this.messageId(),
      message: structuredClone(message),
      composed: composeOnboardingExpiredNotice(message),
    }));
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  private record(build: () => RecordedNotification): Promise<{ messageId: string }> {
    if (this.closed) return Promise.reject(new Error('RecordingNotifier is closed'));
    const failure = this.nextFailure;
    if (failure) {
      this.nextFailure = undefined;
      return Promise.reject(failure);
    }
    const entry = build();
    this.sent.push(entry);
    return Promise.resolve({ messageId: entry.messageId });
  }

  private messageId(): string {
    return `<recorded-${this.sent.length + 1}@recording-notifier.invalid>`;
  }
}
