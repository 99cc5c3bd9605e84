/**
 * Fresh stores for the repository tests, on both databases: an SQLite file in a temp folder, and a
 * database of its own on a throwaway PostgreSQL server (test/helpers/cluster/postgres.ts) started once.
 * Without PostgreSQL's programs the start FAILS, naming `npm run install:cluster`: the PostgreSQL half
 * of the tests is never skipped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type StoreConfig } from '../../config/store';
import { type LifecycleStore, openStore } from '../../store';
import { type StoreConnection, connectStore } from '../../store/connection';
import { type RunningPostgres, startPostgres } from './cluster/postgres';

export type StoreKind = StoreConfig['kind'];

export interface StoreDatabases {
  kind: StoreKind;
  /** A new, empty database (not migrated). */
  freshConfig(): Promise<StoreConfig>;
  /** A new database, migrated, opened as the service opens it. */
  freshStore(): Promise<{ config: StoreConfig; store: LifecycleStore }>;
  /** A second Kysely connection (pool) to a store's database: for tampering, and for concurrent writers. */
  connect(config: StoreConfig): Promise<StoreConnection>;
  stop(): Promise<void>;
}

function postgresConfig(server: RunningPostgres, database: string): StoreConfig {
  const url = `postgres://${server.user}:${encodeURIComponent(server.password)}@${server.host}:${server.port}/${database}`;
  const config = { kind: 'postgres', where: `postgres://${server.host}:${server.port}/${database}` } as const;
  return Object.defineProperty({ ...config }, 'url', { value: url, enumerable: false }) as StoreConfig;
}

export async function startStoreDatabases(kind: StoreKind): Promise<StoreDatabases> {
  const dir = mkdtempSync(path.join(tmpdir(), `store-${kind}-`));
  let count = 0;
  const opened: { close(): Promise<void> }[] = [];
  const track = <T extends { close(): Promise<void> }>(handle: T): T => {
    opened.push(handle);
    return handle;
  };

  let server: RunningPostgres | undefined;
  let admin: pg.Client | undefined;
  if (kind === 'postgres') {
    try {
      server = await startPostgres(dir, { user: 'store_test' });
      admin = new pg.Client({
        host: server.host,
        port: server.port,
        user: server.user,
        password: server.password,
        database: 'postgres',
      });
      await admin.connect();
    } catch (error) {
      await server?.stop();
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  async function freshConfig(): Promise<StoreConfig> {
    count += 1;
    if (kind === 'sqlite') return { kind: 'sqlite', file: path.join(dir, `store-${count}.sqlite`) };
    const database = `store_${count}`;
    await admin?.query(`CREATE DATABASE ${database}`);
    return postgresConfig(server as RunningPostgres, database);
  }

  return {
    kind,
    freshConfig,
    async freshStore() {
      const config = await freshConfig();
      return { config, store: track(await openStore(config, { migrate: true })) };
    },
    async connect(config) {
      return track(await connectStore(config));
    },
    async stop() {
      await Promise.allSettled(opened.map((handle) => handle.close()));
      await admin?.end().catch(() => undefined);
      await server?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
