import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogNotifier } from '../../../activities/notifications/log-notifier';

interface Line {
  message: string;
  meta?: Record<string, unknown>;
}

function recordingLog(): { lines: Line[]; info(message: string, meta?: Record<string, unknown>): void } {
  const lines: Line[] = [];
  return { lines, info: (message, meta) => lines.push({ message, meta }) };
}

describe('LogNotifier', () => {
  it('logs that a reminder would be sent, without the invitation code', async () => {
    const log = recordingLog();
    const notifier = new LogNotifier(log);
    const { messageId } = await notifier.sendInvitationReminder({
      to: 'new.hire@example.com',
      firstName: 'Nina',
      lastName: 'Neu',
      appUrl: 'https://app.example.com',
      invitationCode: 'SECRET-CODE-4711',
      invitationExpires: '2027-01-31T00:00:00.000Z',
      reminderNumber: 2,
      externalID: 'emp-42',
    });
    assert.match(messageId, /@log-notifier\.invalid>$/);
    assert.equal(log.lines.length, 1);
    const [line] = log.lines;
    assert.match(line?.message ?? '', /Invitation reminder 2 NOT delivered.*to the new hire/);
    assert.equal(line?.meta?.externalID, 'emp-42');
    assert.equal(line?.meta?.recipient, 'new-hire');
    assert.equal(line?.meta?.withInvitationCode, true);
    assert.ok(!JSON.stringify(log.lines).includes('SECRET-CODE-4711'), 'the invitation code was logged');
    for (const personal of ['new.hire@example.com', 'Nina', 'Neu']) {
      assert.ok(!JSON.stringify(log.lines).includes(personal), `${personal} was logged`);
    }
  });

  it('logs contact and needs-attention notices by externalID and code, without names or addresses', async () => {
    const log = recordingLog();
    const notifier = new LogNotifier(log);
    await notifier.sendReminderContactNotice({
      to: 'manager@example.com',
      newHireName: 'Nina Neu',
      externalID: 'emp-42',
      reminderNumber: 1,
    });
    await notifier.sendNeedsAttentionNotice({
      to: 'hr@example.com',
      lifecycle: 'onboarding',
      personName: 'Nina Neu',
      externalID: 'emp-42',
      reason: {
        code: 'conflict',
        field: 'userName',
        step: 'create-account',
        message: 'createUser: HTTP 409 — Staffbase said: "nina.neu is taken"',
        since: '2026-01-01T00:00:00.000Z',
      },
    });
    assert.equal(log.lines.length, 2);
    assert.deepEqual(
      log.lines.map((line) => [line.meta?.externalID, line.meta?.recipient]),
      [
        ['emp-42', 'contact'],
        ['emp-42', 'contact'],
      ],
    );
    assert.equal(log.lines[1]?.meta?.code, 'conflict');
    for (const personal of ['manager@example.com', 'hr@example.com', 'Nina', 'Neu', 'nina.neu']) {
      assert.ok(!JSON.stringify(log.lines).includes(personal), `${personal} was logged`);
    }
  });

  it('logs expiry notices, and refuses to send after close', async () => {
    const log = recordingLog();
    const notifier = new LogNotifier(log);
    await notifier.sendOnboardingExpiredNotice({
      to: 'hr@example.com',
      newHireName: 'Nina Neu',
      newHireEmail: 'new.hire@example.com',
      externalID: 'emp-42',
      remindersSent: 3,
      pendingAccountAction: 'left-pending',
    });
    assert.match(log.lines[0]?.message ?? '', /Onboarding-expired notice NOT delivered/);
    assert.equal(log.lines[0]?.meta?.externalID, 'emp-42');
    for (const personal of ['hr@example.com', 'new.hire@example.com', 'Nina', 'Neu']) {
      assert.ok(!JSON.stringify(log.lines).includes(personal), `${personal} was logged`);
    }
    await notifier.close();
    await assert.rejects(
      notifier.sendOnboardingExpiredNotice({
        to: 'hr@example.com',
        newHireName: 'x',
        newHireEmail: 'x@example.com',
        externalID: 'x',
        remindersSent: 0,
        pendingAccountAction: 'deleted',
      }),
      /closed/,
    );
  });
});
