import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotificationDeliveryError } from '../../../activities/notifications/errors';
import { RecordingNotifier } from '../../../activities/notifications/recording-notifier';

describe('RecordingNotifier', () => {
  const reminder = {
    to: 'ada@example.com',
    firstName: 'Ada',
    lastName: 'Lovelace',
    appUrl: 'https://app.example.com',
    invitationCode: 'K7QX-29PL',
    reminderNumber: 1,
    externalID: 'EMP-1001',
  };

  it('records reminders and notices with their composed text, in order', async () => {
    const notifier = new RecordingNotifier();
    const first = await notifier.sendInvitationReminder(reminder);
    const second = await notifier.sendOnboardingExpiredNotice({
      to: 'people@example.com',
      newHireName: 'Ada Lovelace',
      newHireEmail: 'ada@example.com',
      externalID: 'EMP-1001',
      remindersSent: 1,
      pendingAccountAction: 'left-pending',
    });
    assert.notEqual(first.messageId, second.messageId);
    assert.deepEqual(
      notifier.sent.map((entry) => entry.type),
      ['invitation-reminder', 'onboarding-expired'],
    );
    assert.deepEqual(notifier.reminders, [reminder]);
    assert.equal(notifier.expiredNotices[0]?.to, 'people@example.com');
    assert.ok(notifier.sent[0]?.composed.text.includes('K7QX-29PL'));
    await notifier.close();
    await assert.rejects(notifier.sendInvitationReminder(reminder), /closed/);
  });

  it('fails the next send once when told to', async () => {
    const notifier = new RecordingNotifier();
    notifier.failNextWith(new NotificationDeliveryError('SMTP down', 'transient'));
    await assert.rejects(notifier.sendInvitationReminder(reminder), (error: unknown) => {
      assert.ok(error instanceof NotificationDeliveryError);
      assert.equal(error.retryable, true);
      return true;
    });
    await notifier.sendInvitationReminder(reminder);
    assert.equal(notifier.reminders.length, 1);
  });
});
