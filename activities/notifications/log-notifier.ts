/**
 * A {@link Notifier} that delivers nothing and only logs what it would have sent: the worker's choice
 * when no SMTP server is configured (`npm start` on a laptop, a first deployment). Logs travel further
 * than mail: the invitation code is NEVER logged (only whether the mail would have carried one), and
 * neither are the recipient's address or the new hire's name — the line names the recipient's role
 * and the run's externalID.
 */
import { type NotificationByKind, type NotificationKind } from './notifier';
import { NotifierByKind } from './notifier-by-kind';

/** The one logger method used; Temporal's `Logger` and `console` both fit. */
export interface NotificationLog {
  info(message: string, meta?: Record<string, unknown>): void;
}

/** What the line says of each kind: identifiers and counts only, never a code, an address or a name. */
const loggedAs: {
  [Kind in NotificationKind]: (message: NotificationByKind[Kind]) => [string, Record<string, unknown>];
} = {
  'invitation-reminder': (message) => [
    `Invitation reminder ${message.reminderNumber} NOT delivered (no SMTP configured): it would go to the new hire`,
    {
      externalID: message.externalID,
      recipient: 'new-hire',
      reminderNumber: message.reminderNumber,
      appUrl: message.appUrl,
      withInvitationCode: message.invitationCode !== undefined,
      invitationExpires: message.invitationExpires ?? null,
    },
  ],
  'reminder-contact-notice': (message) => [
    `Reminder notice to the contact NOT delivered (no SMTP configured): it would go to the onboarding's contact`,
    { externalID: message.externalID, recipient: 'contact', reminderNumber: message.reminderNumber },
  ],
  'onboarding-expired': (message) => [
    `Onboarding-expired notice NOT delivered (no SMTP configured): it would go to the run's contact (or HR)`,
    {
      externalID: message.externalID,
      recipient: 'contact',
      remindersSent: message.remindersSent,
      pendingAccountAction: message.pendingAccountAction,
    },
  ],
  'needs-attention': (message) => [
    `Needs-attention notice NOT delivered (no SMTP configured): it would go to the run's contact (or HR)`,
    {
      lifecycle: message.lifecycle,
      externalID: message.externalID,
      recipient: 'contact',
      code: message.reason.code,
      step: message.reason.step,
    },
  ],
};

export class LogNotifier extends NotifierByKind {
  private sent = 0;

  constructor(private readonly log: NotificationLog) {
    super();
  }

  protected send<Kind extends NotificationKind>(
    kind: Kind,
    message: NotificationByKind[Kind],
  ): Promise<{ messageId: string }> {
    if (this.closed) return Promise.reject(new Error('LogNotifier is closed'));
    this.sent += 1;
    const messageId = `<logged-${process.pid}-${this.sent}@log-notifier.invalid>`;
    const [text, meta] = loggedAs[kind](message);
    this.log.info(text, { notification: kind, ...meta, messageId });
    return Promise.resolve({ messageId });
  }
}
