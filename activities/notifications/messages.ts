/**
 * Pure composition of the notification texts (subject, plain text, HTML). No I/O, so every wording and
 * the HTML escaping can be unit-tested; the transports only deliver what these functions return.
 */
import {
  type InvitationReminder,
  type NeedsAttentionNotice,
  type NotificationByKind,
  type NotificationKind,
  type OnboardingExpiredNotice,
  type ReminderContactNotice,
} from './notifier';

export interface ComposedMessage {
  subject: string;
  text: string;
  html: string;
}

export type Language = 'en' | 'de';

/** German for any `de*` locale, English otherwise (the project's two supported languages). */
export function languageOf(locale: string | undefined): Language {
  return locale?.trim().toLowerCase().startsWith('de') ? 'de' : 'en';
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** Subjects are one header line: names coming from HR data must not smuggle in line breaks. */
function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/**
 * Formats the code's expiry in UTC (the new hire's time zone is unknown). Uses the caller's locale when it
 * matches the message language, so an `en-US` reader gets US dates; unparseable input is shown as given.
 */
export function formatExpiry(iso: string, language: Language, locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const fallback = language === 'de' ? 'de-DE' : 'en-GB';
  let tag = fallback;
  try {
    const primary = locale?.trim().toLowerCase().split(/[-_]/)[0];
    if (locale && primary === language && Intl.DateTimeFormat.supportedLocalesOf(locale).length > 0) {
      tag = locale;
    }
  } catch {
    // not a valid BCP 47 tag: keep the fallback
  }
  const formatted = new Intl.DateTimeFormat(tag, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(date);
  return `${formatted} UTC`;
}

/** Links only for http(s): anything else is shown as text, never as a clickable `javascript:` href. */
function linkHtml(url: string): string {
  const escaped = escapeHtml(url);
  return /^https?:\/\//i.test(url) ? `<a href="${escaped}">${escaped}</a>` : escaped;
}

function htmlDocument(language: Language, blocks: string[]): string {
  const body = blocks.join('\n');
  return `<!doctype html>
<html lang="${language}">
<head><meta charset="utf-8"></head>
<body style="font-family: Arial, Helvetica, sans-serif; font-size: 15px; line-height: 1.5; color: #222;">
${body}
</body>
</html>
`;
}

/** One block in both renderings: `text` for the plain part, `html` as finished (escaped) markup. */
interface Block {
  text: string;
  html: string;
}

/** The common case: a plain paragraph, escaped once here. */
function paragraph(text: string): Block {
  return { text, html: `<p>${escapeHtml(text)}</p>` };
}

function render(language: Language, subject: string, blocks: Block[]): ComposedMessage {
  return {
    subject: oneLine(subject),
    text: `${blocks.map((block) => block.text).join('\n\n')}\n`,
    html: htmlDocument(
      language,
      blocks.map((block) => block.html),
    ),
  };
}

const reminderWording = {
  en: {
    subject: 'Reminder: please activate your employee app account',
    greeting: (firstName: string) => `Hello ${firstName},`,
    intro: 'Your account for our employee app is ready, but it has not been activated yet.',
    withCode: {
      steps: 'To activate it:',
      open: 'Open',
      enter: 'Choose to sign up with an invitation code and enter this code:',
      validUntil: (date: string) => `The code is valid until ${date}.`,
      neverExpires: 'The code does not expire.',
    },
    withoutCode:
      'Please use the link in your original invitation email to activate your account. If you cannot find ' +
      'that email, ask your HR contact to send you a new invitation.',
    appLink: 'The app is available at',
    closing: (n: number) =>
      `This is reminder no. ${n}. If you have already activated your account, please ignore this email.`,
  },
  de: {
    subject: 'Erinnerung: Bitte aktivieren Sie Ihr Konto für die Mitarbeiter-App',
    greeting: (firstName: string) => `Hallo ${firstName},`,
    intro: 'Ihr Konto für unsere Mitarbeiter-App ist eingerichtet, wurde aber noch nicht aktiviert.',
    withCode: {
      steps: 'So aktivieren Sie es:',
      open: 'Öffnen Sie',
      enter: 'Wählen Sie die Registrierung mit Einladungscode und geben Sie diesen Code ein:',
      validUntil: (date: string) => `Der Code ist gültig bis ${date}.`,
      neverExpires: 'Der Code läuft nicht ab.',
    },
    withoutCode:
      'Bitte verwenden Sie den Link aus Ihrer ursprünglichen Einladungs-E-Mail, um Ihr Konto zu aktivieren. ' +
      'Falls Sie diese E-Mail nicht finden, bitten Sie Ihre HR-Ansprechperson um eine neue Einladung.',
    appLink: 'Die App finden Sie unter',
    closing: (n: number) =>
      `Dies ist Erinnerung Nr. ${n}. Falls Sie Ihr Konto bereits aktiviert haben, ignorieren Sie diese E-Mail bitte.`,
  },
} as const;

export function composeInvitationReminder(message: InvitationReminder): ComposedMessage {
  const language = languageOf(message.locale);
  const words = reminderWording[language];
  const { appUrl, invitationCode } = message;
  const blocks: Block[] = [paragraph(words.greeting(message.firstName)), paragraph(words.intro)];
  if (invitationCode) {
    const expiry =
      message.invitationExpires === undefined
        ? words.withCode.neverExpires
        : words.withCode.validUntil(formatExpiry(message.invitationExpires, language, message.locale));
    blocks.push(
      {
        text: `${words.withCode.steps}\n1. ${words.withCode.open} ${appUrl}\n2. ${words.withCode.enter}`,
        html:
          `<p>${escapeHtml(words.withCode.steps)}</p>\n<ol>\n` +
          `<li>${escapeHtml(words.withCode.open)} ${linkHtml(appUrl)}</li>\n` +
          `<li>${escapeHtml(words.withCode.enter)}</li>\n</ol>`,
      },
      {
        text: `    ${invitationCode}`,
        html: `<p style="font-family: monospace; font-size: 20px; letter-spacing: 2px;"><strong>${escapeHtml(invitationCode)}</strong></p>`,
      },
      paragraph(expiry),
    );
  } else {
    blocks.push(paragraph(words.withoutCode), {
      text: `${words.appLink} ${appUrl}`,
      html: `<p>${escapeHtml(words.appLink)} ${linkHtml(appUrl)}</p>`,
    });
  }
  blocks.push(paragraph(words.closing(message.reminderNumber)));
  return render(language, words.subject, blocks);
}

const contactNoticeWording = {
  en: {
    subject: (name: string) => `Reminder sent: ${name} has not activated the employee app account yet`,
    body: (name: string, n: number) =>
      `${name} (external ID {id}) has not activated their employee app account yet, so reminder no. ${n} ` +
      'was sent to them today.',
    why:
      'The reminder carries a personal invitation code and went to them only. If they cannot find it, ' +
      'ask them to check their inbox and spam folder.',
  },
  de: {
    subject: (name: string) =>
      `Erinnerung versandt: ${name} hat das Konto der Mitarbeiter-App noch nicht aktiviert`,
    body: (name: string, n: number) =>
      `${name} (externe ID {id}) hat das Konto der Mitarbeiter-App noch nicht aktiviert; heute wurde ` +
      `Erinnerung Nr. ${n} an sie/ihn versandt.`,
    why:
      'Die Erinnerung enthält einen persönlichen Einladungscode und ging nur an sie/ihn. Falls sie nicht ' +
      'auffindbar ist, bitten Sie darum, Posteingang und Spam-Ordner zu prüfen.',
  },
} as const;

/**
 * The contact's copy of a reminder, without the invitation code: the code lets whoever holds it claim
 * the account, so it goes to the new hire alone.
 */
export function composeReminderContactNotice(notice: ReminderContactNotice): ComposedMessage {
  const language = languageOf(notice.locale);
  const words = contactNoticeWording[language];
  return render(language, words.subject(notice.newHireName), [
    paragraph(words.body(notice.newHireName, notice.reminderNumber).replace('{id}', notice.externalID)),
    paragraph(words.why),
  ]);
}

/** HR-facing and therefore English only: the notice has no recipient locale. */
export function composeOnboardingExpiredNotice(notice: OnboardingExpiredNotice): ComposedMessage {
  const reminders =
    notice.remindersSent === 1 ? '1 reminder was sent' : `${notice.remindersSent} reminders were sent`;
  const summary =
    `The onboarding of ${notice.newHireName} (${notice.newHireEmail}, external ID ${notice.externalID}) ` +
    `has expired: the employee app account was never activated, although ${reminders}.`;
  const action =
    notice.pendingAccountAction === 'deleted'
      ? `The pending account has been deleted from Staffbase. If ${notice.newHireName} is still joining, ` +
        'check the email address and start a new onboarding.'
      : 'The account is still pending in Staffbase. Check the email address, then send a new invitation ' +
        'from Staffbase Studio or delete the account.';
  return render('en', `Onboarding expired: ${notice.newHireName} never activated their account`, [
    paragraph(summary),
    paragraph(action),
  ]);
}

/** What HR can do about each refusal, in the words of the console and the CLI. */
const attentionAdvice: Record<
  NeedsAttentionNotice['reason']['code'],
  (notice: NeedsAttentionNotice) => string
> = {
  conflict: (notice) =>
    `Another Staffbase account already uses this ${notice.reason.field ?? 'userName or email'}. Correct it ` +
    `with \`staffbase-lifecycle correct ${notice.externalID} …\` (or in the HR console); the run retries at once.`,
  validation: (notice) =>
    `Staffbase refused ${notice.reason.field ? `the field ${notice.reason.field}` : 'a field of the request'}. ` +
    `Correct it with \`staffbase-lifecycle correct ${notice.externalID} …\` (or in the HR console).`,
  'not-found': (notice) =>
    `Something the request names does not exist in Staffbase (e.g. a group). Correct the request with ` +
    `\`staffbase-lifecycle correct ${notice.externalID} …\`, or create it in Studio and retry.`,
  auth: () =>
    'Staffbase refused the API token (rotated or not Administrative). Replace STAFFBASE_API_TOKEN, ' +
    'then resume every waiting run with `staffbase-lifecycle retry --all --code auth`.',
  'not-permitted': (notice) =>
    'Staffbase answered the deletion with 404 but the account still exists: the API token may not delete ' +
    `it. Nothing was deleted. Check the token's rights in Studio, then \`staffbase-lifecycle retry ${notice.externalID}\`.`,
};

/** HR-facing and therefore English only. */
export function composeNeedsAttentionNotice(notice: NeedsAttentionNotice): ComposedMessage {
  const summary =
    `The ${notice.lifecycle} of ${notice.personName} (external ID ${notice.externalID}) waits for a fix: ` +
    `Staffbase refused the step "${notice.reason.step}" (${notice.reason.code}). Staffbase said: ` +
    `${notice.reason.message}`;
  return render('en', `Needs attention: the ${notice.lifecycle} of ${notice.personName}`, [
    paragraph(summary),
    paragraph(attentionAdvice[notice.reason.code](notice)),
    paragraph('Nothing is lost meanwhile: the run waits where it stopped and goes on after the fix.'),
  ]);
}

const composers: { [Kind in NotificationKind]: (message: NotificationByKind[Kind]) => ComposedMessage } = {
  'invitation-reminder': composeInvitationReminder,
  'reminder-contact-notice': composeReminderContactNotice,
  'onboarding-expired': composeOnboardingExpiredNotice,
  'needs-attention': composeNeedsAttentionNotice,
};

/** The mail for a notification of any kind. */
export function composeNotification<Kind extends NotificationKind>(
  kind: Kind,
  message: NotificationByKind[Kind],
): ComposedMessage {
  return composers[kind](message);
}
