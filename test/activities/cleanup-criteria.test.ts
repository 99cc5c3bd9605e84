/**
 * Clean-up deletions re-check the account, read right before the DELETE, against the run's
 * criteria (status and dates), not only the filter Staffbase applied when listing.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { StaffbaseClient } from '../../staffbase/client';
import type { StaffbaseUser } from '../../staffbase/schemas';
import { createRetiredActivities, type RetiredActivities } from '../../activities/retired';
import { createSupportActivities, type SupportActivities } from '../../activities/support-activities';
import { stillMatchesCleanup } from '../../lifecycle/support-guards';
import type { SimulatorControl } from '../../simulator/control-client';
import type { RunningSimulator } from '../../simulator/server';
import { startTestSimulator } from '../helpers/simulator';

const user = (overrides: Partial<StaffbaseUser>): StaffbaseUser =>
  ({
    id: 'u1',
    externalID: 'E1',
    emails: [],
    status: 'pending',
    created: '2026-01-10T00:00:00.000Z',
    deactivated: null,
    ...overrides,
  }) as StaffbaseUser;

describe('stillMatchesCleanup', () => {
  it('needs the status and a creation before the cut-off for pending accounts', () => {
    const criteria = { status: 'pending' as const, createdBefore: '2026-02-01T00:00:00.000Z' };
    assert.equal(stillMatchesCleanup(user({}), criteria), true);
    assert.equal(stillMatchesCleanup(user({ created: '2026-02-01T00:00:00.000Z' }), criteria), false);
    assert.equal(stillMatchesCleanup(user({ status: 'activated' }), criteria), false);
    assert.equal(
      stillMatchesCleanup(user({ created: null }), criteria),
      false,
      'an unknown date never matches',
    );
  });

  it('needs a deactivation inside [from, before) for deactivated users', () => {
    const criteria = {
      status: 'deactivated' as const,
      deactivatedFrom: '2026-03-01T00:00:00.000Z',
      deactivatedBefore: '2026-04-01T00:00:00.000Z',
    };
    const deactivated = (at: string | null) => user({ status: 'deactivated', deactivated: at });
    assert.equal(stillMatchesCleanup(deactivated('2026-03-01T00:00:00.000Z'), criteria), true);
    assert.equal(stillMatchesCleanup(deactivated('2026-03-31T23:59:59.000Z'), criteria), true);
    assert.equal(stillMatchesCleanup(deactivated('2026-04-01T00:00:00.000Z'), criteria), false);
    assert.equal(stillMatchesCleanup(deactivated('2026-02-28T00:00:00.000Z'), criteria), false);
    assert.equal(stillMatchesCleanup(deactivated(null), criteria), false);
  });
});

describe('clean-up deletion against the simulator', () => {
  let simulator: RunningSimulator;
  let control: SimulatorControl;
  let staffbase: StaffbaseClient;
  /** With the retired several-call activities that runs recorded before issue #13 still schedule. */
  let activities: SupportActivities & RetiredActivities;

  before(async () => {
    const started = await startTestSimulator();
    ({ simulator, control } = started);
    staffbase = new StaffbaseClient({ baseUrl: simulator.apiUrl, token: started.token });
    activities = { ...createSupportActivities(staffbase), ...createRetiredActivities(staffbase) };
  });
  after(async () => {
    await staffbase?.close();
    await simulator?.close();
  });
  beforeEach(async () => {
    await control.reset();
  });

  it('keeps a pending account created after the cut-off, deletes one created before it', async () => {
    const old = await control.seedUser({
      externalID: 'C1',
      userName: 'c1',
      status: 'pending',
      created: '2026-01-05T00:00:00.000Z',
    });
    const fresh = await control.seedUser({
      externalID: 'C2',
      userName: 'c2',
      status: 'pending',
      created: '2026-03-05T00:00:00.000Z',
    });
    const criteria = { status: 'pending' as const, createdBefore: '2026-02-01T00:00:00.000Z' };
    assert.equal(
      await activities.deleteUserInStatus({ staffbaseUserId: fresh.id, ...criteria }),
      'no-longer-matching',
    );
    assert.equal(await activities.deleteUserInStatus({ staffbaseUserId: old.id, ...criteria }), 'deleted');
    assert.ok(await control.user(fresh.id), 'the fresh account is still there');
    assert.equal(await control.user(old.id), undefined);
  });

  it('keeps a user deactivated again after the window (reactivated and deactivated since)', async () => {
    const leaver = await control.seedUser({
      externalID: 'C3',
      userName: 'c3',
      status: 'deactivated',
      deactivated: '2026-03-10T00:00:00.000Z',
    });
    const criteria = {
      status: 'deactivated' as const,
      deactivatedFrom: '2026-03-01T00:00:00.000Z',
      deactivatedBefore: '2026-04-01T00:00:00.000Z',
    };
    await control.setStatusByHand(leaver.id, 'activated');
    await control.setStatusByHand(leaver.id, 'deactivated'); // now: deactivated today, outside the window
    assert.equal(
      await activities.deleteUserInStatus({ staffbaseUserId: leaver.id, ...criteria }),
      'no-longer-matching',
    );
    assert.ok(await control.user(leaver.id));
  });

  it('shows the dates in dry-run samples', async () => {
    await control.seedUser({
      externalID: 'C4',
      userName: 'c4',
      status: 'pending',
      created: '2026-01-05T00:00:00.000Z',
    });
    const page = await activities.listMatchingUsers({
      filter: 'created lt "2026-02-01T00:00:00.000Z"',
      statuses: ['pending'],
      offset: 0,
      limit: 10,
      detail: 'summary',
    });
    assert.equal(page.result, 'page');
    const summaries = page.result === 'page' ? (page.summaries ?? []) : [];
    assert.equal(summaries.length, 1);
    assert.equal(summaries[0]?.created, '2026-01-05T00:00:00.000Z');
  });
});
