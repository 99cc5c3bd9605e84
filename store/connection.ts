/**
 * Opens the store's database: PostgreSQL through `pg`'s pool, or the embedded SQLite file through
 * better-sqlite3 in WAL mode (readers never wait for the writer; writers of several processes wait
 * their turn up to the busy timeout instead of failing with "database is locked").
 * better-sqlite3 is a native module: it is loaded only for an SQLite store, since the production image
 * installs without building it (npm ci --ignore-scripts) and uses PostgreSQL.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely as KyselyDb } from 'kysely' with { 'resolution-mode': 'import' };
import { type StoreConfig } from '../config/store';
import { DEFAULT_STORE_SQLITE_BUSY_TIMEOUT_MS } from '../config/defaults';
import { type Kysely, loadKysely } from './kysely-module';
import { type StoreDatabase } from './tables';

export type StoreDb = KyselyDb<StoreDatabase>;

export interface StoreConnection {
  kind: StoreConfig['kind'];
  db: StoreDb;
  /** The Kysely module (its `sql` tag). */
  kysely: Kysely;
  /** SQLite only: the raw handle, for a write transaction that must not yield (see audit-trail.ts). */
  sqlite?: BetterSqlite3.Database;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** SQLite: how long a writer waits for another process's write (ms). */
  busyTimeoutMs?: number;
  /** PostgreSQL: the pool's size. */
  maxConnections?: number;
}

async function loadBetterSqlite3(): Promise<typeof BetterSqlite3> {
  try {
    return (await import('better-sqlite3')).default;
  } catch (error) {
    throw new Error(
      'The embedded SQLite store needs better-sqlite3, which is not installed or not built here ' +
        '(the production image has no native build): set LIFECYCLE_STORE_URL to a postgres:// URL, ' +
        'or run npm ci where it can build.',
      { cause: error },
    );
  }
}

async function openSqlite(file: string, options: ConnectOptions): Promise<StoreConnection> {
  const [Database, kysely] = await Promise.all([loadBetterSqlite3(), loadKysely()]);
  mkdirSync(path.dirname(file), { recursive: true });
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_STORE_SQLITE_BUSY_TIMEOUT_MS;
  const sqlite = new Database(file, { timeout: busyTimeoutMs });
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  // In WAL mode NORMAL loses no committed data on a crash of the process, only on one of the machine.
  sqlite.pragma('synchronous = NORMAL');
  const db = new kysely.Kysely<StoreDatabase>({ dialect: new kysely.SqliteDialect({ database: sqlite }) });
  return { kind: 'sqlite', db, kysely, sqlite, close: () => db.destroy() };
}

async function openPostgres(url: string, options: ConnectOptions): Promise<StoreConnection> {
  // `pg` is CommonJS: its exports are the module's default under import().
  const [pg, kysely] = await Promise.all([import('pg'), loadKysely()]);
  const pool = new pg.default.Pool({ connectionString: url, max: options.maxConnections ?? 10 });
  // An idle connection the server dropped: the pool replaces it; the next query reports any real problem.
  pool.on('error', () => undefined);
  const db = new kysely.Kysely<StoreDatabase>({ dialect: new kysely.PostgresDialect({ pool }) });
  return { kind: 'postgres', db, kysely, close: () => db.destroy() };
}

export function connectStore(config: StoreConfig, options: ConnectOptions = {}): Promise<StoreConnection> {
  return config.kind === 'sqlite' ? openSqlite(config.file, options) : openPostgres(config.url, options);
}
