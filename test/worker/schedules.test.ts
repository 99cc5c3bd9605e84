/**
 * The clean-up Schedules against a real dev server: created once, updated (never duplicated) on every
 * later start-up, paused by the off switch, and a triggered action starts the clean-up workflow with
 * the configured input.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { ConfigError } from '../../config/config-error';
import { defaultCleanupPolicy } from '../../lifecycle/support-requests';
import { taskQueues } from '../../lifecycle/task-queues';
import { DEFAULT_CLEANUP_CRON, DEFAULT_PENDING_OLDER_THAN_DAYS } from '../../config/defaults';
import { type CleanupScheduleConfig, cleanupScheduleConfigFromEnv } from '../../config/schedules';
import { cleanupScheduleId, ensureCleanupSchedules } from '../../worker/schedules';
import { testPayloadCodec } from '../helpers/encryption';
import { startDevServerEnvironment } from '../helpers/temporal';
import { waitFor } from '../helpers/waiting';

describe('clean-up Schedule configuration', () => {
  it('defaults: on, daily at 03:00 UTC, pending accounts older than 60 days, the policy threshold', () => {
    const config = cleanupScheduleConfigFromEnv({});
    assert.deepEqual(config, {
      enabled: true,
      cron: DEFAULT_CLEANUP_CRON,
      timeZone: 'UTC',
      pendingOlderThanDays: DEFAULT_PENDING_OLDER_THAN_DAYS,
      policy: defaultCleanupPolicy,
    });
    assert.equal(DEFAULT_CLEANUP_CRON, '0 3 * * *');
    assert.equal(DEFAULT_PENDING_OLDER_THAN_DAYS, 60);
  });

  it('reads every variable, and names every bad one at once', () => {
    const config = cleanupScheduleConfigFromEnv({
      CLEANUP_SCHEDULE_ENABLED: 'no',
      CLEANUP_SCHEDULE_CRON: '@weekly',
      CLEANUP_PENDING_OLDER_THAN_DAYS: '90',
      CLEANUP_CONFIRM_ABOVE: '10',
      LIFECYCLE_TIME_ZONE: 'Europe/Berlin',
    });
    assert.equal(config.enabled, false);
    assert.equal(config.cron, '@weekly');
    assert.equal(config.pendingOlderThanDays, 90);
    assert.equal(config.policy.confirmAbove, 10);
    assert.equal(config.timeZone, 'Europe/Berlin');

    assert.throws(
      () =>
        cleanupScheduleConfigFromEnv({
          CLEANUP_SCHEDULE_ENABLED: 'sometimes',
          CLEANUP_SCHEDULE_CRON: 'every day',
          CLEANUP_PENDING_OLDER_THAN_DAYS: '0',
          CLEANUP_CONFIRM_ABOVE: '-1',
          LIFECYCLE_TIME_ZONE: 'Mars/Olympus',
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(error.variables.sort(), [
          'CLEANUP_CONFIRM_ABOVE',
          'CLEANUP_PENDING_OLDER_THAN_DAYS',
          'CLEANUP_SCHEDULE_CRON',
          'CLEANUP_SCHEDULE_ENABLED',
          'LIFECYCLE_TIME_ZONE',
        ]);
        return true;
      },
    );
  });
});

describe('clean-up Schedules on a dev server', () => {
  let env: TestWorkflowEnvironment;
  const scheduleId = cleanupScheduleId('pending-accounts');
  const base: CleanupScheduleConfig = cleanupScheduleConfigFromEnv({});

  before(async () => {
    env = await startDevServerEnvironment();
  });
  after(async () => {
    await env?.teardown();
  });

  async function scheduleIds(): Promise<string[]> {
    const ids: string[] = [];
    for await (const schedule of env.client.schedule.list()) ids.push(schedule.scheduleId);
    return ids;
  }

  it('switched off with no Schedule yet: creates none', async () => {
    const ensured = await ensureCleanupSchedules(env.client, { ...base, enabled: false });
    assert.deepEqual(
      ensured.map((schedule) => [schedule.scheduleId, schedule.result]),
      [[scheduleId, 'absent']],
    );
    await assert.rejects(env.client.schedule.getHandle(scheduleId).describe(), /not found/i);
  });

  it('creates one Schedule per kind, with the clean-up workflow and its input as the action', async () => {
    const ensured = await ensureCleanupSchedules(env.client, base);
    assert.deepEqual(
      ensured.map((schedule) => schedule.result),
      ['created'],
    );
    const description = await env.client.schedule.getHandle(scheduleId).describe();
    assert.equal(description.state.paused, false);
    assert.equal(description.action.type, 'startWorkflow');
    assert.equal(description.action.workflowType, 'accountCleanup');
    assert.equal(description.action.taskQueue, taskQueues.lifecycle);
    assert.equal(description.action.workflowId, 'cleanup-pending-accounts');
    const [input] = description.action.args as [Record<string, unknown>];
    assert.equal(input.kind, 'pending-accounts');
    assert.equal(input.olderThanDays, 60);
    assert.equal(input.confirmAbove, defaultCleanupPolicy.confirmAbove);
    assert.equal(input.dryRun, false);
    assert.equal(description.spec.timezone, 'UTC');
    assert.deepEqual(
      description.spec.calendars?.map((calendar) => [calendar.hour, calendar.minute]),
      [[[{ start: 3, end: 3, step: 1 }], [{ start: 0, end: 0, step: 1 }]]],
    );
  });

  it('a second start-up updates the Schedule to the new settings instead of adding one', async () => {
    const ensured = await ensureCleanupSchedules(env.client, {
      ...base,
      cron: '30 4 * * 1-5',
      timeZone: 'Europe/Berlin',
      pendingOlderThanDays: 45,
      policy: { ...base.policy, confirmAbove: 7 },
    });
    assert.deepEqual(
      ensured.map((schedule) => schedule.result),
      ['updated'],
    );
    await waitFor(
      () => scheduleIds(),
      (ids) => ids.includes(scheduleId),
      { timeoutMs: 10_000, intervalMs: 200, what: 'the Schedule in the list' },
    );
    assert.deepEqual(
      (await scheduleIds()).filter((id) => id.startsWith('cleanup-')),
      [scheduleId],
    );
    const description = await env.client.schedule.getHandle(scheduleId).describe();
    assert.equal(description.spec.timezone, 'Europe/Berlin');
    assert.deepEqual(
      description.spec.calendars?.map((calendar) => [calendar.hour, calendar.minute]),
      [[[{ start: 4, end: 4, step: 1 }], [{ start: 30, end: 30, step: 1 }]]],
    );
    const [input] = description.action.args as [Record<string, unknown>];
    assert.equal(input.olderThanDays, 45);
    assert.equal(input.confirmAbove, 7);
  });

  it('the off switch pauses it with a note; switching back on resumes it', async () => {
    const off = await ensureCleanupSchedules(env.client, { ...base, enabled: false });
    assert.deepEqual(
      off.map((schedule) => schedule.result),
      ['paused'],
    );
    let description = await env.client.schedule.getHandle(scheduleId).describe();
    assert.equal(description.state.paused, true);
    assert.match(description.state.note ?? '', /CLEANUP_SCHEDULE_ENABLED=false/);

    const on = await ensureCleanupSchedules(env.client, base);
    assert.deepEqual(
      on.map((schedule) => schedule.result),
      ['updated'],
    );
    description = await env.client.schedule.getHandle(scheduleId).describe();
    assert.equal(description.state.paused, false);
  });

  it('a triggered action starts accountCleanup on the lifecycle queue with the configured input', async () => {
    await env.client.schedule.getHandle(scheduleId).trigger();
    const description = await waitFor(
      () => env.client.schedule.getHandle(scheduleId).describe(),
      (found) => found.info.recentActions.length > 0,
      { timeoutMs: 15_000, intervalMs: 200, what: 'the triggered action' },
    );
    const action = description.info.recentActions[0]?.action;
    assert.ok(action?.type === 'startWorkflow');
    assert.match(action.workflow.workflowId, /^cleanup-pending-accounts-/);
    const handle = env.client.workflow.getHandle(action.workflow.workflowId);
    try {
      const run = await handle.describe();
      assert.equal(run.type, 'accountCleanup');
      assert.equal(run.taskQueue, taskQueues.lifecycle);
      const history = await handle.fetchHistory();
      const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
      const encrypted = started?.input?.payloads?.[0];
      assert.ok(encrypted);
      // The Schedule's client encrypts its action's arguments like any other payload.
      const [payload] = await testPayloadCodec.decode([encrypted]);
      const input = JSON.parse(Buffer.from(payload?.data ?? []).toString()) as Record<string, unknown>;
      assert.equal(input.kind, 'pending-accounts');
      assert.equal(input.olderThanDays, 60);
    } finally {
      // No worker here: the run would wait forever.
      await handle.terminate('test cleanup').catch(() => undefined);
    }
  });
});
