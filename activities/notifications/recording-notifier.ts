/**
 * An in-memory {@link Notifier} that only records what it was asked to send. For demos without an SMTP
 * server and for tests of the activities and workflows. NOT for production: nothing is delivered and the
 * records (including invitation codes) live in process memory until the process ends.
 */
import { type NotificationDeliveryError } from './errors';
import { composeNotification, type ComposedMessage } from './messages';
import { type NotificationByKind, type NotificationKind } from './notifier';
import { NotifierByKind } from './notifier-by-kind';

/** One record a kind: what was asked (a copy) and the mail it would have been. */
export type RecordedNotification = {
  [Kind in NotificationKind]: {
    type: Kind;
    messageId: string;
    message: NotificationByKind[Kind];
    composed: ComposedMessage;
  };
}[NotificationKind];

export class RecordingNotifier extends NotifierByKind {
  readonly sent: RecordedNotification[] = [];
  private nextFailure: NotificationDeliveryError | undefined;

  /** Makes the next send throw this error (tests of retry decisions), then behave normally again. */
  failNextWith(error: NotificationDeliveryError): void {
    this.nextFailure = error;
  }

  get reminders() {
    return this.messagesOf('invitation-reminder');
  }

  get contactNotices() {
    return this.messagesOf('reminder-contact-notice');
  }

  get expiredNotices() {
    return this.messagesOf('onboarding-expired');
  }

  get needsAttentionNotices() {
    return this.messagesOf('needs-attention');
  }

  protected send<Kind extends NotificationKind>(
    kind: Kind,
    message: NotificationByKind[Kind],
  ): Promise<{ messageId: string }> {
    if (this.closed) return Promise.reject(new Error('RecordingNotifier is closed'));
    const failure = this.nextFailure;
    if (failure) {
      this.nextFailure = undefined;
      return Promise.reject(failure);
    }
    // TypeScript cannot tie `type` to `message` through the generic; the mapped type above does.
    const entry = {
      type: kind,
      messageId: `<recorded-${this.sent.length + 1}@recording-notifier.invalid>`,
      message: structuredClone(message),
      composed: composeNotification(kind, message),
    } as RecordedNotification;
    this.sent.push(entry);
    return Promise.resolve({ messageId: entry.messageId });
  }

  private messagesOf<Kind extends NotificationKind>(kind: Kind): NotificationByKind[Kind][] {
    return this.sent.flatMap((entry) =>
      entry.type === kind ? [entry.message as NotificationByKind[Kind]] : [],
    );
  }
}
