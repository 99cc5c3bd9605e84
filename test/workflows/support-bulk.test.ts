import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import { startCleanup, startPopulationLogout, supportRunHandle } from '../../client/support-runs';
import { defaultCleanupPolicy } from '../../lifecycle/support-requests';
import type { UserSeed } from '../../simulator/control-client';
import {
  bulkProgressQuery,
  cancelBulkRunSignal,
  confirmDeletionsSignal,
  type BulkOutcome,
  type BulkProgress,
} from '../../workflows/support-messages';
import { type LifecycleTestStack, useLifecycleTestStack } from '../helpers/lifecycle-stack';
import { waitFor } from '../helpers/waiting';

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;
type HistoryEvent = NonNullable<History['events']>[number];

const daysAgo = (nowMs: number, days: number) => new Date(nowMs - days * 86_400_000).toISOString();

describe('bulk support runs (dev server, real activities against the simulator)', () => {
  let stack: LifecycleTestStack;
  let seeded = 0;
  useLifecycleTestStack(
    { server: 'dev-server', staffbaseRequestsPerSecond: 100, resetSimulatorBeforeEach: true },
    (started) => (stack = started),
  );

  const seed = async (count: number, overrides: UserSeed) => {
    const users = [];
    for (let i = 0; i < count; i += 1) {
      seeded += 1;
      users.push(
        await stack.control.seedUser({
          externalID: `bulk-${process.pid}-${seeded}`,
          userName: `bulk.${process.pid}.${seeded}`,
          firstName: 'Bulk',
          lastName: `User ${seeded}`,
          emails: [{ value: `bulk.${process.pid}.${seeded}@example.test`, primary: true }],
          ...overrides,
        }),
      );
    }
    return users;
  };
  const progressOf = (workflowId: string) =>
    supportRunHandle(stack.env.client, workflowId).query(bulkProgressQuery);
  const outcomeOf = (workflowId: string) =>
    supportRunHandle(stack.env.client, workflowId).result() as Promise<BulkOutcome>;
  const writes = async () => (await stack.control.log()).filter((call) => call.method !== 'GET');

  /** Every run of a continue-as-new chain with its history length, first run first. */
  const historyChain = async (workflowId: string, firstRunId: string) => {
    const runs: { runId: string; events: number }[] = [];
    let runId: string | undefined = firstRunId;
    while (runId) {
      const history: History = await stack.env.client.workflow.getHandle(workflowId, runId).fetchHistory();
      const events: HistoryEvent[] = history.events ?? [];
      runs.push({ runId, events: events.length });
      runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
    }
    return runs;
  };

  it('logs out every matching user exactly once through faults and a worker restart mid-run', async () => {
    const matching = await seed(23, { status: 'activated', creationType: 'sso', sessions: 2 });
    const others = [
      ...(await seed(2, { status: 'pending', creationType: 'sso' })),
      ...(await seed(2, { status: 'deactivated', creationType: 'sso' })),
      ...(await seed(3, { status: 'activated', creationType: 'direct', sessions: 1 })),
    ];
    await stack.control.setFaults([
      { route: 'GET /users', failNext: 1, errorStatus: 503 },
      { route: 'DELETE /users/:id/sessions', failNext: 2, errorStatus: 502 },
      { route: 'DELETE /users/:id/sessions', dropNext: 1 },
      { route: 'DELETE /users/:id/sessions', latencyMs: 100 },
    ]);

    // A gate the test opens: 15 requests, then 429 for 1,000 s. The first page needs 10 of them (its
    // read failing once, then answered; five logouts, three of them failing once), the whole run at
    // least 28 (five page reads, 23 logouts): the run stops mid-population by count, not by timing.
    await stack.control.setRateLimit({ requestsPerSecond: 0.001, burst: 15, retryAfter: 'none' });
    const run = stack.track(
      await startPopulationLogout(stack.env.client, {
        filter: 'staffbase.creationType   eq "sso"',
        pageSize: 5,
        pagesPerRun: 2,
        parallelism: 3,
      }),
    );
    assert.equal(run.status, 'started');

    // First life of the workers: stop them once a page is done and the gate is closed.
    const midRun = await stack.runWorkers(async () => {
      await waitFor(
        async () => (await stack.control.log()).some((call) => call.outcome === 'rate-limited'),
        (limited) => limited,
        { what: 'the gate to close', timeoutMs: 30_000 },
      );
      return waitFor(
        () => progressOf(run.workflowId),
        (progress) => progress.pagesDone >= 1,
        { what: 'the first page', timeoutMs: 30_000 },
      );
    });
    assert.equal(midRun.outcome, undefined, 'the workers stopped before the run finished');
    assert.ok(midRun.done < matching.length, `stopped mid-run (done ${midRun.done})`);

    // Second life: the gate opens, a fresh pair of workers picks the run up where it was.
    await stack.control.setRateLimit(null);
    const outcome = await stack.runWorkers(() => outcomeOf(run.workflowId));
    assert.equal(outcome.result, 'completed');
    assert.equal(outcome.total, matching.length);
    assert.equal(outcome.done, matching.length);
    assert.equal(outcome.failed, 0);
    assert.equal(outcome.skipped, 0);
    assert.equal(outcome.pagesDone, 5);
    assert.ok(outcome.runs >= 3, `continued as new (runs ${outcome.runs})`);

    const byId = new Map((await stack.control.users()).map((user) => [user.id, user]));
    for (const user of matching) {
      assert.equal(byId.get(user.id)?.logoutRequests, 1, `${user.externalID} logged out exactly once`);
      assert.equal(byId.get(user.id)?.sessions, 0);
    }
    for (const user of others) {
      assert.equal(
        byId.get(user.id)?.logoutRequests,
        0,
        `${user.externalID} (${user.status}, ${user.creationType}) untouched`,
      );
    }
    const log = await stack.control.log();
    assert.ok(
      log.some((call) => call.outcome === 'fault'),
      'injected 5xx answers were seen',
    );
    assert.ok(
      log.some((call) => call.outcome === 'dropped'),
      'dropped connections were seen',
    );
  });

  it('keeps each run of the continue-as-new chain to a bounded history', async () => {
    await seed(12, { status: 'activated', groupIDs: ['security-review'] });
    const run = stack.track(
      await startPopulationLogout(stack.env.client, {
        groupId: 'security-review',
        pageSize: 2,
        pagesPerRun: 2,
      }),
    );
    const outcome = await stack.runWorkers(() => outcomeOf(run.workflowId));
    assert.equal(outcome.result, 'completed');
    assert.equal(outcome.done, 12);
    assert.equal(outcome.filter, 'groups eq "security-review"');

    const chain = await historyChain(run.workflowId, run.runId);
    assert.equal(chain.length, 3, '6 pages at 2 pages per run');
    assert.equal(outcome.runs, 3);
    // Per page: one list call and 2 logouts (≤ 3 events each, plus workflow tasks): bounded by the
    // page size and pages per run, not by the population. 100,000 users in pages of 100 stay ~6,000 a run.
    // Each run also reads the worker's thresholds once: a patch marker and one activity (≤ 3 events)
    // with its workflow task (3 events).
    const bound = 2 * (6 + 2 * 6) + 12 + 7;
    for (const { events } of chain) assert.ok(events <= bound, `run history ${events} events ≤ ${bound}`);
  });

  it('dry run counts and samples the population and changes nothing; one run per filter', async () => {
    const matching = await seed(4, { status: 'activated', creationType: 'sso', sessions: 1 });
    await seed(2, { status: 'activated', creationType: 'csv', sessions: 1 });

    const dryRun = stack.track(
      await startPopulationLogout(stack.env.client, {
        filter: 'staffbase.creationType eq "sso"',
        dryRun: true,
        sampleSize: 3,
      }),
    );
    // The real run has its own ID, derived from the same normalised filter.
    const real = stack.track(
      await startPopulationLogout(stack.env.client, { filter: ' staffbase.creationType eq "sso" ' }),
    );
    const again = await startPopulationLogout(stack.env.client, {
      filter: 'staffbase.creationType  eq  "sso"',
    });
    assert.notEqual(dryRun.workflowId, real.workflowId);
    assert.equal(again.status, 'already-running');
    assert.equal(again.workflowId, real.workflowId);
    assert.equal(again.runId, real.runId);
    await supportRunHandle(stack.env.client, real.workflowId).signal(cancelBulkRunSignal, { reason: 'test' });

    const [dry, cancelled] = await stack.runWorkers(() =>
      Promise.all([outcomeOf(dryRun.workflowId), outcomeOf(real.workflowId)]),
    );
    assert.equal(dry.result, 'dry-run');
    assert.equal(dry.total, 4);
    assert.equal(dry.sample?.length, 3);
    const matchingIds = new Set(matching.map((user) => user.id));
    assert.ok(dry.sample?.every((user) => matchingIds.has(user.id) && user.status === 'activated'));
    assert.equal(cancelled.result, 'cancelled');
    assert.equal(cancelled.reason, 'test');

    assert.deepEqual(await writes(), [], 'only GET calls');
    const users = await stack.control.users();
    assert.ok(users.length > 0);
    assert.ok(users.every((user) => user.logoutRequests === 0));
  });

  it('pauses pending-account deletion above the threshold and deletes on confirmation', async () => {
    const now = await stack.env.currentTimeMs();
    const stale = await seed(7, { status: 'pending', created: daysAgo(now, 40) });
    const keep = [
      ...(await seed(2, { status: 'pending', created: daysAgo(now, 5) })),
      ...(await seed(2, { status: 'activated', created: daysAgo(now, 40) })),
      ...(await seed(1, { status: 'deactivated', created: daysAgo(now, 40) })),
    ];
    await stack.control.setFaults([{ route: 'DELETE /users/:id', failNext: 2, errorStatus: 503 }]);

    const run = stack.track(
      await startCleanup(
        stack.env.client,
        { kind: 'pending-accounts', olderThanDays: 30, pageSize: 3 },
        { ...defaultCleanupPolicy, confirmAbove: 5 },
      ),
    );
    assert.equal(run.workflowId, 'cleanup-pending-accounts');
    const outcome = await stack.runWorkers(async () => {
      const paused = await waitFor(
        () => progressOf(run.workflowId),
        (progress: BulkProgress) => progress.phase === 'awaiting-confirmation',
        { what: 'the confirmation pause' },
      );
      assert.equal(paused.total, 7);
      assert.equal(paused.confirmAbove, 5);
      assert.equal(paused.done, 0);
      assert.deepEqual(await writes(), [], 'nothing deleted before the confirmation');
      await supportRunHandle(stack.env.client, run.workflowId).signal(confirmDeletionsSignal, {
        confirmedBy: 'it-admin',
      });
      return outcomeOf(run.workflowId);
    });
    assert.equal(outcome.result, 'completed');
    assert.equal(outcome.done, 7);
    assert.equal(outcome.failed, 0);

    const remaining = new Set((await stack.control.users()).map((user) => user.id));
    for (const user of stale) assert.ok(!remaining.has(user.id), `${user.externalID} deleted`);
    for (const user of keep) assert.ok(remaining.has(user.id), `${user.externalID} kept`);
    // The shrinking set is always read from its front, never with a growing offset.
    const lists = (await stack.control.log()).filter((call) => call.routeKey === 'GET /users');
    assert.ok(lists.length >= 3);
    assert.ok(lists.every((call) => new URLSearchParams(call.query).get('offset') === '0'));
  });

  it('deletes users deactivated in a window: dry run first, a cancel at the threshold, then the run', async () => {
    const inWindow = await seed(3, { status: 'deactivated', deactivated: '2024-03-10T12:00:00.000Z' });
    const outside = [
      ...(await seed(1, { status: 'deactivated', deactivated: '2024-02-20T12:00:00.000Z' })),
      ...(await seed(1, { status: 'deactivated', deactivated: '2024-04-01T00:00:00.000Z' })),
      ...(await seed(1, { status: 'activated' })),
    ];
    const request = {
      kind: 'deactivated-users',
      deactivatedFrom: '2024-03-01',
      deactivatedBefore: '2024-04-01',
    } as const;

    const dryRun = stack.track(await startCleanup(stack.env.client, { ...request, dryRun: true }));
    const dry = await stack.runWorkers(() => outcomeOf(dryRun.workflowId));
    assert.equal(dry.result, 'dry-run');
    assert.equal(dry.total, 3);
    assert.deepEqual(dry.sample?.map((user) => user.id).sort(), inWindow.map((user) => user.id).sort());
    assert.deepEqual(await writes(), [], 'the dry run only read');

    const guarded = stack.track(await startCleanup(stack.env.client, { ...request, confirmAbove: 2 }));
    const cancelled = await stack.runWorkers(async () => {
      await waitFor(
        () => progressOf(guarded.workflowId),
        (progress) => progress.phase === 'awaiting-confirmation',
        { what: 'the confirmation pause' },
      );
      await supportRunHandle(stack.env.client, guarded.workflowId).signal(cancelBulkRunSignal, {
        reason: 'wrong window',
      });
      return outcomeOf(guarded.workflowId);
    });
    assert.equal(cancelled.result, 'cancelled');
    assert.equal(cancelled.done, 0);
    assert.equal((await stack.control.users()).length, 6);

    const confirmedRun = stack.track(await startCleanup(stack.env.client, request));
    const outcome = await stack.runWorkers(() => outcomeOf(confirmedRun.workflowId));
    assert.equal(outcome.result, 'completed');
    assert.equal(outcome.done, 3);
    const remaining = (await stack.control.users()).map((user) => user.id).sort();
    assert.deepEqual(remaining, outside.map((user) => user.id).sort());
  });
});
