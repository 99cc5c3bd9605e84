import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { RecordingNotifier } from '../../activities/notifications/recording-notifier';
import { smtpConfigFromEnv } from '../../config/smtp';
import { SmtpNotifier } from '../../activities/notifications/smtp-notifier';
import { startOnboarding } from '../../client/lifecycle-runs';
import {
  cancelOnboardingSignal,
  changeStartDateSignal,
  onboardingActivatedSignal,
  onboardingStatusQuery,
  type OnboardingOutcome,
  type OnboardingStatus,
} from '../../workflows/onboarding-messages';
import {
  type LifecycleTestStack,
  startLifecycleTestStack,
  useLifecycleTestStack,
  testAppUrl,
  testHrContact,
} from '../helpers/lifecycle-stack';
import { type TestSmtpServer, startTestSmtpServer } from '../helpers/smtp-test-server';
import { newHire, onboardingPolicy } from '../helpers/people';
import { waitFor } from '../helpers/waiting';

const isoDate = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 10);

describe('onboarding workflow (time-skipping server, real activities against the simulator)', () => {
  let stack: LifecycleTestStack;
  const notifier = new RecordingNotifier();
  useLifecycleTestStack(
    { server: 'time-skipping', notifier, longLivedWorkers: true, resetSimulatorBeforeEach: true },
    (started) => (stack = started),
  );
  beforeEach(() => {
    notifier.sent.length = 0;
  });
  const start = async (
    ...args: Parameters<typeof startOnboarding> extends [unknown, ...infer Rest] ? Rest : never
  ) => stack.track(await startOnboarding(stack.env.client, ...args));

  const handleOf = (workflowId: string) => stack.env.client.workflow.getHandle(workflowId);
  const statusOf = (workflowId: string) => handleOf(workflowId).query(onboardingStatusQuery);
  const awaitStage = (workflowId: string, stage: OnboardingStatus['stage'], timeoutMs = 15_000) =>
    waitFor(
      () => statusOf(workflowId),
      (status) => status.stage === stage,
      { what: `stage ${stage}`, timeoutMs },
    );
  const userCreations = async () =>
    (await stack.control.log()).filter((call) => call.routeKey === 'POST /users' && call.status === 201);

  it('creates the user once, with the invitation, and completes on the activated signal', async () => {
    const hire = newHire();
    await stack.runWorkers(async () => {
      const run = await start(hire, onboardingPolicy());
      assert.equal(run.status, 'started');
      await awaitStage(run.workflowId, 'awaiting-activation');

      const user = await stack.control.user(hire.externalID);
      assert.equal(user?.status, 'pending');
      const invitations = (await stack.control.outbox()).filter((mail) => mail.kind === 'invitation');
      assert.deepEqual(
        invitations.map((mail) => mail.to),
        [hire.email],
      );

      await handleOf(run.workflowId).signal(onboardingActivatedSignal, { source: 'hr-system' });
      const outcome = (await handleOf(run.workflowId).result()) as OnboardingOutcome;
      assert.equal(outcome.result, 'activated');
      assert.equal(outcome.activatedVia, 'signal');
      assert.equal(outcome.staffbaseUserId, user?.id);
      assert.equal(outcome.remindersSent, 0);
    });
    assert.equal((await userCreations()).length, 1);
  });

  it('notices an activation by its status checks, after the second reminder', async () => {
    const hire = newHire({ contactEmail: 'manager@example.test' });
    const outcome = await stack.runWorkers(async () => {
      const run = await start(hire, onboardingPolicy());
      await awaitStage(run.workflowId, 'awaiting-activation');
      await stack.env.sleep('170 hours'); // past the reminders of day 3 and day 7
      assert.equal((await statusOf(run.workflowId)).remindersSent, 2);
      await stack.control.activate(hire.externalID);
      return (await handleOf(run.workflowId).result()) as OnboardingOutcome;
    });
    assert.equal(outcome.result, 'activated');
    assert.equal(outcome.activatedVia, 'status-check');
    assert.equal(outcome.remindersSent, 2);
    assert.deepEqual(
      notifier.reminders.map((reminder) => [reminder.reminderNumber, reminder.to]),
      [
        [1, hire.email],
        [2, hire.email],
      ],
    );
    // The contact is told of each reminder in a notice of its own, never copied on the code.
    assert.deepEqual(
      notifier.contactNotices.map((notice) => [notice.reminderNumber, notice.to]),
      [
        [1, 'manager@example.test'],
        [2, 'manager@example.test'],
      ],
    );
    // The code comes from Staffbase's user object, read inside the activity.
    const invitation = (await stack.control.outbox()).find((mail) => mail.kind === 'invitation');
    assert.ok(invitation?.code);
    assert.equal(notifier.reminders[0]?.invitationCode, invitation.code);
  });

  it('expires a never-activated account after the last reminder, deletes it by policy and tells HR', async () => {
    const hire = newHire();
    const outcome = await stack.runWorkers(async () => {
      const run = await start(hire, onboardingPolicy({ expiredAction: 'delete-pending' }));
      return (await handleOf(run.workflowId).result()) as OnboardingOutcome;
    });
    assert.equal(outcome.result, 'expired');
    assert.equal(outcome.accountAction, 'deleted');
    assert.equal(outcome.remindersSent, 3);
    assert.equal(await stack.control.user(hire.externalID), undefined);
    assert.deepEqual(
      notifier.expiredNotices.map((notice) => [notice.to, notice.externalID, notice.pendingAccountAction]),
      [[testHrContact, hire.externalID, 'deleted']],
    );
  });

  it('leaves the pending account in place on expiry when the policy says so', async () => {
    const hire = newHire({ reminderPolicy: { remindAfterDays: [1], expireAfterDays: 2 } });
    const outcome = await stack.runWorkers(async () => {
      const run = await start(hire, onboardingPolicy({ expiredAction: 'leave-pending' }));
      return (await handleOf(run.workflowId).result()) as OnboardingOutcome;
    });
    assert.equal(outcome.result, 'expired');
    assert.equal(outcome.accountAction, 'left-pending');
    assert.equal(outcome.remindersSent, 1);
    assert.equal((await stack.control.user(hire.externalID))?.status, 'pending');
  });

  it('does nothing before a future start date, then invites on the lead day', async () => {
    const now = await stack.env.currentTimeMs();
    const hire = newHire({ startDate: isoDate(now + 40 * 86_400_000) });
    await stack.runWorkers(async () => {
      const run = await start(hire, onboardingPolicy({ inviteLeadTimeDays: 7 }));
      const scheduled = await awaitStage(run.workflowId, 'scheduled');
      assert.equal(scheduled.nextAction?.kind, 'send-invitation');
      assert.equal(scheduled.nextAction?.at, `${isoDate(now + 33 * 86_400_000)}T09:00:00.000Z`);

      await stack.env.sleep('30 days');
      assert.equal((await statusOf(run.workflowId)).stage, 'scheduled');
      assert.equal(await stack.control.user(hire.externalID), undefined);
      assert.equal((await stack.control.log()).length, 0, 'no Staffbase call before the invitation day');

      await stack.env.sleep('4 days');
      await awaitStage(run.workflowId, 'awaiting-activation');
      assert.equal((await stack.control.user(hire.externalID))?.status, 'pending');
      await handleOf(run.workflowId).signal(cancelOnboardingSignal, { reason: 'test done' });
      await handleOf(run.workflowId).result();
    });
  });

  it('invites at the local invite time when summer time starts within the lead time (Europe/Berlin)', async () => {
    // Clocks go forward on the last Sunday of March: 09:00 the day before is still CET (UTC+1), the
    // start day (two days after) is CEST. The next such Sunday after the test server's clock:
    const now = await stack.env.currentTimeMs();
    let year = new Date(now).getUTCFullYear();
    const summerTimeStart = (y: number) => {
      const lastOfMarch = new Date(Date.UTC(y, 2, 31));
      return Date.UTC(y, 2, 31 - lastOfMarch.getUTCDay());
    };
    while (summerTimeStart(year) < now + 10 * 86_400_000) year += 1;
    const sunday = summerTimeStart(year);
    const hire = newHire({ startDate: isoDate(sunday + 2 * 86_400_000) });
    await stack.runWorkers(async () => {
      const run = await start(
        hire,
        onboardingPolicy({ inviteLeadTimeDays: 3, inviteTimeOfDay: '09:00', timeZone: 'Europe/Berlin' }),
      );
      const scheduled = await awaitStage(run.workflowId, 'scheduled');
      assert.equal(scheduled.nextAction?.at, `${isoDate(sunday - 86_400_000)}T08:00:00.000Z`);
      await handleOf(run.workflowId).signal(cancelOnboardingSignal, { reason: 'test done' });
      await handleOf(run.workflowId).result();
    });
  });

  it('follows a start date change while the invitation is still scheduled', async () => {
    const now = await stack.env.currentTimeMs();
    const hire = newHire({ startDate: isoDate(now + 60 * 86_400_000) });
    await stack.runWorkers(async () => {
      const run = await start(hire, onboardingPolicy());
      await awaitStage(run.workflowId, 'scheduled');
      // A raw signal with a bad date (no edge validated it) is ignored, and the run stays healthy.
      await handleOf(run.workflowId).signal(changeStartDateSignal, { startDate: 'next week' });
      const unchanged = await statusOf(run.workflowId);
      assert.equal(unchanged.startDate, hire.startDate);
      assert.equal(unchanged.stage, 'scheduled');
      const earlier = isoDate(now + 10 * 86_400_000);
      await handleOf(run.workflowId).signal(changeStartDateSignal, { startDate: earlier });
      const rescheduled = await waitFor(
        () => statusOf(run.workflowId),
        (status) => status.startDate === earlier,
      );
      assert.equal(rescheduled.nextAction?.at, `${earlier}T09:00:00.000Z`);
      await stack.env.sleep('11 days');
      await awaitStage(run.workflowId, 'awaiting-activation');
      await handleOf(run.workflowId).signal(onboardingActivatedSignal, {});
      assert.equal(((await handleOf(run.workflowId).result()) as OnboardingOutcome).result, 'activated');
    });
  });

  it('runs at once when the start date is already past (catch-up, never "missed")', async () => {
    const hire = newHire({ startDate: isoDate((await stack.env.currentTimeMs()) - 3 * 86_400_000) });
    await stack.runWorkers(async () => {
      const run = await start(hire, onboardingPolicy({ inviteLeadTimeDays: 7 }));
      await awaitStage(run.workflowId, 'awaiting-activation');
      assert.equal((await stack.control.user(hire.externalID))?.status, 'pending');
      await handleOf(run.workflowId).signal(onboardingActivatedSignal, {});
      await handleOf(run.workflowId).result();
    });
  });

  it('returns the open run for a second trigger: one run, one user', async () => {
    const hire = newHire();
    await stack.runWorkers(async () => {
      const first = await start(hire, onboardingPolicy());
      const second = await start(hire, onboardingPolicy());
      assert.equal(second.status, 'already-running');
      assert.equal(second.runId, first.runId);
      await awaitStage(first.workflowId, 'awaiting-activation');
      await handleOf(first.workflowId).signal(onboardingActivatedSignal, {});
      await handleOf(first.workflowId).result();
      const third = await start(hire, onboardingPolicy());
      assert.equal(third.status, 'already-completed', 'a finished onboarding is not repeated unless asked');
    });
    assert.equal((await userCreations()).length, 1);
    assert.equal((await stack.control.users()).length, 1);
  });

  it('adopts an account that already exists instead of creating one', async () => {
    const hire = newHire();
    const seeded = await stack.control.seedUser({
      externalID: hire.externalID,
      userName: hire.userName,
      emails: [{ value: hire.email, primary: true }],
      status: 'activated',
    });
    const outcome = await stack.runWorkers(async () => {
      const run = await start(hire, onboardingPolicy());
      return (await handleOf(run.workflowId).result()) as OnboardingOutcome;
    });
    assert.equal(outcome.result, 'activated');
    assert.equal(outcome.activatedVia, 'already-activated');
    assert.equal(outcome.staffbaseUserId, seeded.id);
    assert.equal((await userCreations()).length, 0);
  });

  it('reactivates a deactivated account (rehire), or stops when the policy says so', async () => {
    const rehire = newHire();
    const formerly = { status: 'deactivated', activated: '2024-01-15T08:00:00.000Z' } as const; // a former employee
    await stack.control.seedUser({ externalID: rehire.externalID, userName: rehire.userName, ...formerly });
    const refused = newHire();
    await stack.control.seedUser({ externalID: refused.externalID, userName: refused.userName, ...formerly });
    const [rehired, stopped] = await stack.runWorkers(async () => {
      const a = await start(rehire, onboardingPolicy({ rehirePolicy: 'reactivate' }));
      const b = await start(refused, onboardingPolicy({ rehirePolicy: 'stop' }));
      // One result() at a time: each unlocks and re-locks the time-skipping server's clock.
      const first = (await handleOf(a.workflowId).result()) as OnboardingOutcome;
      const second = (await handleOf(b.workflowId).result()) as OnboardingOutcome;
      return [first, second];
    });
    assert.equal(rehired?.result, 'activated');
    assert.equal(rehired?.activatedVia, 'reactivated');
    assert.equal((await stack.control.user(rehire.externalID))?.status, 'activated');
    assert.equal(stopped?.result, 'rehire-refused');
    assert.equal((await stack.control.user(refused.externalID))?.status, 'deactivated');
  });

  it('withdraws the offer mid-wait: stops and deletes the pending account by policy', async () => {
    const hire = newHire();
    const outcome = await stack.runWorkers(async () => {
      const run = await start(hire, onboardingPolicy({ cancelAction: 'delete-pending' }));
      await awaitStage(run.workflowId, 'awaiting-activation');
      await stack.env.sleep('4 days');
      await handleOf(run.workflowId).signal(cancelOnboardingSignal, { reason: 'offer withdrawn' });
      return (await handleOf(run.workflowId).result()) as OnboardingOutcome;
    });
    assert.equal(outcome.result, 'cancelled');
    assert.equal(outcome.accountAction, 'deleted');
    assert.equal(outcome.reason, 'offer withdrawn');
    assert.equal(outcome.remindersSent, 1);
    assert.equal(await stack.control.user(hire.externalID), undefined);
  });
});

// 429 storms need real time: the time-skipping server also skips retry back-offs, and retries
// without back-off turn a tight rate limit into a livelock that no real deployment sees.
describe('onboarding on the dev server (real time)', () => {
  let stack: LifecycleTestStack;
  useLifecycleTestStack({ server: 'dev-server' }, (started) => (stack = started));

  it('completes through a 429 storm and 5xx faults, still with one user', async () => {
    const hire = newHire();
    await stack.control.setFaults([
      { route: 'POST /users', failNext: 2, errorStatus: 503 },
      { route: 'GET /users', failNext: 1, errorStatus: 502 },
      { route: 'POST /users', dropNext: 1 },
      // Then a create that Staffbase applied but whose answer was lost: the retry must adopt it.
      { route: 'POST /users', lostReplyNext: 1 },
    ]);
    await stack.startRateLimitStorm(4);
    const outcome = await stack.runWorkers(async () => {
      const run = stack.track(
        await startOnboarding(stack.env.client, hire, onboardingPolicy({ statusCheckIntervalMinutes: 1 })),
      );
      // Backoffs between retries run in real time: allow for them.
      await waitFor(
        () => stack.env.client.workflow.getHandle(run.workflowId).query(onboardingStatusQuery),
        (status) => status.stage === 'awaiting-activation',
        { timeoutMs: 60_000, what: 'awaiting-activation' },
      );
      await stack.env.client.workflow.getHandle(run.workflowId).signal(onboardingActivatedSignal, {});
      return (await stack.env.client.workflow.getHandle(run.workflowId).result()) as OnboardingOutcome;
    });
    assert.equal(outcome.result, 'activated');
    const log = await stack.control.log();
    assert.ok(
      log.some((call) => call.status === 503),
      'injected 5xx answers were seen',
    );
    assert.ok(
      log.some((call) => call.outcome === 'rate-limited'),
      '429 answers were seen',
    );
    assert.equal((await stack.control.users()).length, 1);
    const creates = (await stack.control.effects()).filter((effect) => effect.kind === 'created');
    assert.equal(creates.length, 1, 'Staffbase created exactly one account');
    assert.ok((await stack.control.log()).some((call) => call.outcome === 'reply-lost'));
  });
});

describe('onboarding reminders over real SMTP (time-skipping server, in-process SMTP server)', () => {
  let stack: LifecycleTestStack;
  let smtp: TestSmtpServer;

  before(async () => {
    smtp = await startTestSmtpServer();
    const notifier = new SmtpNotifier(
      smtpConfigFromEnv({
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtp.port),
        SMTP_REQUIRE_TLS: 'false',
        SMTP_FROM: 'HR Team <hr@example.test>',
        STAFFBASE_APP_URL: testAppUrl,
      }),
    );
    stack = await startLifecycleTestStack({ server: 'time-skipping', notifier });
    await stack.startWorkers();
  });
  after(async () => {
    await stack?.close();
    await smtp?.close();
  });

  it('mails each reminder with the code to the new hire only, and the contact a notice without it', async () => {
    const hire = newHire({ contactEmail: 'manager@example.test' });
    const outcome = await stack.runWorkers(async () => {
      const run = stack.track(await startOnboarding(stack.env.client, hire, onboardingPolicy()));
      const handle = stack.env.client.workflow.getHandle(run.workflowId);
      await waitFor(
        () => handle.query(onboardingStatusQuery),
        (status) => status.stage === 'awaiting-activation',
      );
      await stack.env.sleep('170 hours'); // past the reminders of day 3 and day 7
      await handle.signal(onboardingActivatedSignal, {});
      return (await handle.result()) as OnboardingOutcome;
    });
    assert.equal(outcome.result, 'activated');
    assert.equal(outcome.remindersSent, 2);
    const invitation = (await stack.control.outbox()).find((mail) => mail.kind === 'invitation');
    assert.ok(invitation?.code);
    assert.equal(smtp.received.length, 4);
    const toHire = smtp.received.filter((mail) => mail.envelopeTo.includes(hire.email));
    const toContact = smtp.received.filter((mail) => mail.envelopeTo.includes('manager@example.test'));
    assert.equal(toHire.length, 2);
    assert.equal(toContact.length, 2);
    for (const mail of toHire) {
      assert.deepEqual([...mail.envelopeTo], [hire.email], 'the reminder goes to the new hire alone');
      assert.ok(mail.text.includes(testAppUrl), 'the app link is in the mail');
      assert.ok(mail.text.includes(invitation.code), 'the invitation code is in the mail');
    }
    for (const mail of toContact) {
      assert.deepEqual([...mail.envelopeTo], ['manager@example.test']);
      assert.ok(mail.text.includes(hire.externalID), 'the notice names the run');
      assert.ok(!mail.text.includes(invitation.code), 'the contact never gets the invitation code');
      assert.ok(!mail.html.includes(invitation.code));
    }
  });
});
