/**
 * `staffbase-lifecycle doctor` against the simulator in every response-shape profile: the report
 * names every check with the verdict that profile must give, `--write` leaves no user behind, and a
 * tenant that would break runs makes the command fail.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type DoctorReport, type Verdict } from '../../../client/doctor/report';
import { type SimulatorControl } from '../../../simulator/control-client';
import { type RunningSimulator } from '../../../simulator/server';
import { SHAPE_PROFILES, parseShapes, type ShapeVariant } from '../../../simulator/shapes';
import { startTestSimulator } from '../../helpers/simulator';
import { cliInProcess } from '../cli/run-cli';

const doctor = (args: string[], env: Record<string, string>) => cliInProcess(['doctor', ...args], env);

const WRITE_CHECKS = [
  'token-level',
  'create',
  'externalid-pending',
  'invitation-secret',
  'recovery-pending',
  'group-membership',
  'duplicate-create',
  'partial-update',
  'profile-update',
  'profile-placement',
  'deactivate',
  'externalid-deactivated',
  'reactivate',
  'logout',
  'delete',
  'delete-404',
  'cleanup',
];

/** The verdict each check must give in a profile: `differs` exactly where the profile changes a shape. */
function expectedVerdicts(variants: ShapeVariant[]): Record<string, Verdict> {
  const differsIf = (variant: ShapeVariant): Verdict => (variants.includes(variant) ? 'differs' : 'ok');
  const createVariant = variants.includes('create-location-only') || variants.includes('create-no-content');
  return {
    auth: 'ok',
    'user-agent': 'ok',
    'list-envelope': 'ok',
    'list-max-limit': 'ok',
    'list-role': differsIf('role-object'),
    'list-timestamps': differsIf('epoch-timestamps'),
    'list-statuses': differsIf('unmanaged-users'),
    'user-role': differsIf('role-object'),
    'user-timestamps': differsIf('epoch-timestamps'),
    'externalid-filter': differsIf('externalid-presence-only'),
    'externalid-path': 'ok',
    'filter-space-encoding': 'ok',
    'media-type': 'ok',
    deprecation: 'ok',
    'list-all-statuses': 'ok',
    'username-type': 'ok',
    'rate-limit': 'ok',
    ...Object.fromEntries(WRITE_CHECKS.map((id) => [id, 'ok'])),
    create: createVariant ? 'differs' : 'ok',
    // The simulator refuses recovery for a pending user (400), as a tenant without an account to recover may.
    'recovery-pending': 'differs',
  };
}

/** The settings a profile must recommend: %20 always (the simulator reads it), path where externalId eq is refused. */
function expectedRecommendations(variants: ShapeVariant[]) {
  return [
    {
      variable: 'STAFFBASE_LOOKUP_MODE',
      value: variants.includes('externalid-presence-only') ? 'path' : 'filter',
    },
    { variable: 'STAFFBASE_FILTER_SPACE_ENCODING', value: '%20' },
    // The profile probes: how this profile's PUT treats `profile`, and where it keeps system fields.
    {
      variable: 'STAFFBASE_PROFILE_UPDATE',
      value: variants.includes('profile-put-replaces') ? 'replace' : 'merge',
    },
    {
      variable: 'STAFFBASE_PROFILE_PLACEMENT',
      value: variants.includes('system-fields-in-profile') ? 'profile' : 'top-level',
    },
  ];
}

/** Fast burst in tests: 20 GETs at 200/s. */
const FAST = { STAFFBASE_REQUESTS_PER_SECOND: '200' };

for (const profile of Object.keys(SHAPE_PROFILES)) {
  describe(`doctor against the simulator, shape profile ${profile}`, () => {
    let simulator: RunningSimulator;
    let control: SimulatorControl;
    let env: Record<string, string>;
    const seeded = ['doc-active', 'doc-pending', 'doc-deactivated'];

    before(async () => {
      const started = await startTestSimulator({ shapes: profile });
      ({ simulator, control } = started);
      const variants = parseShapes(profile);
      env = {
        STAFFBASE_BASE_URL: simulator.apiUrl,
        STAFFBASE_API_TOKEN: started.token,
        ...FAST,
        // The profile settings that match this profile's user model (placement-checks.test.ts
        // covers the mismatches).
        STAFFBASE_PROFILE_PLACEMENT: variants.includes('system-fields-in-profile') ? 'profile' : 'top-level',
        STAFFBASE_PROFILE_UPDATE: variants.includes('profile-put-replaces') ? 'replace' : 'merge',
      };
      await control.seedUser({ externalID: 'doc-active', userName: 'doc.active' });
      await control.seedUser({ externalID: 'doc-pending', userName: 'doc.pending', status: 'pending' });
      await control.seedUser({
        externalID: 'doc-deactivated',
        userName: 'doc.deactivated',
        status: 'deactivated',
      });
    });
    after(async () => {
      await simulator.close();
    });

    it('--write reports every check with the verdict this profile must give and leaves no user behind', async () => {
      const run = await doctor(['--write', '--json', '--group', 'doctor-group'], env);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      const report = JSON.parse(run.stdout) as DoctorReport;
      const verdicts = Object.fromEntries(report.checks.map((entry) => [entry.id, entry.verdict]));
      assert.deepEqual(verdicts, expectedVerdicts(parseShapes(profile)));
      assert.deepEqual(report.recommendations, expectedRecommendations(parseShapes(profile)));
      const byId = Object.fromEntries(report.checks.map((entry) => [entry.id, entry]));
      assert.deepEqual(byId['filter-space-encoding']?.details, {
        '%20': 200,
        '+': parseShapes(profile).includes('filter-refuses-plus') ? 400 : 200,
      });
      assert.deepEqual(byId['invitation-secret']?.details, { secretReadable: true });
      assert.ok(!run.stdout.includes('"plain"'), 'the invitation code is never reported');
      assert.deepEqual(byId['delete-404']?.details, { delete: 404, read: 404 });
      assert.deepEqual((byId['rate-limit']?.details as { statuses?: unknown }).statuses, { '200': 20 });
      assert.deepEqual(report.webhook, {
        url: 'http://127.0.0.1:8080/v1/staffbase/events',
        secretSet: false,
        secretHeader: 'Authorization: Bearer <secret>',
      });
      assert.deepEqual(byId['recovery-pending']?.details, { status: 400 });
      assert.equal((await control.recoveries()).length, 0, 'the refused recovery mailed nobody');
      assert.equal(report.breaksRuns, false);
      assert.match(report.throwawayExternalID ?? '', /^doctor-[0-9a-f]{12}$/);
      for (const entry of report.checks) {
        assert.ok(entry.found.length > 0 && entry.action.length > 0, `${entry.id} says what and why`);
      }
      const users = await control.users();
      assert.deepEqual(users.map((user) => user.externalID).sort(), [...seeded].sort());
      const creates = (await control.log()).filter((call) => call.routeKey === 'POST /users');
      assert.equal(creates.length, 2, 'one create and one duplicate create');
      assert.equal((await control.outbox()).length, 0, 'sendMail false: nobody is mailed');
      assert.ok(!run.stdout.includes(env.STAFFBASE_API_TOKEN ?? '?'), 'never prints the token');
    });
  });
}

describe('doctor: read-only runs, failures and text', () => {
  let simulator: RunningSimulator;
  let control: SimulatorControl;
  let token: string;

  before(async () => {
    const started = await startTestSimulator();
    ({ simulator, control, token } = started);
    await control.seedUser({ externalID: 'doc-active', userName: 'doc.active' });
  });
  after(async () => {
    await simulator.close();
  });

  it('without --write changes nothing and says how to run the write checks', async () => {
    await control.reset();
    await control.seedUser({ externalID: 'doc-active', userName: 'doc.active' });
    const run = await doctor([], {
      STAFFBASE_BASE_URL: simulator.apiUrl,
      STAFFBASE_API_TOKEN: token,
      ...FAST,
    });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^Staffbase doctor: .*read-only checks; add --write/);
    assert.match(run.stdout, /^ok {7}authentication \[auth\]$/m);
    assert.match(run.stdout, /^skipped {2}token level \[token-level\]$/m);
    assert.match(run.stdout, /0 failed, 3 skipped → nothing found that would break runs$/m);
    const writes = (await control.log()).filter((call) => call.method !== 'GET');
    assert.deepEqual(writes, []);
  });

  it('a refused token fails the auth check and the command (exit 7), without printing the token', async () => {
    const wrong = Buffer.from('000000000000000000000000:wrong-secret').toString('base64');
    const run = await doctor(['--write', '--json'], {
      STAFFBASE_BASE_URL: simulator.apiUrl,
      STAFFBASE_API_TOKEN: wrong,
    });
    assert.equal(run.code, 7);
    const report = JSON.parse(run.stdout) as DoctorReport;
    assert.equal(report.breaksRuns, true);
    assert.deepEqual(
      report.checks.map((entry) => [entry.id, entry.verdict]),
      [
        ['auth', 'failed'],
        ['write', 'skipped'],
      ],
    );
    assert.match(report.checks[0]?.found ?? '', /HTTP 401/);
    assert.ok(!run.stdout.includes(wrong));
  });

  it('an unreachable tenant fails the auth check', async () => {
    const run = await doctor([], {
      STAFFBASE_BASE_URL: 'http://127.0.0.1:9/api',
      STAFFBASE_API_TOKEN: token,
    });
    assert.equal(run.code, 7);
    assert.match(run.stdout, /^FAILED {3}authentication \[auth\]$/m);
  });

  it('missing configuration is an input error naming the variables (exit 2)', async () => {
    const run = await doctor(['--json'], {});
    assert.equal(run.code, 2);
    assert.match(run.stdout, /STAFFBASE_BASE_URL/);
  });
});
