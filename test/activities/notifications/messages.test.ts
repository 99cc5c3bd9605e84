import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  composeInvitationReminder,
  composeOnboardingExpiredNotice,
  escapeHtml,
  formatExpiry,
  languageOf,
} from '../../../activities/notifications/messages';
import {
  type InvitationReminder,
  type OnboardingExpiredNotice,
} from '../../../activities/notifications/notifier';

const base: InvitationReminder = {
  to: 'ada@example.com',
  firstName: 'Ada',
  lastName: 'Lovelace',
  appUrl: 'https://app.example.com/join?tenant=acme&lang=en',
  invitationCode: 'K7QX-29PL',
  invitationExpires: '2031-05-20T09:00:00.000Z',
  reminderNumber: 3,
  externalID: 'EMP-1001',
};

const notice: OnboardingExpiredNotice = {
  to: 'people@example.com',
  newHireName: 'Ada Lovelace',
  newHireEmail: 'ada@example.com',
  externalID: 'EMP-1001',
  remindersSent: 1,
  pendingAccountAction: 'left-pending',
};

describe('languageOf', () => {
  it('is German for any de locale and English otherwise', () => {
    for (const locale of ['de', 'de-DE', 'de-AT', 'DE-ch', ' de ']) assert.equal(languageOf(locale), 'de');
    for (const locale of [undefined, '', 'en', 'en-US', 'fr-FR', 'dk'])
      assert.equal(languageOf(locale), 'en');
  });
});

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    assert.equal(
      escapeHtml(`<a href="x" title='y'>&</a>`),
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});

describe('formatExpiry', () => {
  it('formats in UTC, in the message language, honouring a matching locale', () => {
    assert.equal(formatExpiry('2031-05-20T09:00:00.000Z', 'en'), '20 May 2031 at 09:00 UTC');
    assert.equal(formatExpiry('2031-05-20T23:30:00+02:00', 'de'), '20. Mai 2031 um 21:30 UTC');
    assert.match(formatExpiry('2031-05-20T09:00:00.000Z', 'en', 'en-US'), /^May 20, 2031/);
    // A locale of another language does not leak its date format into an English text.
    assert.equal(formatExpiry('2031-05-20T09:00:00.000Z', 'en', 'fr-FR'), '20 May 2031 at 09:00 UTC');
  });

  it('shows unparseable input as given, and survives invalid locale tags', () => {
    assert.equal(formatExpiry('sometime', 'en'), 'sometime');
    assert.equal(formatExpiry('2031-05-20T09:00:00.000Z', 'en', 'en_US!!'), '20 May 2031 at 09:00 UTC');
  });
});

describe('composeInvitationReminder', () => {
  it('in English carries the app link, the code, its expiry and the reminder number', () => {
    const message = composeInvitationReminder(base);
    assert.equal(message.subject, 'Reminder: please activate your employee app account');
    assert.ok(message.text.startsWith('Hello Ada,\n'));
    assert.ok(message.text.includes(`1. Open ${base.appUrl}\n`));
    assert.ok(message.text.includes('\n    K7QX-29PL\n'));
    assert.ok(message.text.includes('The code is valid until 20 May 2031 at 09:00 UTC.'));
    assert.ok(message.text.includes('This is reminder no. 3.'));
    assert.ok(message.html.includes('<a href="https://app.example.com/join?tenant=acme&amp;lang=en">'));
    assert.ok(message.html.includes('<strong>K7QX-29PL</strong>'));
  });

  it('says the code does not expire when no expiry is given (Staffbase -1)', () => {
    const message = composeInvitationReminder({ ...base, invitationExpires: undefined });
    assert.ok(message.text.includes('The code does not expire.'));
    assert.ok(!message.text.includes('valid until'));
  });

  it('without a code sends the reader to the original invitation or HR', () => {
    for (const invitationCode of [undefined, '']) {
      const message = composeInvitationReminder({ ...base, invitationCode });
      assert.ok(message.text.includes('Please use the link in your original invitation email'));
      assert.ok(message.text.includes('ask your HR contact to send you a new invitation'));
      assert.ok(message.text.includes(`The app is available at ${base.appUrl}`));
      assert.ok(!message.text.includes('enter this code'));
      assert.ok(!message.text.includes('valid until'));
    }
  });

  it('escapes every HR-supplied value in the HTML part only', () => {
    const message = composeInvitationReminder({
      ...base,
      firstName: '<script>alert("x")</script>',
      invitationCode: '<b>&',
    });
    assert.ok(!message.html.includes('<script>'));
    assert.ok(message.html.includes('Hello &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;,'));
    assert.ok(message.html.includes('<strong>&lt;b&gt;&amp;</strong>'));
    assert.ok(message.text.includes('Hello <script>alert("x")</script>,'));
  });

  it('never turns a non-http app URL into a link', () => {
    const message = composeInvitationReminder({ ...base, appUrl: 'javascript:alert(1)' });
    assert.ok(!message.html.includes('href="javascript:'));
    assert.ok(message.html.includes('javascript:alert(1)'));
  });

  it('in German for a de locale', () => {
    const message = composeInvitationReminder({ ...base, locale: 'de-DE', firstName: 'Jürgen' });
    assert.equal(message.subject, 'Erinnerung: Bitte aktivieren Sie Ihr Konto für die Mitarbeiter-App');
    assert.ok(message.text.startsWith('Hallo Jürgen,\n'));
    assert.ok(message.text.includes(`1. Öffnen Sie ${base.appUrl}`));
    assert.ok(message.text.includes('Der Code ist gültig bis 20. Mai 2031 um 09:00 UTC.'));
    assert.ok(message.text.includes('Dies ist Erinnerung Nr. 3.'));
    assert.ok(message.html.includes('<html lang="de">'));
    const withoutCode = composeInvitationReminder({ ...base, locale: 'de', invitationCode: undefined });
    assert.ok(withoutCode.text.includes('ursprünglichen Einladungs-E-Mail'));
    assert.ok(withoutCode.text.includes('HR-Ansprechperson'));
  });
});

describe('composeOnboardingExpiredNotice', () => {
  it('tells HR who, how many reminders, and that the account is still pending', () => {
    const message = composeOnboardingExpiredNotice(notice);
    assert.equal(message.subject, 'Onboarding expired: Ada Lovelace never activated their account');
    assert.ok(message.text.includes('Ada Lovelace (ada@example.com, external ID EMP-1001)'));
    assert.ok(message.text.includes('although 1 reminder was sent.'));
    assert.ok(message.text.includes('still pending in Staffbase'));
  });

  it('says so when the pending account was deleted', () => {
    const message = composeOnboardingExpiredNotice({
      ...notice,
      pendingAccountAction: 'deleted',
      remindersSent: 0,
    });
    assert.ok(message.text.includes('0 reminders were sent'));
    assert.ok(message.text.includes('has been deleted from Staffbase'));
    assert.ok(!message.text.includes('still pending'));
  });

  it('keeps the subject on one line and escapes the name in HTML', () => {
    const message = composeOnboardingExpiredNotice({ ...notice, newHireName: 'Eve\r\nBcc: x@evil.test <i>' });
    assert.equal(
      message.subject,
      'Onboarding expired: Eve Bcc: x@evil.test <i> never activated their account',
    );
    assert.ok(message.html.includes('Eve\r\nBcc: x@evil.test &lt;i&gt;'));
    assert.ok(!message.html.includes('<i>'));
  });
});
