/**
 * Fast unit tests of the support workflows' branches: the real workflow code on the time-skipping
 * server, with stubbed one-request activities (no simulator), so each branch needs no elaborate
 * set-up and a failure points at the workflow. The real-stack tests (support-single, support-bulk)
 * cover the same runs end to end.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { createBulkSafetyActivities } from '../../activities/bulk-safety-activities';
import type { MatchingUsersQuery, SupportActivities } from '../../activities/support-activities';
import type { UserView } from '../../activities/support-views';
import type { AccountRead } from '../../lifecycle/account-guards';
import type { CleanupCandidateRead } from '../../lifecycle/support-guards';
import {
  defaultBulkTuning,
  type CleanupInput,
  type PopulationLogoutInput,
} from '../../lifecycle/support-inputs';
import { taskQueues } from '../../lifecycle/task-queues';
import type { BulkOutcome, MoverOutcome, RecoveryCodeOutcome } from '../../workflows/support-messages';
import { testDataConverter } from '../helpers/encryption';
import { startTimeSkippingEnvironment, workflowBundle } from '../helpers/temporal';

/** An activity's stub may answer at once. */
type Stub<F> = F extends (...args: infer A) => Promise<infer R> ? (...args: A) => R | Promise<R> : never;
type Stubs = { [K in keyof SupportActivities]?: Stub<SupportActivities[K]> } & {
  readAccount?: (staffbaseUserId: string) => AccountRead;
};

const person = (overrides: Partial<UserView> = {}): UserView => ({
  id: 'u1',
  externalID: 'E1',
  emails: [{ value: 'ada@example.test', primary: true }],
  status: 'activated',
  groupIDs: [],
  profile: {},
  ...overrides,
});

describe('support workflows with stubbed activities (time-skipping server)', () => {
  let env: TestWorkflowEnvironment;
  let runs = 0;

  before(async () => {
    env = await startTimeSkippingEnvironment();
  });
  after(async () => {
    await env?.teardown();
  });

  /** Runs one workflow to its end with `stubs` as the Staffbase activities; records their calls. */
  async function run<R>(workflowType: string, args: unknown[], stubs: Stubs) {
    const calls: string[] = [];
    const activities = Object.fromEntries(
      Object.entries(stubs).map(([name, stub]) => [
        name,
        (...input: unknown[]) => {
          calls.push(name);
          return Promise.resolve((stub as (...a: unknown[]) => unknown)(...input));
        },
      ]),
    );
    const workflowWorker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: taskQueues.lifecycle,
      workflowBundle: await workflowBundle(require.resolve('../../workflows')),
      // The bulk runs read the worker's thresholds on this queue: the real activity, its defaults.
      activities: createBulkSafetyActivities(),
      dataConverter: testDataConverter,
    });
    const activityWorker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: taskQueues.staffbaseApi,
      activities,
      dataConverter: testDataConverter,
    });
    runs += 1;
    const result = workflowWorker.runUntil(
      activityWorker.runUntil(
        env.client.workflow.execute(workflowType, {
          taskQueue: taskQueues.lifecycle,
          workflowId: `unit-${workflowType}-${process.pid}-${runs}`,
          args,
        }) as Promise<R>,
      ),
    );
    return { result, calls };
  }

  describe('mover', () => {
    const change = { externalID: 'E1', lastName: 'King', addToGroups: ['g1'] };

    it('reads, writes what differs, adds the missing group: one request each', async () => {
      const { result, calls } = await run<MoverOutcome>('mover', [change], {
        lookUpUser: () => person({ lastName: 'Lovelace' }),
        updateUserFields: () => 'updated',
        addUserToGroup: () => ({ result: 'added' }),
      });
      const outcome = await result;
      assert.equal(outcome.result, 'changed');
      assert.deepEqual(outcome.changedFields, ['lastName']);
      assert.deepEqual(outcome.addedGroups, ['g1']);
      assert.deepEqual(calls, ['lookUpUser', 'updateUserFields', 'addUserToGroup']);
    });

    it('changes nothing when the change is in place', async () => {
      const { result, calls } = await run<MoverOutcome>('mover', [change], {
        lookUpUser: () => person({ lastName: 'King', groupIDs: ['g1'] }),
      });
      assert.equal((await result).result, 'unchanged');
      assert.deepEqual(calls, ['lookUpUser']);
    });

    it('is user-not-found when the account went between the read and the write', async () => {
      const { result } = await run<MoverOutcome>('mover', [change], {
        lookUpUser: () => person(),
        updateUserFields: () => 'user-not-found',
      });
      assert.equal((await result).result, 'user-not-found');
    });

    it('reads the account after a refused group add: gone is user-not-found, present fails the run', async () => {
      const refused = { lookUpUser: () => person({ lastName: 'King' }) };
      const gone = await run<MoverOutcome>('mover', [change], {
        ...refused,
        addUserToGroup: () => ({ result: 'refused', message: 'unknown user' }),
        readAccount: () => ({ result: 'gone' }),
      });
      assert.equal((await gone.result).result, 'user-not-found');
      assert.deepEqual(gone.calls, ['lookUpUser', 'addUserToGroup', 'readAccount']);

      const present = await run<MoverOutcome>('mover', [change], {
        ...refused,
        addUserToGroup: () => ({ result: 'refused', message: 'no such group' }),
        readAccount: () => ({
          result: 'found',
          account: { staffbaseUserId: 'u1', externalID: 'E1', status: 'activated' },
        }),
      });
      await assert.rejects(present.result, (error: unknown) => {
        assert.ok(error instanceof WorkflowFailedError, String(error));
        assert.match(String(error.cause?.message), /no such group/);
        return true;
      });
    });
  });

  describe('recovery code', () => {
    const request = { externalID: 'E1' };

    it('sends after the read when the record shows a non-SSO user', async () => {
      const { result, calls } = await run<RecoveryCodeOutcome>('recoveryCode', [request], {
        lookUpUser: () => person({ creationType: 'direct' }),
        sendRecoveryCodeTo: () => ({ result: 'sent' }),
      });
      assert.equal((await result).result, 'sent');
      assert.deepEqual(calls, ['lookUpUser', 'sendRecoveryCodeTo']);
    });

    it('asks the SSO filter only when the record does not say, and refuses an SSO user', async () => {
      const { result, calls } = await run<RecoveryCodeOutcome>('recoveryCode', [request], {
        lookUpUser: () => person(),
        isSsoUser: () => true,
      });
      const outcome = await result;
      assert.equal(outcome.result, 'refused');
      assert.equal(outcome.refusal, 'sso-user');
      assert.deepEqual(calls, ['lookUpUser', 'isSsoUser']);
    });

    it('refuses from the record alone: pending, no email, SSO by creationType', async () => {
      for (const [user, refusal] of [
        [person({ status: 'pending' }), 'not-activated'],
        [person({ emails: [{ value: ' ', primary: true }] }), 'no-email'],
        [person({ creationType: 'SSO' }), 'sso-user'],
      ] as const) {
        const { result, calls } = await run<RecoveryCodeOutcome>('recoveryCode', [request], {
          lookUpUser: () => user,
        });
        assert.equal((await result).refusal, refusal);
        assert.deepEqual(calls, ['lookUpUser']);
      }
    });

    it("reports Staffbase's own refusal and a user gone before the send", async () => {
      const refused = await run<RecoveryCodeOutcome>('recoveryCode', [request], {
        lookUpUser: () => person({ creationType: 'direct' }),
        sendRecoveryCodeTo: () => ({ result: 'refused', message: 'HTTP 400' }),
      });
      const outcome = await refused.result;
      assert.equal(outcome.refusal, 'refused-by-staffbase');
      assert.equal(outcome.reason, 'HTTP 400');
      const gone = await run<RecoveryCodeOutcome>('recoveryCode', [request], {
        lookUpUser: () => person({ creationType: 'direct' }),
        sendRecoveryCodeTo: () => ({ result: 'user-not-found' }),
      });
      assert.equal((await gone.result).result, 'user-not-found');
    });
  });

  /** A population to page through, by offset, as Staffbase lists it. */
  const listing = (ids: string[]) => (query: MatchingUsersQuery) => ({
    result: 'page' as const,
    total: ids.length,
    ids: ids.slice(query.offset, query.offset + query.limit),
  });

  describe('clean-up', () => {
    const input: CleanupInput = {
      kind: 'pending-accounts',
      olderThanDays: 30,
      dryRun: false,
      confirmAbove: 50,
      maxFailures: 10,
      ...defaultBulkTuning,
    };

    it('reads each listed user right before deleting it, and deletes only who still matches', async () => {
      const users = ['u1', 'u2', 'u3'];
      const reads: Record<string, CleanupCandidateRead> = {
        u1: {
          result: 'found',
          account: { staffbaseUserId: 'u1', status: 'pending', created: '2020-01-01T00:00:00Z' },
        },
        // Accepted the invitation meanwhile: stays.
        u2: {
          result: 'found',
          account: { staffbaseUserId: 'u2', status: 'activated', created: '2020-01-01T00:00:00Z' },
        },
        u3: { result: 'gone' },
      };
      const deleted: string[] = [];
      let lists = 0;
      // The first list shows all three as pending; later ones only who still is (as Staffbase filters).
      const stillPending = (id: string) => {
        const read = reads[id];
        return read?.result === 'found' && read.account.status === 'pending';
      };
      const { result, calls } = await run<BulkOutcome>('accountCleanup', [input], {
        listMatchingUsers: (query) => {
          lists += 1;
          return listing(lists === 1 ? users : users.filter(stillPending))(query);
        },
        readCleanupCandidate: (id) => reads[id] ?? { result: 'gone' },
        deleteCleanupAccount: (id) => {
          deleted.push(id);
          delete reads[id];
          return 'deleted';
        },
      });
      const outcome = await result;
      assert.equal(outcome.result, 'completed');
      assert.deepEqual(deleted, ['u1']);
      assert.equal(outcome.done, 1);
      assert.equal(outcome.skipped, 2);
      assert.equal(calls.filter((name) => name === 'deleteCleanupAccount').length, 1);
    });
  });

  describe('population logout', () => {
    const input: PopulationLogoutInput = {
      filter: 'groups eq "g1"',
      statuses: ['activated'],
      dryRun: false,
      maxFailures: 10,
      ...defaultBulkTuning,
      pageSize: 2,
      parallelism: 1,
    };

    it('steps back when users before the cursor disappear mid-run: nobody skipped, nobody twice', async () => {
      const population = ['u1', 'u2', 'u3', 'u4', 'u5'];
      const loggedOut: string[] = [];
      const { result } = await run<BulkOutcome>('populationLogout', [input], {
        listMatchingUsers: (query) => listing(population)(query),
        logoutUserById: (id) => {
          loggedOut.push(id);
          // Someone deletes u1 by hand once the first page is done.
          if (id === 'u2') population.splice(population.indexOf('u1'), 1);
          return 'logged-out';
        },
      });
      const outcome = await result;
      assert.equal(outcome.result, 'completed');
      assert.deepEqual(loggedOut, ['u1', 'u2', 'u3', 'u4', 'u5']);
      assert.equal(outcome.done, 5);
    });

    it('counts a user gone meanwhile as skipped and stops above maxFailures', async () => {
      const { result } = await run<BulkOutcome>('populationLogout', [{ ...input, maxFailures: 0 }], {
        listMatchingUsers: listing(['u1', 'u2']),
        logoutUserById: (id) => {
          if (id === 'u1') return 'user-gone';
          throw ApplicationFailure.nonRetryable('HTTP 403', 'StaffbaseAuthError');
        },
      });
      const outcome = await result;
      assert.equal(outcome.result, 'too-many-failures');
      assert.equal(outcome.skipped, 1);
      assert.equal(outcome.failed, 1);
      assert.match(outcome.failures[0]?.reason ?? '', /HTTP 403/);
    });
  });
});
