/**
 * A store of its own for a test that builds the HR API: an embedded SQLite file in a temp folder, as
 * the service opens it (migrated at open). `openTempStore` opens it now; `lazyTempStore` for an app
 * built synchronously that may never reach the store (most route tests): it opens on first use.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type LifecycleStore, openStore } from '../../store';

export interface TempStore extends LifecycleStore {
  /** The SQLite file (for a CLI or a second process to open). */
  file: string;
}

/** A fresh, migrated SQLite store; `close()` also removes its folder. */
export async function openTempStore(
  dir: string = mkdtempSync(path.join(tmpdir(), 'http-store-')),
): Promise<TempStore> {
  const file = path.join(dir, 'store.sqlite');
  const store = await openStore({ kind: 'sqlite', file });
  return {
    ...store,
    file,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Forwards every method call of a part of the store to the store, once it is open. */
function forwardTo<T extends object>(part: () => Promise<T>): T {
  return new Proxy({} as T, {
    get:
      (_target, name) =>
      async (...args: unknown[]): Promise<unknown> => {
        const target = await part();
        const method = target[name as keyof T] as unknown as (...params: unknown[]) => unknown;
        return method.apply(target, args);
      },
  });
}

/** A temp SQLite store opened on first use; its folder is removed when the test process exits. */
export function lazyTempStore(): LifecycleStore {
  let opening: Promise<TempStore> | undefined;
  const open = (): Promise<TempStore> => {
    if (!opening) {
      const dir = mkdtempSync(path.join(tmpdir(), 'http-store-'));
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
      opening = openTempStore(dir);
    }
    return opening;
  };
  return {
    kind: 'sqlite',
    people: forwardTo(async () => (await open()).people),
    audit: forwardTo(async () => (await open()).audit),
    reports: forwardTo(async () => (await open()).reports),
    events: forwardTo(async () => (await open()).events),
    reconcile: forwardTo(async () => (await open()).reconcile),
    migrate: async () => (await open()).migrate(),
    close: async () => {
      if (opening) await (await opening).close();
    },
  };
}
