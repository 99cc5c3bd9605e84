/**
 * The leave commands through the CLI's own I/O (a child process), against a real time-skipping server
 * with the real worker and the simulator: validation naming the flag before anything is sent, then
 * leave, leave-until and leave-cancel with their audit lines.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shiftDate } from '../../../lifecycle/calendar';
import { type LifecycleTestStack, useLifecycleTestStack } from '../../helpers/lifecycle-stack';
import { seedLeaver } from '../../helpers/offboarding-runs';
import { cli } from './run-cli';
import { waitFor } from '../../helpers/waiting';
import { leaveStatusQuery } from '../../../workflows/leave-messages';

describe('leave commands (CLI, time-skipping server, real worker and simulator)', () => {
  let stack: LifecycleTestStack;
  useLifecycleTestStack(
    { server: 'time-skipping', longLivedWorkers: true, resetSimulatorBeforeEach: true },
    (started) => (stack = started),
  );
  const run = (args: string[]) => cli(args, { address: stack.env.address });
  const auditEvents = (stderr: string) =>
    stderr
      .split('\n')
      .filter((line) => line.includes('"audit":true'))
      .map((line) => (JSON.parse(line) as { event: string }).event);

  it('refuses an until before from, naming --until (exit 2), before any connection', async () => {
    const answer = await cli(['leave', 'emp-1', '--from', '2027-03-01', '--until', '2027-02-01'], {
      address: '127.0.0.1:1',
    });
    assert.equal(answer.code, 2, answer.stderr);
    assert.match(answer.stderr, /until \(--until\): must be a day after from/);
  });

  it('leave, leave-until, leave-cancel: the account is deactivated, then reactivated by the cancel', async () => {
    const person = await seedLeaver(stack.control, { sessions: 1 });
    const today = new Date(await stack.env.currentTimeMs()).toISOString().slice(0, 10);
    const started = await run(['--json', 'leave', person.externalID, '--from', today]);
    assert.equal(started.code, 0, started.stderr);
    const { status, workflowId } = JSON.parse(started.stdout) as { status: string; workflowId: string };
    assert.equal(status, 'started');
    await waitFor(
      () => stack.env.client.workflow.getHandle(workflowId).query(leaveStatusQuery),
      (leave) => leave.stage === 'on-leave',
      { what: 'leave stage on-leave' },
    );

    const moved = await run(['leave-until', person.externalID, shiftDate(today, 14)]);
    assert.equal(moved.code, 0, moved.stderr);
    assert.match(moved.stdout, new RegExp(`until ${shiftDate(today, 14)}`));

    const cancelled = await run(['leave-cancel', person.externalID]);
    assert.equal(cancelled.code, 0, cancelled.stderr);
    assert.match(cancelled.stdout, /cancelled \(account reactivated\)/);
    assert.equal((await stack.control.user(person.externalID))?.status, 'activated');
    assert.deepEqual(
      [...auditEvents(started.stderr), ...auditEvents(moved.stderr), ...auditEvents(cancelled.stderr)],
      ['leave-started', 'leave-until-changed', 'leave-cancelled'],
    );
  });
});
