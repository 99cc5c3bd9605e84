/**
 * A leave end to end on the dev server in real time, with the production worker (worker/main.ts) as a
 * child process that is SIGKILLed while the person is on leave: a new worker takes the run up where it
 * stood and reactivates the very account the leave deactivated, once.
 *
 * Real time cannot wait for a timer: a leave lasts at least a whole day (`until` is after `from`, and the
 * account comes back at the start of `until`). So the leave starts from yesterday (its deactivation, at
 * the end of the working day before, is past: at once) and HR moves the first day back to today, a day
 * already begun — the leave reaches its `until` and reactivates. The timed path (deactivation at the end
 * of the working day before `from`, reactivation at the start of `until`) runs on the time-skipping
 * server in leave.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { changeLeaveUntil, startLeave } from '../../client/leave-runs';
import { shiftDate } from '../../lifecycle/calendar';
import { type LeavePolicy } from '../../lifecycle/leave-request';
import { type SimulatorControl } from '../../simulator/control-client';
import { type RunningSimulator } from '../../simulator/server';
import { type LeaveOutcome, type LeaveStage, leaveStatusQuery } from '../../workflows/leave-messages';
import { testEncryptionEnv } from '../helpers/encryption';
import { seedLeaver } from '../helpers/offboarding-runs';
import { startTestSimulator } from '../helpers/simulator';
import { startDevServerEnvironment, workflowBundle } from '../helpers/temporal';
import { waitFor } from '../helpers/waiting';
import { WorkerChild } from '../interleavings/worker-child';

const policy: LeavePolicy = { endOfWorkingDay: '17:00', timeZone: 'UTC' };

describe('leave on the dev server (real time, worker SIGKILL while on leave)', () => {
  let env: TestWorkflowEnvironment;
  let simulator: RunningSimulator;
  let control: SimulatorControl;
  let worker: WorkerChild;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'leave-restart-'));
    const bundlePath = path.join(dir, 'workflow-bundle.js');
    const started = await Promise.all([
      startDevServerEnvironment(),
      startTestSimulator(),
      workflowBundle(require.resolve('../../workflows')).then((bundle) =>
        writeFileSync(bundlePath, bundle.code),
      ),
    ]);
    env = started[0];
    ({ simulator, control } = started[1]);
    worker = new WorkerChild({
      TEMPORAL_ADDRESS: env.address,
      STAFFBASE_BASE_URL: simulator.apiUrl,
      STAFFBASE_API_TOKEN: started[1].token,
      WORKFLOW_BUNDLE_PATH: bundlePath,
      STAFFBASE_REQUESTS_PER_SECOND: '50',
      CLEANUP_SCHEDULE_ENABLED: 'false',
      LIFECYCLE_STORE_URL: `sqlite:${path.join(dir, 'store.sqlite')}`,
      ...testEncryptionEnv,
      LOG_LEVEL: 'info',
    });
  });
  after(async () => {
    await worker?.stop();
    await Promise.allSettled([simulator?.close(), env?.teardown()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('deactivates, survives a worker SIGKILL on leave, and reactivates the same account exactly once', async () => {
    const person = await seedLeaver(control, { sessions: 2, activated: '2023-03-01T08:00:00.000Z' });
    // A lost answer on each write: Staffbase applied it, the worker retries; the effect stays single.
    await control.setFaults([{ route: 'PUT /users/:id', lostReplyNext: 1 }]);
    const today = new Date().toISOString().slice(0, 10);
    const handle = () => env.client.workflow.getHandle(`leave-${person.externalID}`);
    const awaitStage = (stage: LeaveStage) =>
      waitFor(
        () => handle().query(leaveStatusQuery),
        (status) => status.stage === stage,
        { timeoutMs: 60_000, what: `leave stage ${stage}` },
      );

    await worker.start();
    const run = await startLeave(
      env.client,
      {
        externalID: person.externalID,
        from: shiftDate(today, -1),
        until: shiftDate(today, 3),
        reason: 'test',
      },
      policy,
    );
    assert.equal(run.status, 'started');
    await awaitStage('on-leave');
    const away = await control.user(person.externalID);
    assert.equal(away?.status, 'deactivated');
    assert.equal(away?.sessions, 0, 'logged out before the deactivation');

    // A crash while the person is on leave: no graceful stop, nothing handed back.
    await worker.crash();
    assert.equal(worker.kills, 1);
    await control.setFaults([{ route: 'PUT /users/:id', lostReplyNext: 1 }]);
    await worker.start();

    // HR: back today (a day already begun), so the leave reaches its first day back now.
    const moved = await changeLeaveUntil(env.client, person.externalID, today);
    assert.equal(moved.until, today);
    assert.ok(moved.deactivatedAt, 'the new worker still knows the deactivation of the first');
    const outcome = (await handle().result()) as LeaveOutcome;
    assert.equal(outcome.result, 'returned');
    assert.equal(outcome.reactivated, true);
    assert.equal(outcome.staffbaseUserId, person.id);

    const back = await control.user(person.externalID);
    assert.equal(back?.id, person.id);
    assert.equal(back?.status, 'activated');
    // What Staffbase did, whatever the worker saw: one deactivation, one reactivation, of this account.
    const effects = (await control.effects()).filter((effect) => effect.externalID === person.externalID);
    assert.deepEqual(
      effects.filter((effect) => effect.kind !== 'logged-out').map((effect) => [effect.kind, effect.userId]),
      [
        ['deactivated', person.id],
        ['reactivated', person.id],
      ],
    );
    const lost = (await control.log()).filter((call) => call.outcome === 'reply-lost');
    assert.equal(lost.length, 2, 'both lost answers were retried');
  });
});
