/** `store migrate`, `audit verify` and `audit export` through the CLI's own I/O, on an embedded SQLite store. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { openStore, storeMigrations } from '../../../store';
import { connectStore } from '../../../store/connection';
import { startStoreDatabases } from '../../helpers/store-databases';
import { cli } from './run-cli';

/** Every migration of the store (others may be added beside this one's). */
const migrationCount = Object.keys(storeMigrations).length;

describe('staffbase-lifecycle store migrate / audit verify', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'store-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'store.sqlite');
  const env = { LIFECYCLE_STORE_URL: `sqlite:${file}` };

  it('store migrate applies the migrations once, then finds the schema current', async () => {
    const first = await cli(['store', 'migrate'], { env });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, new RegExp(`applied ${migrationCount} migration\\(s\\)`));
    const again = await cli(['store', 'migrate', '--json'], { env });
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(JSON.parse(again.stdout), { store: `sqlite:${file}`, applied: [] });
  });

  it('audit verify: exit 0 on an intact chain, exit 7 naming a hand-deleted row', async () => {
    const store = await openStore({ kind: 'sqlite', file });
    try {
      for (const externalID of ['e-1', 'e-2', 'e-3']) {
        await store.audit.append({
          actor: { kind: 'admin-key' },
          action: 'delete-now',
          externalID,
          reason: 'ticket',
        });
      }
    } finally {
      await store.close();
    }
    const intact = await cli(['audit', 'verify'], { env });
    assert.equal(intact.code, 0, intact.stderr);
    assert.match(intact.stdout, /audit trail intact \(3 rows\)/);

    const raw = await connectStore({ kind: 'sqlite', file });
    try {
      await raw.db.deleteFrom('audit_trail').where('seq', '=', 2).execute();
    } finally {
      await raw.close();
    }
    const broken = await cli(['audit', 'verify'], { env });
    assert.equal(broken.code, 7, broken.stderr);
    assert.match(broken.stdout, /BROKEN at row 2 \(removed\)/);
    const json = await cli(['audit', 'verify', '--json'], { env });
    assert.equal(json.code, 7);
    assert.deepEqual(JSON.parse(json.stdout), {
      store: `sqlite:${file}`,
      ok: false,
      rows: 1,
      badSeq: 2,
      problem: 'removed',
      detail: 'row 2 is missing',
    });
  });

  it('refuses a bad LIFECYCLE_STORE_URL with exit 2, naming it and never its value', async () => {
    const result = await cli(['audit', 'verify'], {
      env: { LIFECYCLE_STORE_URL: 'mysql://u:hunter2hunter2@h/db' },
    });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /LIFECYCLE_STORE_URL/);
    assert.doesNotMatch(result.stdout + result.stderr, /hunter2/);
  });
});

describe('staffbase-lifecycle audit export', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'audit-export-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'store.sqlite');
  const env = { LIFECYCLE_STORE_URL: `sqlite:${file}` };
  /** More than two of the export's 500-row pages. */
  const total = 1_050;

  it('writes every row as CSV, across pages, oldest first, with a header row', async () => {
    const store = await openStore({ kind: 'sqlite', file });
    try {
      for (let index = 1; index <= total; index += 1) {
        await store.audit.append({
          at: new Date(Date.UTC(2026, 10, 1) + index * 60_000).toISOString(),
          actor: { kind: index % 2 === 0 ? 'admin-key' : 'worker', user: index % 2 === 0 ? 'op' : null },
          action: index % 10 === 0 ? 'delete-now-requested' : 'account-changed',
          externalID: `emp-${index % 7}`,
          reason: index === 3 ? '=HYPERLINK("x"), "quoted"' : null,
        });
      }
    } finally {
      await store.close();
    }
    const csv = await cli(['audit', 'export'], { env });
    assert.equal(csv.code, 0, csv.stderr);
    const lines = csv.stdout.trimEnd().split('\r\n');
    assert.equal(
      lines[0],
      'seq,at,actorKind,actorUser,action,externalID,runId,outcome,reason,reasonHash,prevHash,hash',
    );
    assert.equal(lines.length, total + 1);
    assert.deepEqual(
      lines.slice(1).map((line) => Number(line.split(',')[0])),
      Array.from({ length: total }, (_, index) => index + 1),
    );
    // Quoted, and not a formula in a spreadsheet.
    assert.match(lines[3] ?? '', /,"'=HYPERLINK\(""x""\), ""quoted""",/);
  });

  it('filters by person, action and time into a JSON file, written whole', async () => {
    const out = path.join(dir, 'deletions.json');
    const result = await cli(
      [
        'audit',
        'export',
        '--format',
        'json',
        '--external-id',
        'emp-3',
        '--action',
        'delete-now-requested',
        '--from',
        '2026-11-01',
        '--to',
        '2026-11-01T12:00:00Z',
        '--out',
        out,
      ],
      { env },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /wrote 11 audit row\(s\)/);
    const rows = JSON.parse(readFileSync(out, 'utf8')) as {
      seq: number;
      externalID: string;
      action: string;
    }[];
    // index % 10 === 0 (the action), index % 7 === 3 (the person), at ≤ 12:00 (index ≤ 720).
    assert.deepEqual(
      rows.map((row) => row.seq),
      [10, 80, 150, 220, 290, 360, 430, 500, 570, 640, 710],
    );
    assert.ok(rows.every((row) => row.externalID === 'emp-3' && row.action === 'delete-now-requested'));
    assert.ok(!existsSync(`${out}.partial`));
  });

  it('refuses a bad filter with exit 2 naming the flag, and writes no file', async () => {
    const out = path.join(dir, 'never.csv');
    const bad = await cli(['audit', 'export', '--from', 'last week', '--out', out], { env });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /from \(--from\)/);
    const backwards = await cli(
      ['audit', 'export', '--from', '2026-12-02', '--to', '2026-12-01', '--out', out],
      {
        env,
      },
    );
    assert.equal(backwards.code, 2);
    assert.match(backwards.stderr, /to \(--to\)/);
    assert.ok(!existsSync(out) && !existsSync(`${out}.partial`));
  });
});

describe("staffbase-lifecycle store migrate on PostgreSQL (as compose's store-migrate job runs it)", () => {
  it('migrates a new database, then verifies its empty audit trail; the password never shows', async () => {
    const databases = await startStoreDatabases('postgres');
    try {
      const config = await databases.freshConfig();
      assert.ok(config.kind === 'postgres');
      const env = { LIFECYCLE_STORE_URL: config.url };
      const password = decodeURIComponent(new URL(config.url).password);
      const migrated = await cli(['store', 'migrate'], { env });
      assert.equal(migrated.code, 0, migrated.stderr);
      assert.match(
        migrated.stdout,
        new RegExp(`^${config.where}: applied ${migrationCount} migration\\(s\\)`),
      );
      const verified = await cli(['audit', 'verify'], { env });
      assert.equal(verified.code, 0, verified.stderr);
      assert.match(verified.stdout, /audit trail intact \(0 rows\)/);
      for (const output of [migrated, verified])
        assert.ok(!(output.stdout + output.stderr).includes(password));
    } finally {
      await databases.stop();
    }
  });
});
