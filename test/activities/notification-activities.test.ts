import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { createNotificationActivities } from '../../activities/notification-activities';
import { NotificationDeliveryError } from '../../activities/notifications/errors';
import { RecordingNotifier } from '../../activities/notifications/recording-notifier';
import { StaffbaseClient } from '../../staffbase/client';
import type { SimulatorControl, UserSeed } from '../../simulator/control-client';
import type { RunningSimulator } from '../../simulator/server';
import { startTestSimulator } from '../helpers/simulator';

/**
 * The reminder activity against the simulator over real HTTP, called as a plain function (outside a
 * worker it is the same code): each of its answers, and what it mails for each.
 */
describe('sendInvitationReminder (real HTTP to the simulator, recording notifier)', () => {
  let simulator: RunningSimulator;
  let control: SimulatorControl;
  let staffbase: StaffbaseClient;
  let notifier: RecordingNotifier;
  let activities: ReturnType<typeof createNotificationActivities>;
  let seeded = 0;

  before(async () => {
    const started = await startTestSimulator();
    simulator = started.simulator;
    control = started.control;
    staffbase = new StaffbaseClient({
      baseUrl: simulator.apiUrl,
      token: started.token,
      requestTimeoutMs: 5_000,
    });
  });
  after(async () => {
    await staffbase?.close();
    await simulator?.close();
  });
  beforeEach(async () => {
    await control.reset();
    notifier = new RecordingNotifier();
    activities = createNotificationActivities({
      staffbase,
      notifier,
      appUrl: 'https://app.example.test',
      hrContactEmail: 'hr@example.test',
    });
  });

  const hire = async (overrides: UserSeed = {}) => {
    seeded += 1;
    const externalID = `reminder-${process.pid}-${seeded}`;
    const user = await control.seedUser({
      externalID,
      userName: `reminder.${seeded}`,
      firstName: 'Rem',
      lastName: `Inder ${seeded}`,
      emails: [{ value: `rem.${seeded}@example.test`, primary: true }],
      status: 'pending',
      ...overrides,
    });
    return { staffbaseUserId: user.id, externalID, email: user.emails[0]?.value, code: user.secret?.plain };
  };

  it('mails a pending hire the reminder with the code, and the contact a notice without it', async () => {
    const person = await hire();
    assert.ok(person.code, 'the simulator gave the pending user an invitation code');
    const result = await activities.sendInvitationReminder({
      staffbaseUserId: person.staffbaseUserId,
      externalID: person.externalID,
      reminderNumber: 2,
      contactEmail: 'manager@example.test',
    });
    assert.equal(result, 'sent');
    assert.deepEqual(
      notifier.reminders.map((mail) => [mail.to, mail.invitationCode, mail.reminderNumber]),
      [[person.email, person.code, 2]],
    );
    assert.deepEqual(
      notifier.contactNotices.map((notice) => notice.to),
      ['manager@example.test'],
    );
    assert.equal(
      JSON.stringify(notifier.contactNotices).includes(person.code),
      false,
      'no code to the contact',
    );
  });

  it('answers user-activated and mails nobody when the hire already signed in', async () => {
    const person = await hire({ status: 'activated' });
    const result = await activities.sendInvitationReminder({
      staffbaseUserId: person.staffbaseUserId,
      externalID: person.externalID,
      reminderNumber: 1,
      contactEmail: 'manager@example.test',
    });
    assert.equal(result, 'user-activated');
    assert.deepEqual(notifier.sent, []);
  });

  it('answers no-email and mails nobody when the account has no address', async () => {
    const person = await hire({ emails: [] });
    const result = await activities.sendInvitationReminder({
      staffbaseUserId: person.staffbaseUserId,
      externalID: person.externalID,
      reminderNumber: 1,
      contactEmail: 'manager@example.test',
    });
    assert.equal(result, 'no-email');
    assert.deepEqual(notifier.sent, []);
  });

  it('answers user-gone and mails nobody when the account was deleted', async () => {
    const person = await hire();
    await control.deleteByHand(person.staffbaseUserId);
    const result = await activities.sendInvitationReminder({
      staffbaseUserId: person.staffbaseUserId,
      externalID: person.externalID,
      reminderNumber: 1,
      contactEmail: 'manager@example.test',
    });
    assert.equal(result, 'user-gone');
    assert.deepEqual(notifier.sent, []);
  });

  it('sends no separate notice when the contact is the hire (any case)', async () => {
    const person = await hire();
    const result = await activities.sendInvitationReminder({
      staffbaseUserId: person.staffbaseUserId,
      externalID: person.externalID,
      reminderNumber: 1,
      contactEmail: ` ${person.email?.toUpperCase()} `,
    });
    assert.equal(result, 'sent');
    assert.equal(notifier.reminders.length, 1);
    assert.deepEqual(notifier.contactNotices, []);
  });

  it('turns a failed delivery into a retryable or final failure, as the notifier classified it', async () => {
    const person = await hire();
    const reminder = {
      staffbaseUserId: person.staffbaseUserId,
      externalID: person.externalID,
      reminderNumber: 1,
    };
    notifier.failNextWith(new NotificationDeliveryError('mail server busy', 'transient'));
    await assert.rejects(activities.sendInvitationReminder(reminder), (error: unknown) => {
      assert.ok(error instanceof ApplicationFailure, `an ApplicationFailure, got ${String(error)}`);
      assert.equal(error.type, 'NotificationDeliveryError');
      assert.equal(error.nonRetryable, false);
      return true;
    });
    notifier.failNextWith(new NotificationDeliveryError('no such mailbox', 'permanent'));
    await assert.rejects(activities.sendInvitationReminder(reminder), (error: unknown) => {
      assert.ok(error instanceof ApplicationFailure);
      assert.equal(error.nonRetryable, true);
      return true;
    });
    assert.deepEqual(notifier.reminders, [], 'nothing recorded as sent');
  });
});
