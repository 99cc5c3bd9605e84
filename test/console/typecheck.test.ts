/**
 * The console's browser code has its own tsconfig (DOM types, bundler modules), which the root
 * typecheck of `npm test` leaves out; this runs it, so a type error in client/console fails the tests.
 * Against API types generated from the OpenAPI document right before (tooling/console-api-types.ts), so
 * a response schema the console reads wrongly fails here too.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { it } from 'node:test';
import { writeConsoleApiTypes } from '../../tooling/console-api-types';

const root = path.resolve(__dirname, '..', '..');

it(
  'client/console typechecks (tsc --noEmit -p client/console/tsconfig.json)',
  { timeout: 120_000 },
  async () => {
    await writeConsoleApiTypes();
    const result = spawnSync(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '--noEmit', '-p', 'client/console/tsconfig.json'],
      { cwd: root, encoding: 'utf8' },
    );
    assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
  },
);
