/**
 * Turns nodemailer's SMTP errors into {@link NotificationDeliveryError}s, once, here: SMTP reply codes
 * already say whether a retry can help (4xx transient, 5xx permanent, RFC 5321 §4.2.1).
 */
import { NotificationDeliveryError, type DeliveryFailureKind } from './errors';

/** The fields nodemailer puts on its errors (see nodemailer/lib/smtp-connection `_formatError`). */
interface SmtpErrorShape {
  message?: unknown;
  code?: unknown;
  responseCode?: unknown;
  command?: unknown;
}

/**
 * Failures without a reply code that retrying cannot fix: the server refused our credentials or
 * mechanism, the envelope/message itself is unacceptable. Everything else without a reply code
 * (connection refused, DNS, timeouts, TLS, dropped sockets) is treated as transient, as Temporal would.
 */
const PERMANENT_CODES = new Set(['EAUTH', 'EENVELOPE', 'EMESSAGE', 'ESTREAM', 'EREQUIRETLS']);

export function kindOfSmtpFailure(
  code: string | undefined,
  responseCode: number | undefined,
): DeliveryFailureKind {
  if (responseCode !== undefined && responseCode >= 400 && responseCode < 500) return 'transient';
  if (responseCode !== undefined && responseCode >= 500 && responseCode < 600) return 'permanent';
  return code !== undefined && PERMANENT_CODES.has(code) ? 'permanent' : 'transient';
}

/**
 * Removes every form in which a secret could travel in an SMTP dialogue: as is, and base64-encoded as
 * AUTH LOGIN and AUTH PLAIN send it. Servers should never echo these, but an error text is not ours to trust.
 */
export function redact(text: string, secrets: { user?: string; pass?: string } | undefined): string {
  const pass = secrets?.pass;
  if (!pass) return text;
  const forms = [pass, Buffer.from(pass).toString('base64')];
  if (secrets.user !== undefined) {
    forms.push(Buffer.from(`\u0000${secrets.user}\u0000${pass}`).toString('base64'));
  }
  return forms.reduce((result, form) => result.split(form).join('[redacted]'), text);
}

export function toDeliveryError(
  what: string,
  error: unknown,
  secrets: { user?: string; pass?: string } | undefined,
): NotificationDeliveryError {
  if (error instanceof NotificationDeliveryError) return error;
  const shape: SmtpErrorShape = typeof error === 'object' && error !== null ? error : { message: error };
  const code = typeof shape.code === 'string' ? shape.code : undefined;
  const responseCode = typeof shape.responseCode === 'number' ? shape.responseCode : undefined;
  const command = typeof shape.command === 'string' ? shape.command : undefined;
  const kind = kindOfSmtpFailure(code, responseCode);
  const reason = redact(typeof shape.message === 'string' ? shape.message : String(error), secrets);
  // The original error is deliberately not attached as `cause`: it may carry connection options.
  return new NotificationDeliveryError(`Could not deliver ${what} (${kind}): ${reason}`, kind, {
    ...(responseCode !== undefined && { responseCode }),
    ...(command !== undefined && { command }),
    ...(code !== undefined && { code }),
  });
}
