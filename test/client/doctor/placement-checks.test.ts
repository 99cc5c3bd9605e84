/**
 * `doctor --write`'s profile findings against the simulator's two placement profiles: where
 * `department` lands and whether a PUT merges `profile`, each naming the setting it recommends, and a
 * failed run when the configured setting would break changes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type DoctorCheck, type DoctorReport } from '../../../client/doctor/report';
import { type SimulatorControl } from '../../../simulator/control-client';
import { type RunningSimulator } from '../../../simulator/server';
import { startTestSimulator } from '../../helpers/simulator';
import { cliInProcess, jsonOf } from '../cli/run-cli';

async function doctorJson(
  env: Record<string, string>,
): Promise<{ code: number | null; report: DoctorReport }> {
  const run = await cliInProcess(['doctor', '--write', '--json'], env);
  return { code: run.code, report: jsonOf<DoctorReport>(run) };
}

const finding = (report: DoctorReport, id: string): DoctorCheck => {
  const entry = report.checks.find((candidate) => candidate.id === id);
  assert.ok(entry, `the report has ${id}`);
  return entry;
};

const tenants = [
  { shapes: 'placement-top-level', placement: 'top-level', update: 'replace', other: 'profile' },
  { shapes: 'placement-profile', placement: 'profile', update: 'merge', other: 'top-level' },
] as const;

for (const tenant of tenants) {
  describe(`doctor --write: profile findings against ${tenant.shapes}`, () => {
    let simulator: RunningSimulator;
    let control: SimulatorControl;
    let base: Record<string, string>;

    before(async () => {
      const started = await startTestSimulator({ shapes: tenant.shapes });
      ({ simulator, control } = started);
      base = { STAFFBASE_BASE_URL: simulator.apiUrl, STAFFBASE_API_TOKEN: started.token };
    });
    after(async () => {
      await simulator.close();
    });

    it('configured as the tenant behaves: both findings ok, naming the settings in force', async () => {
      const { code, report } = await doctorJson({
        ...base,
        STAFFBASE_PROFILE_PLACEMENT: tenant.placement,
        STAFFBASE_PROFILE_UPDATE: tenant.update,
      });
      assert.equal(code, 0);
      const placement = finding(report, 'profile-placement');
      assert.equal(placement.verdict, 'ok', placement.found);
      assert.match(placement.action, new RegExp(`STAFFBASE_PROFILE_PLACEMENT=${tenant.placement}\\b`));
      assert.match(
        placement.found,
        tenant.placement === 'top-level'
          ? /PUT \{department\} → read back at the top level; PUT \{profile: \{department\}\} → refused/
          : /PUT \{department\} → refused .*; PUT \{profile: \{department\}\} → read back under profile/,
      );
      const update = finding(report, 'profile-update');
      assert.equal(update.verdict, 'ok', update.found);
      assert.match(update.action, new RegExp(`STAFFBASE_PROFILE_UPDATE=${tenant.update}\\b`));
      assert.equal((await control.users()).length, 0, 'the throwaway user is gone');
    });

    it('the other placement configured: the finding fails and recommends the right setting', async () => {
      const { code, report } = await doctorJson({
        ...base,
        STAFFBASE_PROFILE_PLACEMENT: tenant.other,
        STAFFBASE_PROFILE_UPDATE: tenant.update,
      });
      assert.notEqual(code, 0, 'a tenant that would break changes fails the command');
      assert.equal(report.breaksRuns, true);
      const placement = finding(report, 'profile-placement');
      assert.equal(placement.verdict, 'failed');
      assert.match(placement.action, new RegExp(`set STAFFBASE_PROFILE_PLACEMENT=${tenant.placement}\\b`));
    });

    it('the other PUT model configured: merge on a replacing tenant fails, replace on a merging one only differs', async () => {
      const other = tenant.update === 'replace' ? 'merge' : 'replace';
      const { report } = await doctorJson({
        ...base,
        STAFFBASE_PROFILE_PLACEMENT: tenant.placement,
        STAFFBASE_PROFILE_UPDATE: other,
      });
      const update = finding(report, 'profile-update');
      assert.equal(update.verdict, tenant.update === 'replace' ? 'failed' : 'differs');
      assert.match(update.action, new RegExp(`STAFFBASE_PROFILE_UPDATE=${tenant.update}\\b`));
    });
  });
}
