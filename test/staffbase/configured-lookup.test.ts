/**
 * STAFFBASE_FILTER_SPACE_ENCODING and STAFFBASE_LOOKUP_MODE as the worker reads them, and the client
 * configured with them against the simulator: `+` goes on the wire where configured (and a tenant that
 * refuses it refuses the look-up), `path` looks up by path from the first request, `filter` never
 * switches, not even after a refusal.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { staffbaseConfigFromEnv } from '../../config/staffbase';
import { ConfigError } from '../../config/config-error';
import { encodeQueryValue } from '../../staffbase/api-choices';
import { StaffbaseClient } from '../../staffbase/client';
import { type StaffbaseClientConfig } from '../../staffbase/config';
import { StaffbaseValidationError } from '../../staffbase/errors';
import { withExternalIdLookupDecided } from '../../staffbase/external-id-lookup';
import { type SimulatorControl } from '../../simulator/control-client';
import { type RunningSimulator } from '../../simulator/server';
import { startTestSimulator } from '../helpers/simulator';

const quiet = { info: () => undefined, warn: () => undefined };

describe('STAFFBASE_FILTER_SPACE_ENCODING and STAFFBASE_LOOKUP_MODE', () => {
  it('default to %20 and auto, take the listed values, and name the variable of a bad one', () => {
    assert.deepEqual(
      (({ filterSpaceEncoding, lookupMode }) => ({ filterSpaceEncoding, lookupMode }))(
        staffbaseConfigFromEnv({}),
      ),
      { filterSpaceEncoding: '%20', lookupMode: 'auto' },
    );
    const set = staffbaseConfigFromEnv({
      STAFFBASE_FILTER_SPACE_ENCODING: '+',
      STAFFBASE_LOOKUP_MODE: 'path',
    });
    assert.equal(set.filterSpaceEncoding, '+');
    assert.equal(set.lookupMode, 'path');
    assert.throws(
      () => staffbaseConfigFromEnv({ STAFFBASE_FILTER_SPACE_ENCODING: '%2B', STAFFBASE_LOOKUP_MODE: 'fast' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /STAFFBASE_FILTER_SPACE_ENCODING/.test(error.message) &&
        /STAFFBASE_LOOKUP_MODE/.test(error.message),
    );
  });

  it('encodes a space as configured, and a literal + always as %2B', () => {
    assert.equal(encodeQueryValue('a b+c'), 'a%20b%2Bc');
    assert.equal(encodeQueryValue('a b+c', '+'), 'a+b%2Bc');
  });
});

describe('a client configured with them, against the simulator', () => {
  let simulator: RunningSimulator;
  let control: SimulatorControl;
  let token: string;
  const clients: StaffbaseClient[] = [];
  const client = (config: Partial<StaffbaseClientConfig>) => {
    const created = new StaffbaseClient({ baseUrl: simulator.apiUrl, token, logger: quiet, ...config });
    clients.push(created);
    return created;
  };

  before(async () => {
    ({ simulator, control, token } = await startTestSimulator());
  });
  after(async () => {
    await Promise.all(clients.map((entry) => entry.close()));
    await simulator.close();
  });
  beforeEach(async () => {
    await control.reset();
    await control.setShapes('default');
  });

  it('sends spaces as + when configured; a tenant that refuses + refuses the look-up', async () => {
    const seeded = await control.seedUser({ externalID: 'enc-1', userName: 'enc.one', status: 'pending' });
    const plus = client({ filterSpaceEncoding: '+' });
    assert.equal(
      (await withExternalIdLookupDecided(() => plus.findUserByExternalId('enc-1')))?.id,
      seeded.id,
    );
    const [listed] = (await control.log()).filter((call) => call.routeKey === 'GET /users');
    assert.match(listed?.query ?? '', /filter=[^&]*\+eq\+/);
    assert.doesNotMatch(listed?.query ?? '', /%20/);

    await control.setShapes('filter-refuses-plus');
    const refused = client({ filterSpaceEncoding: '+', lookupMode: 'filter' });
    await assert.rejects(refused.findUserByExternalId('enc-1'), StaffbaseValidationError);
    const percent = client({});
    assert.equal(
      (await withExternalIdLookupDecided(() => percent.findUserByExternalId('enc-1')))?.id,
      seeded.id,
    );
  });

  it('path: the first look-up is GET /users/{externalID}, no filter and no control query', async () => {
    const seeded = await control.seedUser({ externalID: 'path-1', userName: 'path.one' });
    const byPath = client({ lookupMode: 'path' });
    assert.equal(byPath.externalIdLookupMode, 'path');
    assert.equal((await byPath.findUserByExternalId('path-1'))?.id, seeded.id);
    const calls = (await control.log()).map((call) => call.routeKey);
    assert.deepEqual(calls, ['GET /users/:id']);
  });

  it('filter: a refused `externalId eq` stays an error, no control query, no switch', async () => {
    await control.setShapes('externalid-presence-only');
    await control.seedUser({ externalID: 'filter-1', userName: 'filter.one' });
    const byFilter = client({ lookupMode: 'filter' });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      await assert.rejects(byFilter.findUserByExternalId('filter-1'), StaffbaseValidationError);
    }
    assert.equal(byFilter.externalIdLookupMode, 'filter');
    const filters = (await control.log()).map((call) => new URLSearchParams(call.query).get('filter') ?? '');
    assert.equal(filters.length, 2);
    for (const filter of filters) assert.match(filter, /externalId eq "filter-1"/);
  });
});
