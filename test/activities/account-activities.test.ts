import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { createAccountActivities } from '../../activities/retired/account-activities';
import { StaffbaseClient } from '../../staffbase/client';
import type { SimulatorControl } from '../../simulator/control-client';
import type { RunningSimulator } from '../../simulator/server';
import { newHire } from '../helpers/people';
import { startTestSimulator } from '../helpers/simulator';

/**
 * The real client, except that `createUser` holds every call until `parties` calls have reached it:
 * what the calls did before (their look-ups) has then certainly happened.
 */
function withCreateBarrier(client: StaffbaseClient, parties: number): StaffbaseClient {
  let arrived = 0;
  let open!: () => void;
  const allArrived = new Promise<void>((resolve) => (open = resolve));
  return new Proxy(client, {
    get(target, property) {
      if (property === 'createUser') {
        return async (...args: Parameters<StaffbaseClient['createUser']>) => {
          arrived += 1;
          if (arrived >= parties) open();
          await allArrived;
          return target.createUser(...args);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * The activity functions touch no Temporal context (no `Context.current()`, no heartbeat): they
 * are plain async functions over the Staffbase client, so calling them directly is the same code
 * a worker runs. Everything below goes over real HTTP to the simulator — nothing is mocked.
 */
describe('ensureOnboardingUser against the simulator (real HTTP, no mocks)', () => {
  let simulator: RunningSimulator;
  let control: SimulatorControl;
  let staffbase: StaffbaseClient;
  let activities: ReturnType<typeof createAccountActivities>;

  before(async () => {
    const started = await startTestSimulator();
    simulator = started.simulator;
    control = started.control;
    staffbase = new StaffbaseClient({
      baseUrl: simulator.apiUrl,
      token: started.token,
      requestTimeoutMs: 5_000,
    });
    activities = createAccountActivities(staffbase);
  });
  after(async () => {
    await staffbase?.close();
    await simulator?.close();
  });
  beforeEach(async () => {
    await control.reset();
  });

  const createCalls = async () => (await control.log()).filter((call) => call.routeKey === 'POST /users');

  it('two racing calls for one person (both look-ups miss): one 201, one 409 → re-look-up, one user', async () => {
    const hire = newHire();
    // Each create waits until both calls have reached theirs, so both look-ups (GET
    // /users?filter=externalId…) have missed before either create is sent — the race a retried
    // activity meets, made certain instead of likely.
    const racing = createAccountActivities(withCreateBarrier(staffbase, 2));

    const [first, second] = await Promise.all([
      racing.ensureOnboardingUser({ request: hire, rehirePolicy: 'reactivate' }),
      racing.ensureOnboardingUser({ request: hire, rehirePolicy: 'reactivate' }),
    ]);

    assert.equal(first.userId, second.userId, 'both calls end with the same Staffbase user');
    assert.deepEqual([first.outcome, second.outcome].sort(), ['adopted', 'created']);
    assert.equal(first.status, 'pending');
    assert.equal(second.status, 'pending');

    const users = (await control.users()).filter((user) => user.externalID === hire.externalID);
    assert.equal(users.length, 1, 'exactly one user for the externalID');
    assert.equal(users[0]?.id, first.userId);

    const log = await control.log();
    const lookUps = log.filter((call) => call.routeKey === 'GET /users');
    const creates = log.filter((call) => call.routeKey === 'POST /users');
    assert.deepEqual(
      creates.map((call) => call.status).sort(),
      [201, 409],
      'one 201 and one 409 on POST /users',
    );
    assert.equal(lookUps.length, 3, 'two look-ups that missed, one re-look-up after the 409');
    // The race really happened: the log (in order) has both missing look-ups before either create.
    assert.deepEqual(
      log
        .filter((call) => call.routeKey === 'GET /users' || call.routeKey === 'POST /users')
        .map((call) => call.routeKey)
        .slice(0, 3),
      ['GET /users', 'GET /users', 'POST /users'],
      'both look-ups ran before either create',
    );
    assert.equal(
      (await control.outbox()).filter((mail) => mail.externalID === hire.externalID).length,
      1,
      'one invitation mail',
    );
  });

  it("a conflict on someone else's email stays a non-retryable failure and creates nothing", async () => {
    const someoneElse = newHire();
    await control.seedUser({
      externalID: someoneElse.externalID,
      userName: someoneElse.userName,
      emails: [{ value: someoneElse.email, primary: true }],
    });
    const hire = newHire({ email: someoneElse.email }); // a different externalID, a taken email

    await assert.rejects(
      () => activities.ensureOnboardingUser({ request: hire, rehirePolicy: 'reactivate' }),
      (error: unknown) => {
        assert.ok(error instanceof ApplicationFailure, `an ApplicationFailure, got ${String(error)}`);
        assert.equal(error.nonRetryable, true);
        assert.equal(error.type, 'StaffbaseConflictError');
        return true;
      },
    );

    const users = await control.users();
    assert.deepEqual(
      users.map((user) => user.externalID),
      [someoneElse.externalID],
      'nothing created',
    );
    assert.deepEqual(
      (await createCalls()).map((call) => call.status),
      [409],
    );
    assert.equal((await control.outbox()).length, 0, 'no invitation mail');
  });
});
