import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type SimulatorControl } from '../../simulator/control-client';
import { apiCaller, errorOf, TEST_TOKEN, type ApiCaller, useTestSimulator } from '../helpers/simulator';
import type { RunningSimulator } from '../../simulator/server';

let control: SimulatorControl;
let api: ApiCaller;
let simulator: RunningSimulator;

useTestSimulator((suite) => ({ control, api, simulator } = suite));

/** What the needs-attention tests rely on: refusals a person must fix, on demand. */
describe('refusals (403 on chosen routes, token rotation)', () => {
  it('answers 403 with the Staffbase envelope on the chosen route only', async () => {
    await control.setFaults([{ route: 'DELETE /users/:id/sessions', failNext: 1, errorStatus: 403 }]);
    const user = await control.seedUser({ externalID: 'R-1', status: 'activated' });
    const refused = await api('DELETE', `/users/${user?.id}/sessions`);
    assert.equal(refused.status, 403);
    assert.equal(errorOf(refused).type, 'ForbiddenError');
    assert.equal(errorOf(refused).statusCode, 403);
    assert.equal((await api('GET', `/users/${user?.id}`)).status, 200, 'other routes answer');
    assert.equal((await api('DELETE', `/users/${user?.id}/sessions`)).status, 204, 'only the next one');
  });

  it('rotates the accepted token: the old one is refused 401 until a reset puts it back', async () => {
    await control.setAcceptedToken('cm90YXRlZDp0b2tlbg==');
    const refused = await api('GET', '/users');
    assert.equal(refused.status, 401);
    assert.equal(errorOf(refused).type, 'UnauthorizedError');
    const rotated = apiCaller(simulator, 'cm90YXRlZDp0b2tlbg==');
    assert.equal((await rotated('GET', '/users')).status, 200);
    await control.reset();
    assert.equal(
      (await api('GET', '/users')).status,
      200,
      `the start token ${TEST_TOKEN.slice(0, 4)}… again`,
    );
  });
});
