/**
 * Small modules, one job each (CONTRIBUTING): no source file outside test/ is over 350 lines, so a
 * module that grows past it is split when it grows, not in a clean-up later (issue 26).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';

const root = path.resolve(__dirname, '..', '..');
const MAX_LINES = 350;

it(`no source file outside test/ is over ${MAX_LINES} lines`, () => {
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter((file) => /\.(ts|mts|cts|js|mjs|cjs)$/.test(file) && !file.startsWith('test/'));
  assert.ok(tracked.length > 100, `only ${tracked.length} source files found: is this a git checkout?`);
  const tooLong = tracked
    .map((file) => ({ file, lines: readFileSync(path.join(root, file), 'utf8').split('\n').length - 1 }))
    .filter(({ lines }) => lines > MAX_LINES)
    .map(({ file, lines }) => `${file} (${lines})`);
  assert.deepEqual(tooLong, [], `split these modules: ${tooLong.join(', ')}`);
});
