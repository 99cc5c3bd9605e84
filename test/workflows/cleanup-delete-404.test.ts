import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startCleanup, supportRunHandle } from '../../client/support-runs';
import { defaultCleanupPolicy } from '../../lifecycle/support-requests';
import type { BulkOutcome } from '../../workflows/support-messages';
import { type LifecycleTestStack, useLifecycleTestStack } from '../helpers/lifecycle-stack';
import { uniqueSuffix } from '../helpers/people';

const daysAgo = (nowMs: number, days: number) => new Date(nowMs - days * 86_400_000).toISOString();

/**
 * Issue 27, patch `cleanup-delete-404-confirmed`: a clean-up's DELETE answered 404 counts as gone only
 * when a GET by id also answers 404 and the externalID look-up finds nothing; an account still there
 * counts as failed with reason `not-permitted`. Dev server, real activities, the simulator.
 */
describe('clean-up: a DELETE answered 404 is confirmed by a read (dev server, simulator)', () => {
  let stack: LifecycleTestStack;
  useLifecycleTestStack(
    { server: 'dev-server', staffbaseRequestsPerSecond: 100, resetSimulatorBeforeEach: true },
    (started) => (stack = started),
  );

  it('fails the user whose DELETE was not permitted, skips the one really gone, deletes the rest', async () => {
    const now = await stack.env.currentTimeMs();
    const stale = [];
    for (let i = 0; i < 3; i += 1) {
      const id = uniqueSuffix();
      stale.push(
        await stack.control.seedUser({
          externalID: `stale-${id}`,
          userName: `stale.${id}`,
          emails: [{ value: `stale.${id}@example.test`, primary: true }],
          status: 'pending',
          created: daysAgo(now, 40),
        }),
      );
    }
    // The first DELETE answers 404 and deletes nothing; the second deletes and still answers 404.
    await stack.control.setFaults([
      { route: 'DELETE /users/:id', failNext: 1, lostReplyNext: 1, errorStatus: 404 },
    ]);
    const run = stack.track(
      await startCleanup(
        stack.env.client,
        { kind: 'pending-accounts', olderThanDays: 30, pageSize: 10 },
        { ...defaultCleanupPolicy },
      ),
    );
    const outcome = await stack.runWorkers(
      () => supportRunHandle(stack.env.client, run.workflowId).result() as Promise<BulkOutcome>,
    );
    assert.equal(outcome.result, 'completed');
    assert.equal(outcome.done, 1, 'one deleted');
    assert.equal(outcome.skipped, 1, 'the one really gone, as before');
    assert.equal(outcome.failed, 1, 'the one Staffbase did not permit');
    assert.equal(outcome.failures.length, 1);
    const failure = outcome.failures[0];
    assert.match(failure?.reason ?? '', /^not-permitted: /);

    const remaining = (await stack.control.users()).map((user) => user.id);
    assert.deepEqual(remaining, [failure?.staffbaseUserId], 'only the not-permitted account is still there');
    const deletes = (await stack.control.log()).filter((call) => call.routeKey === 'DELETE /users/:id');
    assert.equal(deletes.length, 3, 'no DELETE sent twice');
  });
});
