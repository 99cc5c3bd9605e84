import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import { startOnboarding } from '../../client/lifecycle-runs';
import { onboardingHistoryEventLimit } from '../../workflows/onboarding';
import { onboardingStatusQuery, type OnboardingOutcome } from '../../workflows/onboarding-messages';
import { type LifecycleTestStack, useLifecycleTestStack } from '../helpers/lifecycle-stack';
import { newHire, onboardingPolicy } from '../helpers/people';

/** Headroom over the limit: the limit is checked once per loop turn, and one turn writes < 50 events. */
const overshoot = 50;
const bound = onboardingHistoryEventLimit + overshoot;

describe('onboarding history stays bounded (time-skipping server, real activities against the simulator)', () => {
  let stack: LifecycleTestStack;
  useLifecycleTestStack({ server: 'time-skipping', longLivedWorkers: true }, (started) => (stack = started));

  it(`a 30-day wait with hourly checks continues as new; every run stays ≤ ${bound} events (limit ${onboardingHistoryEventLimit} + ${overshoot})`, async () => {
    const hire = newHire({ reminderPolicy: { remindAfterDays: [3, 7, 14], expireAfterDays: 30 } });
    const policy = onboardingPolicy({ statusCheckIntervalMinutes: 60, expiredAction: 'leave-pending' });
    const run = stack.track(await startOnboarding(stack.env.client, hire, policy));
    assert.ok(run.runId);

    // Mid-wait (day 10): a later run of the chain answers with the carried-over state.
    await stack.env.sleep('10 days');
    const midWait = stack.env.client.workflow.getHandle(run.workflowId);
    const midStatus = await midWait.query(onboardingStatusQuery);
    assert.equal(midStatus.stage, 'awaiting-activation');
    assert.equal(midStatus.remindersSent, 2, 'the reminders of day 3 and day 7');
    assert.equal(midStatus.nextAction?.kind, 'check-status');
    assert.notEqual((await midWait.describe()).runId, run.runId, 'already continued as new by day 10');

    // One result() at a time (a second concurrent one stalls the time-skipping clock). result()
    // follows the continue-as-new chain to the last run.
    const outcome = (await stack.env.client.workflow.getHandle(run.workflowId).result()) as OnboardingOutcome;
    assert.equal(outcome.result, 'expired');
    assert.equal(outcome.accountAction, 'left-pending');
    assert.equal(outcome.remindersSent, 3, 'the reminder count survived continue-as-new');

    // Walk the chain from the first run, following each run's continued-as-new link.
    const runs: { runId: string; events: number; status: string }[] = [];
    let runId: string | undefined = run.runId;
    while (runId) {
      const handle: WorkflowHandle = stack.env.client.workflow.getHandle(run.workflowId, runId);
      const [description, history] = await Promise.all([handle.describe(), handle.fetchHistory()]);
      const events = history.events ?? [];
      const last = events[events.length - 1];
      runs.push({ runId, events: events.length, status: description.status.name });
      // A run that continued as new ends with WorkflowExecutionContinuedAsNew, naming the next run.
      runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
    }
    console.log(
      `  onboarding chain: ${runs.length} runs, events per run ${runs.map((r) => r.events).join(', ')}`,
    );

    assert.ok(runs.length > 1, 'continue-as-new happened');
    assert.deepEqual(
      runs.map((r) => r.status),
      [...runs.slice(0, -1).map(() => 'CONTINUED_AS_NEW'), 'COMPLETED'],
    );
    for (const r of runs) {
      assert.ok(r.events <= bound, `run ${r.runId} has ${r.events} events (bound ${bound})`);
    }
    const totalEvents = runs.reduce((sum, r) => sum + r.events, 0);
    assert.ok(totalEvents > bound, `the whole wait (${totalEvents} events) would not fit one bounded run`);

    // The last run answers the status query with the finished state carried across every run.
    const lastRunId = runs[runs.length - 1]?.runId;
    const status = await stack.env.client.workflow
      .getHandle(run.workflowId, lastRunId)
      .query(onboardingStatusQuery);
    assert.equal(status.stage, 'completed');
    assert.equal(status.remindersSent, 3);
    assert.equal(status.outcome?.result, 'expired');
    assert.equal(status.staffbaseUserId, outcome.staffbaseUserId);

    // Exactly one account, still pending; about one status check per hour of the 30 days.
    const users = await stack.control.users();
    assert.deepEqual(
      users.map((user) => [user.externalID, user.status]),
      [[hire.externalID, 'pending']],
    );
    const statusChecks = (await stack.control.log()).filter((call) => call.routeKey === 'GET /users/:id');
    assert.ok(statusChecks.length >= 30 * 24 - 5, `${statusChecks.length} status checks`);
  });
});
