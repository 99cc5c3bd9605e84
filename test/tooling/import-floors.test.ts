/**
 * The import floors of CONTRIBUTING.md are enforced by ESLint (eslint.config.mjs): the project's own
 * configuration lints in-memory files placed in each folder, and an import that climbs a floor is an
 * error naming the rule, while the allowed arrows pass. Only the import rule runs (no type information
 * needed), so this stays fast.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const projectRoot = path.resolve(__dirname, '..', '..');
const floorRule = '@typescript-eslint/no-restricted-imports';

const eslint = new ESLint({
  cwd: projectRoot,
  // The files below exist only in memory: no type information, and only the import rule.
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
  ruleFilter: ({ ruleId }) => ruleId === floorRule,
});

/** The import-rule messages for `source` linted as if it were the file at `file` (repository-relative). */
async function floorErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(projectRoot, file) });
  assert.ok(result, `no lint result for ${file}`);
  assert.deepEqual(
    result.messages.filter((message) => message.ruleId !== floorRule),
    [],
    `${file}: only the import rule may report`,
  );
  return result.messages.map((message) => message.message);
}

describe('import floors (eslint.config.mjs)', () => {
  it('refuses lifecycle/ importing activities/, and names the floor', async () => {
    const errors = await floorErrors(
      'lifecycle/floor-probe.ts',
      "import { createActivities } from '../activities';\nexport const probe = createActivities;\n",
    );
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /lifecycle\/ imports staffbase\/ and config\/defaults\.ts only/);
  });

  it('lets lifecycle/ import staffbase/ and config/defaults.ts, not the rest of config/', async () => {
    assert.deepEqual(
      await floorErrors(
        'lifecycle/audit/floor-probe.ts',
        "import { atLeast } from '../../staffbase/filters';\n" +
          "import { DEFAULT_TIME_ZONE } from '../../config/defaults';\n" +
          'export const probe = [atLeast, DEFAULT_TIME_ZONE];\n',
      ),
      [],
    );
    const errors = await floorErrors(
      'lifecycle/floor-probe.ts',
      "import { policiesFromEnv } from '../config/policies';\nexport const probe = policiesFromEnv;\n",
    );
    assert.equal(errors.length, 1);
  });

  it('keeps staffbase/ on the ground floor: config/defaults.ts only', async () => {
    assert.deepEqual(
      await floorErrors(
        'staffbase/floor-probe.ts',
        "import { DEFAULT_STAFFBASE_REQUEST_TIMEOUT_MS } from '../config/defaults';\n" +
          "import { isSameExternalId } from './api-choices';\n" +
          'export const probe = [DEFAULT_STAFFBASE_REQUEST_TIMEOUT_MS, isSameExternalId];\n',
      ),
      [],
    );
    const errors = await floorErrors(
      'staffbase/floor-probe.ts',
      "import { timeZoneSchema } from '../lifecycle/field-rules';\n" +
        "import { staffbaseConfigFromEnv } from '../config/staffbase';\n" +
        'export const probe = [timeZoneSchema, staffbaseConfigFromEnv];\n',
    );
    assert.equal(errors.length, 2);
    assert.match(errors[0] ?? '', /staffbase\/ is the ground floor/);
  });

  it('refuses config/ importing upwards, and config/defaults.ts importing anything of ours', async () => {
    const upwards = await floorErrors(
      'config/floor-probe.ts',
      "import { projectRoot } from '../tooling/temporal-binaries';\nexport const probe = projectRoot;\n",
    );
    assert.equal(upwards.length, 1);
    const fromDefaults = await floorErrors(
      'config/defaults.ts',
      "import { wholeNumber } from './env-rules';\nexport const probe = wholeNumber;\n",
    );
    assert.equal(fromDefaults.length, 1);
    assert.match(fromDefaults[0] ?? '', /config\/defaults\.ts imports nothing of ours/);
  });

  it("lets activities/ import workflows' message definitions, not the workflows", async () => {
    assert.deepEqual(
      await floorErrors(
        'activities/floor-probe.ts',
        "import { cancelSignal } from '../workflows/onboarding-messages';\nexport const probe = cancelSignal;\n",
      ),
      [],
    );
    const errors = await floorErrors(
      'activities/floor-probe.ts',
      "import { onboarding } from '../workflows/onboarding';\nexport const probe = onboarding;\n",
    );
    assert.equal(errors.length, 1);
  });

  it('lets workflows/ import staffbase/ types but not its code', async () => {
    assert.deepEqual(
      await floorErrors(
        'workflows/floor-probe.ts',
        "import type { UserPatch } from '../staffbase/schemas';\nexport type Probe = UserPatch;\n",
      ),
      [],
    );
    const errors = await floorErrors(
      'workflows/floor-probe.ts',
      "import { StaffbaseClient } from '../staffbase/client';\nexport const probe = StaffbaseClient;\n",
    );
    assert.equal(errors.length, 1);
  });

  it("checks .mjs files too (the CLI's bin): client/ does not import worker/", async () => {
    const errors = await floorErrors(
      'client/cli/floor-probe.mjs',
      "import { startWorker } from '../../worker/process';\nexport const probe = startWorker;\n",
    );
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /client\/ imports the floors below it, not worker\//);
  });

  it('keeps store/ out of workflows (types too), lets activities and client/ use it, and keeps it below them', async () => {
    const fromWorkflow = await floorErrors(
      'workflows/floor-probe.ts',
      "import type { LifecycleStore } from '../store';\nexport type Probe = LifecycleStore;\n",
    );
    assert.equal(fromWorkflow.length, 1);
    assert.match(fromWorkflow[0] ?? '', /workflows\/ import lifecycle\/ and activity types only/);
    assert.deepEqual(
      await floorErrors(
        'activities/floor-probe.ts',
        "import { openStore } from '../store';\nexport const probe = openStore;\n",
      ),
      [],
    );
    assert.deepEqual(
      await floorErrors(
        'client/cli/floor-probe.ts',
        "import { openStore } from '../../store';\nexport const probe = openStore;\n",
      ),
      [],
    );
    const upwards = await floorErrors(
      'store/floor-probe.ts',
      "import { createActivities } from '../activities';\nimport { runCli } from '../client/cli/main';\n" +
        'export const probe = [createActivities, runCli];\n',
    );
    assert.equal(upwards.length, 2);
    assert.match(upwards[0] ?? '', /store\/ imports config\/ and lifecycle\/ only/);
  });

  it("lets the worker's entry import client/reconcile-starters.ts, and nothing else of client/", async () => {
    const entry = await floorErrors(
      'worker/main.ts',
      "import { reconcileRunStarters } from '../client/reconcile-starters';\n" +
        "import { startOnboarding } from '../client/lifecycle-runs';\n" +
        'export const probe = [reconcileRunStarters, startOnboarding];\n',
    );
    assert.equal(entry.length, 1);
    assert.match(entry[0] ?? '', /lifecycle-runs/);
    const elsewhere = await floorErrors(
      'worker/floor-probe.ts',
      "import { reconcileRunStarters } from '../client/reconcile-starters';\nexport const probe = reconcileRunStarters;\n",
    );
    assert.equal(elsewhere.length, 1);
  });

  it('keeps test helpers out of production code, and lets tests import anything', async () => {
    const errors = await floorErrors(
      'worker/floor-probe.ts',
      "import { waitFor } from '../test/helpers/waiting';\nexport const probe = waitFor;\n",
    );
    assert.equal(errors.length, 1);
    assert.deepEqual(
      await floorErrors(
        'test/floor-probe.test.ts',
        "import { createActivities } from '../activities';\nimport { main } from '../tooling/start';\n" +
          'export const probe = [createActivities, main];\n',
      ),
      [],
    );
  });
});
