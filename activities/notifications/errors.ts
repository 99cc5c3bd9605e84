/** The one error type every notifier implementation throws when delivery fails. */

export type DeliveryFailureKind = 'transient' | 'permanent';

/**
 * Delivery failed. Classified once here, where the transport's errors are understood, so the activity
 * only maps `retryable` onto Temporal's retry decision. Never carries credentials.
 */
export class NotificationDeliveryError extends Error {
  override readonly name = 'NotificationDeliveryError';
  readonly retryable: boolean;

  constructor(
    message: string,
    readonly kind: DeliveryFailureKind,
    /** Transport details worth showing an operator (SMTP reply code, failing command, error code). */
    readonly details: { responseCode?: number; command?: string; code?: string } = {},
  ) {
    super(message);
    this.retryable = kind === 'transient';
  }
}
