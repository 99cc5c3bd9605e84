/**
 * The fence around activities/retired/ (eslint.config.mjs): the project's own configuration lints
 * in-memory files placed in each folder; an import of the retired activities from anywhere but the
 * folder itself and the registration (activities/index.ts) is an error naming the fence. Only the
 * fence's rule runs (no type information needed). test/worker/retired-activities.test.ts checks the
 * real files with resolved paths.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const projectRoot = path.resolve(__dirname, '..', '..');
const fenceRule = 'no-restricted-imports';

const eslint = new ESLint({
  cwd: projectRoot,
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
  ruleFilter: ({ ruleId }) => ruleId === fenceRule,
});

/** The fence's messages for `source` linted as if it were the file at `file` (repository-relative). */
async function fenceErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(projectRoot, file) });
  assert.ok(result, `no lint result for ${file}`);
  assert.deepEqual(
    result.messages.filter((message) => message.ruleId !== fenceRule),
    [],
    `${file}: only the fence's rule may report`,
  );
  return result.messages.map((message) => message.message);
}

describe('the fence around activities/retired/ (eslint.config.mjs)', () => {
  it('refuses current code importing the retired activities, value or type, by any path', async () => {
    const cases: [file: string, source: string][] = [
      [
        'client/fence-probe.ts',
        "import { createRetiredActivities } from '../activities/retired';\nexport const probe = createRetiredActivities;\n",
      ],
      [
        'workflows/fence-probe.ts',
        "import type { RetiredActivities } from '../activities/retired/index';\nexport type Probe = RetiredActivities;\n",
      ],
      [
        'activities/fence-probe.ts',
        "import { findUserOrUndefined } from './retired/account-activities';\nexport const probe = findUserOrUndefined;\n",
      ],
      [
        'activities/notifications/fence-probe.ts',
        "import { createRetiredActivities } from '../retired';\nexport const probe = createRetiredActivities;\n",
      ],
    ];
    for (const [file, source] of cases) {
      const errors = await fenceErrors(file, source);
      assert.equal(errors.length, 1, `${file}: ${errors.join('; ')}`);
      assert.match(errors[0] ?? '', /activities\/retired\/ is fenced/);
    }
  });

  it('lets the registration and the retired folder import it, and workflows take the types from the registration', async () => {
    assert.deepEqual(
      await fenceErrors(
        'activities/index.ts',
        "import { createRetiredActivities } from './retired';\nexport const probe = createRetiredActivities;\n",
      ),
      [],
    );
    assert.deepEqual(
      await fenceErrors(
        'activities/retired/fence-probe.ts',
        "import { findUserOrUndefined } from './account-activities';\nexport const probe = findUserOrUndefined;\n",
      ),
      [],
    );
    assert.deepEqual(
      await fenceErrors(
        'workflows/fence-probe.ts',
        "import type { RetiredActivities } from '../activities';\nexport type Probe = RetiredActivities;\n",
      ),
      [],
    );
  });
});
