/**
 * Delivers notifications over SMTP with nodemailer. One pooled transport per worker: reminders come in
 * bursts (a schedule firing for many new hires), and a pool avoids a TCP+TLS+AUTH handshake per mail.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { composeNotification, type ComposedMessage } from './messages';
import { NotificationDeliveryError } from './errors';
import { type NotificationByKind, type NotificationKind } from './notifier';
import { NotifierByKind } from './notifier-by-kind';
import { type SmtpConfig } from '../../config/smtp';
import { toDeliveryError } from './smtp-errors';

export interface SmtpNotifierOptions {
  /**
   * Timeouts keep a hung server from holding an activity until its own timeout fires; keep their sum
   * below the activity's startToCloseTimeout so the failure is classified here rather than timed out there.
   */
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  socketTimeoutMs?: number;
  maxConnections?: number;
}

/** One plain address, nothing a header parser could split into several recipients. */
const SINGLE_ADDRESS = /^[^\s@<>,;:"()[\]\\]+@[^\s@<>,;:"()[\]\\]+$/;

function recipient(address: string, field: string): string {
  const trimmed = address.trim();
  if (!SINGLE_ADDRESS.test(trimmed)) {
    throw new NotificationDeliveryError(
      `Invalid ${field} address ${JSON.stringify(address)}: expected one email address`,
      'permanent',
    );
  }
  return trimmed;
}

/** How a failed delivery names the mail. */
const mailName: Record<NotificationKind, string> = {
  'invitation-reminder': 'invitation reminder',
  'reminder-contact-notice': 'reminder contact notice',
  'onboarding-expired': 'onboarding expired notice',
  'needs-attention': 'needs-attention notice',
};

function sameAddress(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

export class SmtpNotifier extends NotifierByKind {
  private readonly transport: Transporter<SMTPPool.SentMessageInfo, SMTPPool.Options>;
  private readonly secrets: { user: string; pass: string } | undefined;

  constructor(
    private readonly config: SmtpConfig,
    options: SmtpNotifierOptions = {},
  ) {
    super();
    // A fresh plain object: the config hides `pass` from enumeration, which a copying transport would lose.
    this.secrets = config.auth ? { user: config.auth.user, pass: config.auth.pass } : undefined;
    this.transport = nodemailer.createTransport({
      pool: true,
      host: config.host,
      port: config.port,
      secure: config.secure,
      requireTLS: config.requireTLS,
      ...(this.secrets && { auth: this.secrets }),
      maxConnections: options.maxConnections ?? 2,
      connectionTimeout: options.connectionTimeoutMs ?? 10_000,
      greetingTimeout: options.greetingTimeoutMs ?? 10_000,
      socketTimeout: options.socketTimeoutMs ?? 30_000,
      // No transport logging at all: nodemailer's debug log would print the AUTH exchange.
      logger: false,
      debug: false,
      // Messages are built from HR data: never let a field make nodemailer read files or fetch URLs.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  }

  protected async send<Kind extends NotificationKind>(
    kind: Kind,
    message: NotificationByKind[Kind],
  ): Promise<{ messageId: string }> {
    const to = recipient(message.to, 'to');
    const sent: NotificationByKind[NotificationKind] = message;
    // The invitation reminder goes to the new hire alone, by name: it carries the invitation code (no cc, no bcc).
    const addressee =
      'firstName' in sent ? { name: `${sent.firstName} ${sent.lastName}`.trim(), address: to } : to;
    return this.deliver(mailName[kind], to, composeNotification(kind, message), {
      to: addressee,
      headers: { 'X-Lifecycle-External-ID': message.externalID },
    });
  }

  protected override release(): Promise<void> {
    this.transport.close();
    return Promise.resolve();
  }

  private async deliver(
    what: string,
    primary: string,
    content: ComposedMessage,
    addressing: Pick<Mail.Options, 'to'> & { headers: Record<string, string> },
  ): Promise<{ messageId: string }> {
    let info: SMTPPool.SentMessageInfo;
    try {
      info = await this.transport.sendMail({
        from: this.config.from,
        ...addressing,
        subject: content.subject,
        text: content.text,
        html: content.html,
        textEncoding: 'quoted-printable',
        headers: {
          ...addressing.headers,
          // Automated mail (RFC 3834): out-of-office and other auto-responders should stay silent.
          'Auto-Submitted': 'auto-generated',
          'X-Auto-Response-Suppress': 'All',
        },
      });
    } catch (error) {
      throw toDeliveryError(what, error, this.secrets);
    }
    // Every mail has one recipient: its rejection is a failed delivery.
    if (info.rejected.some((address) => sameAddress(address, primary))) {
      // nodemailer tags each per-recipient error with `recipient` (not in its type definitions).
      const rejection = info.rejectedErrors?.find((error) => {
        const rejected: unknown = (error as { recipient?: unknown }).recipient;
        return typeof rejected === 'string' && sameAddress(rejected, primary);
      });
      throw toDeliveryError(what, rejection ?? new Error(`recipient ${primary} was rejected`), this.secrets);
    }
    return { messageId: info.messageId };
  }
}
