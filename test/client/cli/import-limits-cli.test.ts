/**
 * `staffbase-lifecycle import` refuses a file over IMPORT_MAX_FILE_MB or IMPORT_MAX_ROWS with exit 2
 * and a message naming the limit, before it connects to Temporal (the address here has no server:
 * a command that got further would exit 5).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { leaversWorkbook } from '../../helpers/crafted-xlsx';
import { cli } from './run-cli';

const nowhere = '127.0.0.1:1';
const dir = mkdtempSync(path.join(tmpdir(), 'import-limits-'));
const leavers = (count: number) =>
  ['externalID', ...Array.from({ length: count }, (_, i) => `emp-${i}`)].join('\n');
const importFile = (file: string, env: Record<string, string>, stdin?: string) =>
  cli(['import', file, '--kind', 'offboarding', '--dry-run', '--no-check-staffbase'], {
    address: nowhere,
    env,
    ...(stdin !== undefined && { stdin }),
  });

describe('CLI import: file limits', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 2 naming IMPORT_MAX_FILE_MB for a file or stdin over it, and IMPORT_MAX_ROWS for a file over it', async () => {
    const big = path.join(dir, 'big.csv');
    writeFileSync(big, `${leavers(1)}\n${'\n'.repeat(1024 * 1024)}`);
    const long = path.join(dir, 'long.csv');
    writeFileSync(long, leavers(4));
    const far = path.join(dir, 'far.xlsx');
    writeFileSync(far, await leaversWorkbook((sheet) => (sheet.getCell('A1048576').value = 'x')));
    const [bigFile, bigStdin, longFile, farFile] = await Promise.all([
      importFile(big, { IMPORT_MAX_FILE_MB: '1' }),
      importFile('-', { IMPORT_MAX_FILE_MB: '1' }, `${leavers(1)}\n${'\n'.repeat(1024 * 1024)}`),
      importFile(long, { IMPORT_MAX_ROWS: '3' }),
      importFile(far, {}),
    ]);
    for (const run of [bigFile, bigStdin]) {
      assert.equal(run.code, 2, run.stdout + run.stderr);
      assert.match(run.stderr, /larger than IMPORT_MAX_FILE_MB \(1 MiB\)/);
    }
    assert.equal(longFile.code, 2, longFile.stdout + longFile.stderr);
    assert.match(longFile.stderr, /more than IMPORT_MAX_ROWS \(3\) rows/);
    assert.equal(farFile.code, 2, farFile.stdout + farFile.stderr);
    assert.match(farFile.stderr, /IMPORT_MAX_ROWS \(100000\).*row 1048576/);
  });

  it('exits 2 naming a bad IMPORT_MAX_ROWS', async () => {
    const file = path.join(dir, 'ok.csv');
    writeFileSync(file, leavers(1));
    const run = await importFile(file, { IMPORT_MAX_ROWS: 'many' });
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.match(run.stderr, /IMPORT_MAX_ROWS/);
  });
});
