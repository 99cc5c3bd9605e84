/**
 * Where the project's own store is (store/): LIFECYCLE_STORE_URL.
 * - `postgres://user:password@host:port/database` (or `postgresql://`): PostgreSQL, for production.
 * - `sqlite:<path>` or unset: the embedded SQLite file (default `.data/store.sqlite`), for `npm start`,
 *   the CLI and the tests: no install, and every local process can read and write it at once.
 * A PostgreSQL URL carries a password, so the whole variable is a secret: never logged, never echoed.
 */
import path from 'node:path';
import { z } from 'zod';
import { defineSecret, parseEnv } from './config-error';
import { DEFAULT_STORE_SQLITE_FILE } from './defaults';

export const STORE_ENV_VARS = ['LIFECYCLE_STORE_URL'] as const;
export const STORE_SECRET_ENV_VARS = ['LIFECYCLE_STORE_URL'] as const;

export type StoreConfig =
  | { kind: 'sqlite'; /** Absolute path of the database file. */ file: string }
  | {
      kind: 'postgres';
      /** The connection URL with its password: non-enumerable (never in a log line or a spread). */
      readonly url: string;
      /** `postgres://host:port/database`, without user or password: safe to show. */
      where: string;
    };

const postgresUrl = /^postgres(?:ql)?:\/\//;

const schema = z.object({
  LIFECYCLE_STORE_URL: z
    .string()
    .trim()
    .refine((value) => value.startsWith('sqlite:') || postgresUrl.test(value), {
      error: 'must be postgres://user:password@host:port/database or sqlite:<file>',
    })
    .refine((value) => !value.startsWith('sqlite:') || value.slice('sqlite:'.length).trim() !== '', {
      error: 'sqlite: needs a file path, e.g. sqlite:.data/store.sqlite',
    })
    .refine((value) => !postgresUrl.test(value) || postgresParts(value) !== undefined, {
      error:
        'must be a valid URL with a host and a database name, e.g. postgres://user:password@host:5432/lifecycle_store',
    })
    .optional(),
});

function postgresParts(value: string): { host: string; database: string } | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (url.hostname === '' || database === '' || database.includes('/')) return undefined;
  return { host: url.host, database };
}

/** The store's location from LIFECYCLE_STORE_URL; a relative SQLite path is resolved against `cwd`. */
export function storeConfigFromEnv(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): StoreConfig {
  const { LIFECYCLE_STORE_URL: url } = parseEnv(schema, env, STORE_ENV_VARS, STORE_SECRET_ENV_VARS);
  if (url === undefined) return { kind: 'sqlite', file: path.resolve(cwd, DEFAULT_STORE_SQLITE_FILE) };
  if (url.startsWith('sqlite:')) {
    return { kind: 'sqlite', file: path.resolve(cwd, url.slice('sqlite:'.length).trim()) };
  }
  const parts = postgresParts(url);
  const config = { kind: 'postgres', where: `postgres://${parts?.host}/${parts?.database}` } as StoreConfig;
  return defineSecret(config as Extract<StoreConfig, { kind: 'postgres' }>, 'url', url);
}
