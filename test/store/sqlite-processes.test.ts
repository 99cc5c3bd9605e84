/**
 * The embedded store is shared by separate processes (the npm start stack, `npm run worker`,
 * `npm run api`, the CLI): two processes writing the same SQLite file at once, each migrating it at
 * first use, both finish without "database is locked", and the audit chain they share stays valid.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { openStore } from '../../store';

const root = path.resolve(__dirname, '..', '..');

function writer(file: string, name: string, count: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/helpers/store-writer.ts', file, name, String(count)],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('the SQLite store shared by processes', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'store-processes-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('two processes write the same new file at once: no "database is locked", one valid chain', async () => {
    const file = path.join(dir, 'store.sqlite');
    const count = 40;
    const results = await Promise.all([writer(file, 'one', count), writer(file, 'two', count)]);
    for (const result of results) {
      assert.doesNotMatch(result.output, /locked|SQLITE_BUSY/i);
      assert.equal(result.code, 0, result.output);
    }
    const store = await openStore({ kind: 'sqlite', file });
    try {
      assert.deepEqual(await store.audit.verify(), { ok: true, rows: 2 * count });
      const written = await store.people.findPeople({ limit: 100 });
      assert.equal(written.total, 2 * count);
      assert.deepEqual(await store.people.countsByLifecycleStage(), { onboarding: { invited: 2 * count } });
    } finally {
      await store.close();
    }
  });
});
