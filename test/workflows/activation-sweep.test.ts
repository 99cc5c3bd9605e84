/**
 * The activation sweep on the dev server (visibility queries need it): 120 onboardings wait for an
 * activation, some of the new hires accept their invitation in the simulator, one sweep asks
 * Staffbase about all 120 in batches of 50 and signals exactly those runs; the others keep waiting.
 * And the Schedule that runs it: created with the interval, paused at 0.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startOnboarding } from '../../client/lifecycle-runs';
import { taskQueues } from '../../lifecycle/task-queues';
import { activationSweepScheduleConfigFromEnv } from '../../config/schedules';
import {
  ACTIVATION_SWEEP_SCHEDULE_ID,
  ensureActivationSweepSchedule,
} from '../../worker/activation-sweep-schedule';
import type { activationSweep } from '../../workflows/activation-sweep';
import type { OnboardingOutcome, OnboardingStatus } from '../../workflows/onboarding-messages';
import { ConfigError } from '../../config/config-error';
import { type LifecycleTestStack, startLifecycleTestStack } from '../helpers/lifecycle-stack';
import { newHire, onboardingPolicy, uniqueSuffix } from '../helpers/people';
import { waitFor } from '../helpers/waiting';

const waiting = 120;
const batchSize = 50;

describe('activation sweep (dev server)', () => {
  let stack: LifecycleTestStack;

  before(async () => {
    stack = await startLifecycleTestStack({ server: 'dev-server' });
    await stack.startWorkers();
  });

  after(async () => {
    await stack?.terminateLeftoverRuns();
    await stack?.close();
  });

  it('signals exactly the activated ones among 120 waiting onboardings, 50 per Staffbase request', async () => {
    const client = stack.env.client;
    // Default policy: the per-run fallback check is a day away, so only the sweep can notice.
    const policy = onboardingPolicy();
    const hires = Array.from({ length: waiting }, () => newHire());
    const runs = await Promise.all(
      hires.map((hire) => startOnboarding(client, hire, policy).then((run) => stack.track(run))),
    );
    const waitingQuery = `WorkflowType='onboarding' AND LifecycleStage='awaiting-activation' AND ExecutionStatus='Running'`;
    await waitFor(
      async () => (await client.workflow.count(waitingQuery)).count,
      (count) => count === waiting,
      { timeoutMs: 120_000, intervalMs: 500, what: `${waiting} onboardings awaiting activation` },
    );

    const activated = new Set(hires.filter((_, i) => i % 3 === 0).map((hire) => hire.externalID));
    for (const externalID of activated) await stack.control.activate(externalID);
    const sweepStartedAt = new Date().toISOString();

    const totals = await client.workflow.execute<typeof activationSweep>('activationSweep', {
      workflowId: `activation-sweep-test-${uniqueSuffix()}`,
      taskQueue: taskQueues.lifecycle,
      args: [{ batchSize }],
    });
    assert.deepEqual(totals, {
      waiting,
      requests: Math.ceil(waiting / batchSize),
      signalled: activated.size,
    });

    const listRequests = (await stack.control.log()).filter(
      (call) => call.routeKey === 'GET /users' && call.time >= sweepStartedAt,
    );
    assert.ok(
      listRequests.length <= Math.ceil(waiting / batchSize),
      `${listRequests.length} list requests for ${waiting} waiting people`,
    );

    for (const [i, run] of runs.entries()) {
      const handle = client.workflow.getHandle(run.workflowId);
      const externalID = hires[i]?.externalID ?? '';
      if (activated.has(externalID)) {
        const outcome = (await handle.result()) as OnboardingOutcome;
        assert.equal(outcome.result, 'activated', externalID);
        assert.equal(outcome.activatedVia, 'signal', externalID);
      } else {
        assert.equal((await handle.describe()).status.name, 'RUNNING', externalID);
        const status = await handle.query<OnboardingStatus>('status');
        assert.equal(status.stage, 'awaiting-activation', externalID);
      }
    }
  });

  it('runs from a Schedule every ACTIVATION_SWEEP_INTERVAL_MINUTES; 0 pauses it', async () => {
    assert.deepEqual(activationSweepScheduleConfigFromEnv({}), { intervalMinutes: 15 });
    assert.throws(
      () => activationSweepScheduleConfigFromEnv({ ACTIVATION_SWEEP_INTERVAL_MINUTES: 'often' }),
      (error: unknown) =>
        error instanceof ConfigError && error.variables.includes('ACTIVATION_SWEEP_INTERVAL_MINUTES'),
    );
    const client = stack.env.client;
    assert.equal(await ensureActivationSweepSchedule(client, { intervalMinutes: 15 }), 'created');
    let description = await client.schedule.getHandle(ACTIVATION_SWEEP_SCHEDULE_ID).describe();
    assert.equal(description.state.paused, false);
    assert.equal(description.action.type, 'startWorkflow');
    assert.equal(description.action.workflowType, 'activationSweep');
    assert.equal(description.action.taskQueue, taskQueues.lifecycle);
    assert.deepEqual(
      description.spec.intervals?.map((interval) => interval.every),
      [15 * 60_000],
    );

    assert.equal(await ensureActivationSweepSchedule(client, { intervalMinutes: 0 }), 'paused');
    description = await client.schedule.getHandle(ACTIVATION_SWEEP_SCHEDULE_ID).describe();
    assert.equal(description.state.paused, true);
    assert.match(description.state.note ?? '', /ACTIVATION_SWEEP_INTERVAL_MINUTES=0/);
    await client.schedule.getHandle(ACTIVATION_SWEEP_SCHEDULE_ID).delete();
  });
});
