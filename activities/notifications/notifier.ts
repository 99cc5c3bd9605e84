import type { AttentionReason } from '../../lifecycle/attention';
/**
 * The notifier contract the activities code against. Staffbase has no "resend invitation" endpoint, so
 * while an account is still `pending` this project sends the reminders itself; delivery hides behind
 * this interface so a webhook (Teams/Slack) notifier can be added without touching the activities.
 */

/** A reminder to a new hire whose Staffbase account is still `pending`. */
export interface InvitationReminder {
  /**
   * The new hire's email address (one address), and the only recipient: the mail carries the
   * invitation code, with which anyone could claim the account. The contact gets a
   * {@link ReminderContactNotice} instead, never a copy.
   */
  to: string;
  firstName: string;
  lastName: string;
  /** The employee app the new hire signs up in. */
  appUrl: string;
  /** `secret.plain` of the Staffbase user; absent when the API did not return it. */
  invitationCode?: string;
  /** `secret.expires` as ISO date-time; undefined means the code never expires (Staffbase: -1). */
  invitationExpires?: string;
  /** 1 for the first reminder, 2 for the second, … */
  reminderNumber: number;
  /** BCP 47 tag; German when it starts with `de`, English otherwise. */
  locale?: string;
  externalID: string;
}

/** Tells the manager / HR contact that a reminder went to the new hire — without the invitation code. */
export interface ReminderContactNotice {
  /** The contact of the onboarding request. */
  to: string;
  newHireName: string;
  externalID: string;
  reminderNumber: number;
  /** BCP 47 tag of the new hire; the notice is in the same language as the reminder. */
  locale?: string;
}

/** Tells HR that an onboarding ran out without the new hire ever activating the account. */
export interface OnboardingExpiredNotice {
  /** HR contact. */
  to: string;
  newHireName: string;
  newHireEmail: string;
  externalID: string;
  remindersSent: number;
  /** What the workflow did with the pending Staffbase account. */
  pendingAccountAction: 'left-pending' | 'deleted';
}

/** Tells HR that a run waits in `needs-attention` for a fix only a person can make. */
export interface NeedsAttentionNotice {
  /** HR contact. */
  to: string;
  lifecycle: 'onboarding' | 'offboarding' | 'leave';
  /** The person's name where the run knows it, else the external ID. */
  personName: string;
  externalID: string;
  reason: AttentionReason;
}

/** Each notification by its kind: the one table the notifiers, the composer and the records share. */
export interface NotificationByKind {
  'invitation-reminder': InvitationReminder;
  'reminder-contact-notice': ReminderContactNotice;
  'onboarding-expired': OnboardingExpiredNotice;
  'needs-attention': NeedsAttentionNotice;
}

export type NotificationKind = keyof NotificationByKind;

export interface Notifier {
  sendInvitationReminder(message: InvitationReminder): Promise<{ messageId: string }>;
  sendReminderContactNotice(message: ReminderContactNotice): Promise<{ messageId: string }>;
  sendOnboardingExpiredNotice(message: OnboardingExpiredNotice): Promise<{ messageId: string }>;
  sendNeedsAttentionNotice(message: NeedsAttentionNotice): Promise<{ messageId: string }>;
  /** Releases connections; the notifier is not used afterwards. */
  close(): Promise<void>;
}

// The error class lives in errors.ts (the activities import it from there); re-exported for one-stop imports.
export { NotificationDeliveryError, type DeliveryFailureKind } from './errors';
