import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NotificationDeliveryError } from '../../../activities/notifications/errors';
import { type InvitationReminder } from '../../../activities/notifications/notifier';
import { smtpConfigFromEnv, type SmtpConfig } from '../../../config/smtp';
import { SmtpNotifier, type SmtpNotifierOptions } from '../../../activities/notifications/smtp-notifier';
import {
  closedPort,
  startSilentServer,
  startTestSmtpServer,
  type TestSmtpServer,
  type TestSmtpServerOptions,
} from '../../helpers/smtp-test-server';

const APP_URL = 'https://app.example.com/join';

function configFor(port: number, extra: NodeJS.ProcessEnv = {}): SmtpConfig {
  return smtpConfigFromEnv({
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(port),
    // The in-process test server offers no STARTTLS: the explicit opt-out.
    SMTP_REQUIRE_TLS: 'false',
    SMTP_FROM: 'HR Team <hr@example.com>',
    STAFFBASE_APP_URL: APP_URL,
    ...extra,
  });
}

function reminder(overrides: Partial<InvitationReminder> = {}): InvitationReminder {
  return {
    to: 'ada.lovelace@example.com',
    firstName: 'Ada',
    lastName: 'Lovelace',
    appUrl: APP_URL,
    invitationCode: 'K7QX-29PL',
    invitationExpires: '2031-05-20T09:00:00.000Z',
    reminderNumber: 2,
    externalID: 'EMP-1001',
    ...overrides,
  };
}

async function rejectsWith(
  promise: Promise<unknown>,
  expected: { kind: 'transient' | 'permanent'; responseCode?: number; code?: string },
): Promise<NotificationDeliveryError> {
  let caught: unknown;
  await assert.rejects(promise, (error: unknown) => {
    caught = error;
    return true;
  });
  assert.ok(
    caught instanceof NotificationDeliveryError,
    `expected NotificationDeliveryError, got ${String(caught)}`,
  );
  assert.equal(caught.kind, expected.kind);
  assert.equal(caught.retryable, expected.kind === 'transient');
  if (expected.responseCode !== undefined) assert.equal(caught.details.responseCode, expected.responseCode);
  if (expected.code !== undefined) assert.equal(caught.details.code, expected.code);
  return caught;
}

/** One real SMTP server and one notifier per suite, both closed afterwards (notifier first: it holds pooled connections). */
function withServer(serverOptions: TestSmtpServerOptions = {}, env: NodeJS.ProcessEnv = {}) {
  const context = {} as { server: TestSmtpServer; notifier: SmtpNotifier };
  before(async () => {
    context.server = await startTestSmtpServer(serverOptions);
    context.notifier = new SmtpNotifier(configFor(context.server.port, env));
  });
  after(async () => {
    await context.notifier?.close();
    await context.server?.close();
  });
  return context;
}

describe('SmtpNotifier against a real SMTP server', () => {
  const ctx = withServer();

  it('delivers a reminder with the right envelope, headers and body', async () => {
    const { messageId } = await ctx.notifier.sendInvitationReminder(reminder());
    const mail = ctx.server.received.at(-1);
    assert.ok(mail);
    assert.equal(mail.envelopeFrom, 'hr@example.com');
    // The code goes to the new hire alone: no copy to anyone.
    assert.deepEqual(mail.envelopeTo, ['ada.lovelace@example.com']);
    assert.equal(mail.headers.get('message-id'), messageId);
    assert.match(mail.headers.get('to') ?? '', /Ada Lovelace <ada\.lovelace@example\.com>/);
    assert.equal(mail.headers.get('cc'), undefined);
    assert.equal(mail.headers.get('from'), 'HR Team <hr@example.com>');
    assert.equal(mail.headers.get('auto-submitted'), 'auto-generated');
    assert.equal(mail.headers.get('x-lifecycle-external-id'), 'EMP-1001');
    assert.equal(mail.subject, 'Reminder: please activate your employee app account');
    for (const body of [mail.text, mail.html]) {
      assert.ok(body.includes(APP_URL), 'app link');
      assert.ok(body.includes('K7QX-29PL'), 'invitation code');
      assert.ok(body.includes('reminder no. 2'), 'reminder number');
      assert.ok(body.includes('20 May 2031'), 'expiry');
    }
    assert.ok(mail.html.includes(`<a href="${APP_URL}">`));
  });

  it('tells the contact of a reminder in a mail of its own, without the invitation code', async () => {
    await ctx.notifier.sendReminderContactNotice({
      to: 'manager@example.com',
      newHireName: 'Ada Lovelace',
      externalID: 'EMP-1001',
      reminderNumber: 2,
    });
    const mail = ctx.server.received.at(-1);
    assert.ok(mail);
    assert.deepEqual(mail.envelopeTo, ['manager@example.com']);
    assert.match(mail.subject, /Reminder sent: Ada Lovelace/);
    for (const body of [mail.text, mail.html]) {
      assert.ok(body.includes('EMP-1001'));
      assert.ok(body.includes('reminder no. 2'));
      assert.ok(!body.includes('K7QX-29PL'), 'never the invitation code');
    }
  });

  it('escapes HTML in names on the wire, and keeps the plain text literal', async () => {
    await ctx.notifier.sendInvitationReminder(reminder({ firstName: '<script>alert(1)</script>' }));
    const mail = ctx.server.received.at(-1);
    assert.ok(mail);
    assert.deepEqual(mail.envelopeTo, ['ada.lovelace@example.com']);
    assert.ok(!mail.html.includes('<script>'));
    assert.ok(mail.html.includes('Hello &lt;script&gt;alert(1)&lt;/script&gt;,'));
    assert.ok(mail.text.includes('Hello <script>alert(1)</script>,'));
  });

  it('writes German when the locale starts with de, umlauts intact', async () => {
    await ctx.notifier.sendInvitationReminder(reminder({ locale: 'de-DE', firstName: 'Jürgen' }));
    const mail = ctx.server.received.at(-1);
    assert.ok(mail);
    assert.equal(mail.subject, 'Erinnerung: Bitte aktivieren Sie Ihr Konto für die Mitarbeiter-App');
    assert.ok(mail.text.includes('Hallo Jürgen,'));
    assert.ok(mail.text.includes('Dies ist Erinnerung Nr. 2.'));
    assert.ok(mail.text.includes('Der Code ist gültig bis 20. Mai 2031'));
    assert.ok(mail.html.includes('<html lang="de">'));
  });

  it('without an invitation code points to the original invitation and HR', async () => {
    await ctx.notifier.sendInvitationReminder(
      reminder({ invitationCode: undefined, invitationExpires: undefined, reminderNumber: 1 }),
    );
    const mail = ctx.server.received.at(-1);
    assert.ok(mail);
    assert.ok(mail.text.includes('original invitation email'));
    assert.ok(mail.text.includes('ask your HR contact'));
    assert.ok(!mail.text.includes('enter this code'));
    assert.ok(mail.text.includes(APP_URL));
    assert.ok(mail.text.includes('reminder no. 1'));
  });

  it('sends the onboarding-expired notice to HR', async () => {
    const { messageId } = await ctx.notifier.sendOnboardingExpiredNotice({
      to: 'people@example.com',
      newHireName: 'Ada Lovelace',
      newHireEmail: 'ada.lovelace@example.com',
      externalID: 'EMP-1001',
      remindersSent: 3,
      pendingAccountAction: 'deleted',
    });
    const mail = ctx.server.received.at(-1);
    assert.ok(mail);
    assert.equal(mail.headers.get('message-id'), messageId);
    assert.deepEqual(mail.envelopeTo, ['people@example.com']);
    assert.equal(mail.subject, 'Onboarding expired: Ada Lovelace never activated their account');
    assert.ok(mail.text.includes('ada.lovelace@example.com'));
    assert.ok(mail.text.includes('EMP-1001'));
    assert.ok(mail.text.includes('3 reminders were sent'));
    assert.ok(mail.text.includes('has been deleted from Staffbase'));
  });

  it('refuses an address that would smuggle in more recipients, before sending anything', async () => {
    const before = ctx.server.received.length;
    await rejectsWith(
      ctx.notifier.sendInvitationReminder(reminder({ to: 'ada@example.com, attacker@evil.test' })),
      { kind: 'permanent' },
    );
    await rejectsWith(
      ctx.notifier.sendReminderContactNotice({
        to: 'Boss <boss@example.com>',
        newHireName: 'Ada Lovelace',
        externalID: 'EMP-1001',
        reminderNumber: 1,
      }),
      { kind: 'permanent' },
    );
    assert.equal(ctx.server.received.length, before);
  });
});

describe('SmtpNotifier with SMTP authentication', () => {
  const PASSWORD = 's3cret-Pa55word!';
  const ctx = withServer(
    { auth: { user: 'mailer', pass: PASSWORD } },
    { SMTP_USER: 'mailer', SMTP_PASSWORD: PASSWORD },
  );
  const wrongPassword = 'wr0ng-Pa55word!';
  let wrongNotifier: SmtpNotifier | undefined;
  after(async () => {
    await wrongNotifier?.close();
  });

  it('delivers with the right credentials', async () => {
    await ctx.notifier.sendInvitationReminder(reminder());
    assert.equal(ctx.server.received.length, 1);
    assert.deepEqual(ctx.server.authAttempts.at(-1), { user: 'mailer', accepted: true });
  });

  it('fails permanently with wrong credentials, and the error never shows the password', async () => {
    wrongNotifier = new SmtpNotifier(
      configFor(ctx.server.port, { SMTP_USER: 'mailer', SMTP_PASSWORD: wrongPassword }),
    );
    const error = await rejectsWith(wrongNotifier.sendInvitationReminder(reminder()), {
      kind: 'permanent',
      responseCode: 535,
      code: 'EAUTH',
    });
    const everything = `${error.message} ${error.stack ?? ''} ${JSON.stringify(error)}`;
    for (const secret of [wrongPassword, Buffer.from(wrongPassword).toString('base64')]) {
      assert.ok(!everything.includes(secret));
    }
    assert.equal(error.cause, undefined);
    assert.equal(ctx.server.received.length, 1);
  });
});

describe('SmtpNotifier classifies delivery failures', () => {
  const ctx = withServer({
    rejectRecipients: {
      'gone@example.com': { code: 550, message: 'Mailbox unavailable' },
      'full@example.com': { code: 452, message: 'Mailbox full, try later' },
      'old-manager@example.com': { code: 550, message: 'Mailbox unavailable' },
    },
  });

  it('RCPT rejected with 550 is permanent and not retryable', async () => {
    const error = await rejectsWith(
      ctx.notifier.sendInvitationReminder(reminder({ to: 'gone@example.com' })),
      {
        kind: 'permanent',
        responseCode: 550,
      },
    );
    assert.equal(error.details.command, 'RCPT TO');
    assert.match(error.message, /Mailbox unavailable/);
  });

  it('RCPT rejected with 452 is transient and retryable', async () => {
    await rejectsWith(ctx.notifier.sendInvitationReminder(reminder({ to: 'full@example.com' })), {
      kind: 'transient',
      responseCode: 452,
    });
  });

  it('a rejected contact notice fails as that notice, by its reply code', async () => {
    await rejectsWith(
      ctx.notifier.sendReminderContactNotice({
        to: 'old-manager@example.com',
        newHireName: 'Ada Lovelace',
        externalID: 'EMP-1001',
        reminderNumber: 1,
      }),
      { kind: 'permanent', responseCode: 550 },
    );
  });
});

describe('SmtpNotifier when the server is unreachable or busy', () => {
  const notifiers: SmtpNotifier[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  const notifierFor = (port: number, options?: SmtpNotifierOptions) => {
    const notifier = new SmtpNotifier(configFor(port), options);
    notifiers.push(notifier);
    return notifier;
  };
  after(async () => {
    for (const notifier of notifiers) await notifier.close();
    for (const cleanup of cleanups) await cleanup();
  });

  it('connection refused is transient and retryable', async () => {
    const notifier = notifierFor(await closedPort());
    await rejectsWith(notifier.sendInvitationReminder(reminder()), { kind: 'transient' });
  });

  it('a 421 greeting ("try again later") is transient', async () => {
    const server = await startTestSmtpServer({ refuseConnectionsWith: 421 });
    cleanups.push(() => server.close());
    await rejectsWith(notifierFor(server.port).sendInvitationReminder(reminder()), { kind: 'transient' });
    assert.equal(server.received.length, 0);
  });

  it('a server that never greets times out as transient', async () => {
    const silent = await startSilentServer();
    cleanups.push(() => silent.close());
    const notifier = notifierFor(silent.port, { greetingTimeoutMs: 200, connectionTimeoutMs: 500 });
    await rejectsWith(notifier.sendInvitationReminder(reminder()), { kind: 'transient', code: 'ETIMEDOUT' });
  });
});
