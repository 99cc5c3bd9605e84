/**
 * The batched look-up's Staffbase activity against the simulator over real HTTP (nothing mocked): one
 * list request for a batch, the single look-up's exact-match rules, and "look up alone" wherever the
 * answer cannot say "not found" as surely as the single look-up would. (A tenant refusing the `or`
 * logs a warning, which needs an activity context: test/workflows/bulk-offboarding.test.ts has it.)
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createBatchedLookupActivities } from '../../activities/batched-lookup-activities';
import { StaffbaseClient } from '../../staffbase/client';
import type { SimulatorControl } from '../../simulator/control-client';
import type { RunningSimulator } from '../../simulator/server';
import { seedLeaver } from '../helpers/offboarding-runs';
import { uniqueSuffix } from '../helpers/people';
import { startTestSimulator } from '../helpers/simulator';

describe('findAccountsByExternalIds against the simulator (real HTTP, no mocks)', () => {
  let simulator: RunningSimulator;
  let control: SimulatorControl;
  let token: string;
  const clients: StaffbaseClient[] = [];
  const activitiesWith = (lookupMode?: 'path') => {
    const client = new StaffbaseClient({
      baseUrl: simulator.apiUrl,
      token,
      requestTimeoutMs: 5_000,
      ...(lookupMode && { lookupMode }),
    });
    clients.push(client);
    return createBatchedLookupActivities(client);
  };

  before(async () => {
    const started = await startTestSimulator();
    simulator = started.simulator;
    control = started.control;
    token = started.token;
  });
  after(async () => {
    for (const client of clients) await client.close();
    await simulator?.close();
  });
  beforeEach(async () => {
    await control.reset();
  });

  /** An activated, a pending and a deactivated account, and an externalID nobody has. */
  async function seedBatch() {
    const activated = await seedLeaver(control, { sessions: 0 });
    const pending = await control.seedUser({ externalID: `pending-${uniqueSuffix()}`, status: 'pending' });
    const deactivated = await control.seedUser({
      externalID: `gone-${uniqueSuffix()}`,
      status: 'deactivated',
    });
    const missing = `nobody-${uniqueSuffix()}`;
    return { activated, pending, deactivated, missing };
  }

  it('answers a batch with one list request: found in any managed status, nobody = gone', async () => {
    const people = await seedBatch();
    const asked = [
      people.activated.externalID,
      people.pending.externalID ?? '',
      people.deactivated.externalID ?? '',
      people.missing,
    ];
    const before = Date.now();
    const read = await activitiesWith().findAccountsByExternalIds(asked);
    assert.ok(read.readAt >= before && read.readAt <= Date.now());
    const activated = read.answers[people.activated.externalID];
    assert.ok(activated?.result === 'found');
    assert.equal(activated.account.staffbaseUserId, people.activated.id);
    assert.equal(activated.account.status, 'activated');
    assert.equal(read.answers[asked[1] ?? '']?.result, 'found');
    const deactivated = read.answers[asked[2] ?? ''];
    assert.ok(deactivated?.result === 'found' && deactivated.account.status === 'deactivated');
    assert.ok(deactivated.account.deactivationMark, 'the deactivation mark the deletion compares against');
    assert.deepEqual(read.answers[people.missing], { result: 'gone' });
    assert.equal((await control.log()).length, 1, 'one request for the whole batch');
  });

  it('an answer holding people nobody asked for (contacts, deleted users) cannot say "gone": look up alone', async () => {
    await control.setShapes('unmanaged-users');
    const people = await seedBatch();
    const read = await activitiesWith().findAccountsByExternalIds([
      people.activated.externalID,
      people.missing,
    ]);
    assert.equal(read.answers[people.activated.externalID]?.result, 'found');
    assert.deepEqual(read.answers[people.missing], { result: 'look-up-alone' });
  });

  it('a client that looks people up by path (STAFFBASE_LOOKUP_MODE=path) sends nothing: look up alone', async () => {
    const people = await seedBatch();
    const read = await activitiesWith('path').findAccountsByExternalIds([people.activated.externalID]);
    assert.deepEqual(read.answers[people.activated.externalID], { result: 'look-up-alone' });
    assert.equal((await control.log()).length, 0);
  });

  it('refuses more than 50 people per batch', async () => {
    const ids = Array.from({ length: 51 }, (_, index) => `emp-${index}`);
    await assert.rejects(() => activitiesWith().findAccountsByExternalIds(ids), /at most 50/);
    assert.equal((await control.log()).length, 0);
  });
});
